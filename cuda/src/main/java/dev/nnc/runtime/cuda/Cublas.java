package dev.nnc.runtime.cuda;

import static org.bytedeco.cuda.global.cublas.*;

import dev.nnc.runtime.DType;
import java.util.function.ToLongFunction;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * cuBLAS through JavaCPP's presets (the system's libcublas.so.13), for the matrix products when the system property
 * {@code nnc.cuda.gemm} is {@code cublas} instead of the generated tiled kernels — so that the two can be measured
 * against each other. Whether it loads is asked once per process, as for the driver. One handle, on the model's
 * stream, with a workspace of its own, so that a product can be captured in a CUDA graph; FP32 products stay FP32
 * (no TF32 tensor cores, whose 10-bit mantissa would not match the reference interpreter).
 */
final class Cublas implements AutoCloseable {
    /** Workspace for cuBLAS, given up front so that captured products allocate nothing. */
    static final long WORKSPACE = 32L << 20;

    private static final class Probe {
        static final String MISSING = probe();

        private static String probe() {
            try {
                Loader.load(org.bytedeco.cuda.global.cublas.class);
                return null;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return Driver.missingLibrary(e);
            }
        }
    }

    /** Why cuBLAS cannot be used here, or null. */
    static String unavailable() { return Probe.MISSING; }

    private final cublasContext handle = new cublasContext();
    private final long workspace;
    private final Gpu gpu;

    Cublas(Gpu gpu, CUstream_st stream) {
        if (Probe.MISSING != null) throw new CudaUnavailable("nnc.cuda.gemm is cublas, but " + Probe.MISSING);
        this.gpu = gpu;
        check(cublasCreate_v2(handle), "creating a cuBLAS handle");
        check(cublasSetStream_v2(handle, stream), "giving cuBLAS the model's stream");
        workspace = gpu.alloc(WORKSPACE, "cuBLAS's workspace");
        check(cublasSetWorkspace_v2(handle, new Device(workspace), WORKSPACE), "giving cuBLAS a workspace");
        check(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH), "keeping cuBLAS's products in FP32");
    }

    /**
     * The product, C row-major: cuBLAS, being column-major, computes Cᵀ = Bᵀ·Aᵀ, each operand transposed or not
     * by which of its strides is 1.
     *
     * @param base the device address of an argument field's array
     */
    void gemm(DType type, CudaPlan.Gemm g, int count, ToLongFunction<Argument> base) {
        int m = g.m() < 0 ? count : g.m(), n = g.n() < 0 ? count : g.n(), k = g.k() < 0 ? count : g.k();
        var a = g.a();
        var b = g.b();
        var c = g.c();
        if (c.col() != 1) throw new IllegalStateException("internal: a product whose result is not row-major");
        int opB = b.col() == 1 ? CUBLAS_OP_N : CUBLAS_OP_T, ldb = b.col() == 1 ? b.row() : b.col();
        int opA = a.col() == 1 ? CUBLAS_OP_N : CUBLAS_OP_T, lda = a.col() == 1 ? a.row() : a.col();
        int size = Gpu.bytes(type);
        long pa = base.applyAsLong(a.field()) + a.offset() * size, pb = base.applyAsLong(b.field()) + b.offset() * size;
        long pc = base.applyAsLong(c.field()) + c.offset() * size;
        String what = "multiplying matrices (" + m + " × " + n + ", " + k + " deep) with cuBLAS";
        switch (type) {
            case F32 -> {
                try (var one = new FloatPointer(1f); var beta = new FloatPointer(g.accumulate() ? 1f : 0f)) {
                    check(cublasSgemm_v2(handle, opB, opA, n, m, k, one, new Device(pb), ldb, new Device(pa), lda, beta, new Device(pc), c.row()), what);
                }
            }
            case F64 -> {
                try (var one = new DoublePointer(1.0); var beta = new DoublePointer(g.accumulate() ? 1.0 : 0.0)) {
                    check(cublasDgemm_v2(handle, opB, opA, n, m, k, one, new DeviceDoubles(pb), ldb, new DeviceDoubles(pa), lda, beta,
                            new DeviceDoubles(pc), c.row()), what);
                }
            }
        }
    }

    @Override public void close() {
        check(cublasDestroy_v2(handle), "destroying a cuBLAS handle");
        gpu.free(workspace);
    }

    private static void check(int status, String doing) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new CudaError("cuBLAS failed " + doing + ": " + cublasGetStatusName(status).getString() + " ("
                    + cublasGetStatusString(status).getString() + ")", status == CUBLAS_STATUS_INVALID_VALUE ? 1 : 999);
        }
    }

    /** Device memory as the pointer type JavaCPP's cuBLAS functions take; never dereferenced on the host. */
    private static final class Device extends FloatPointer {
        Device(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }

    private static final class DeviceDoubles extends DoublePointer {
        DeviceDoubles(long address) {
            super((Pointer) null);
            this.address = address;
        }
    }
}
