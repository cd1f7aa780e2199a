package dev.nnc.runtime.cuda;

import static dev.nnc.runtime.cuda.Driver.check;
import static org.bytedeco.cuda.global.cudart.*;

import dev.nnc.runtime.DType;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUgraphExec_st;
import org.bytedeco.cuda.cudart.CUgraph_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * What the CUDA model does with the device, each a checked driver call: memory (allocated, filled, copied in
 * and out, converting between the host's doubles and the network's precision), a module and its kernels, launches
 * on one stream, and CUDA graphs captured from that stream. Everything goes on that one stream, copies too, so it
 * all happens in the program's order; the stream does not synchronise with the legacy stream, which would get in
 * the way of capturing it. A copy to the device returns once the host's values are staged (pageable memory); a
 * copy from it waits for the stream.
 */
final class Gpu implements AutoCloseable {
    /** Values converted and copied at a time: bounds the host memory a large upload needs. */
    private static final int CHUNK = 1 << 20;

    private final CUstream_st stream = new CUstream_st();
    private CUmod_st module;

    Gpu() {
        Driver.device();
        check(cuStreamCreate(stream, CU_STREAM_NON_BLOCKING), "creating a stream");
    }

    // ─── Memory ────────────────────────────────────────────────────────────────────────────────────

    /** A device allocation of {@code bytes} (at least one), with what it is for in the message should it fail. */
    long alloc(long bytes, String what) {
        long[] p = new long[1];
        check(cuMemAlloc(p, Math.max(1, bytes)), "allocating " + megabytes(bytes) + " of device memory for " + what);
        return p[0];
    }

    void free(long p) {
        if (p != 0) check(cuMemFree(p), "freeing device memory");
    }

    void zero(long p, long bytes) { check(cuMemsetD8Async(p, (byte) 0, bytes, stream), "zeroing device memory"); }

    /** {@code values[from …]} ({@code n} of them) into device memory at element {@code at}, in the network's precision. */
    void upload(long p, long at, double[] values, int from, int n, DType type) {
        int size = bytes(type);
        for (int done = 0; done < n; done += CHUNK) {
            int m = Math.min(CHUNK, n - done);
            long dst = p + (at + done) * size;
            switch (type) {
                case F32 -> {
                    float[] f = new float[m];
                    for (int k = 0; k < m; k++) f[k] = (float) values[from + done + k];
                    try (var h = new FloatPointer(f)) {
                        check(cuMemcpyHtoDAsync(dst, h, (long) m * size, stream), "copying to the device");
                    }
                }
                case F64 -> {
                    try (var h = new DoublePointer(m)) {
                        h.put(values, from + done, m);
                        check(cuMemcpyHtoDAsync(dst, h, (long) m * size, stream), "copying to the device");
                    }
                }
            }
        }
    }

    /** {@code n} elements from device memory at element {@code at}, as doubles. */
    double[] download(long p, long at, int n, DType type) {
        double[] out = new double[n];
        int size = bytes(type);
        for (int done = 0; done < n; done += CHUNK) {
            int m = Math.min(CHUNK, n - done);
            long src = p + (at + done) * size;
            switch (type) {
                case F32 -> {
                    try (var h = new FloatPointer(m)) {
                        check(cuMemcpyDtoHAsync(h, src, (long) m * size, stream), "copying from the device");
                        synchronize();
                        for (int k = 0; k < m; k++) out[done + k] = h.get(k);
                    }
                }
                case F64 -> {
                    try (var h = new DoublePointer(m)) {
                        check(cuMemcpyDtoHAsync(h, src, (long) m * size, stream), "copying from the device");
                        synchronize();
                        h.get(out, done, m);
                    }
                }
            }
        }
        return out;
    }

    void uploadInts(long p, int[] values) {
        try (var h = new IntPointer(values)) {
            check(cuMemcpyHtoDAsync(p, h, 4L * values.length, stream), "copying to the device");
        }
    }

    void uploadDoubles(long p, double[] values) {
        try (var h = new DoublePointer(values)) {
            check(cuMemcpyHtoDAsync(p, h, 8L * values.length, stream), "copying to the device");
        }
    }

    double[] downloadDoubles(long p, int n) {
        double[] out = new double[n];
        try (var h = new DoublePointer(Math.max(1, n))) {
            check(cuMemcpyDtoHAsync(h, p, 8L * n, stream), "copying from the device");
            synchronize();
            h.get(out, 0, n);
        }
        return out;
    }

    /** 8-byte words: the control block. */
    void uploadWords(long p, BytePointer words, long bytes) { check(cuMemcpyHtoDAsync(p, words, bytes, stream), "copying to the device"); }

    void downloadWords(BytePointer words, long p, long bytes) {
        check(cuMemcpyDtoHAsync(words, p, bytes, stream), "copying from the device");
        synchronize();
    }

    static int bytes(DType type) { return type == DType.F32 ? 4 : 8; }

    private static String megabytes(long bytes) { return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6); }

    // ─── Kernels ───────────────────────────────────────────────────────────────────────────────────

    /** Loads the module image (a fatbin, cubin or PTX) whose kernels {@link #function} finds. */
    void load(byte[] image) {
        if (module != null) throw new IllegalStateException("internal: a second module");
        var m = new CUmod_st();
        // the image must end in a zero byte: PTX is text, and the driver finds its end so
        byte[] z = Arrays.copyOf(image, image.length + 1);
        try (var p = new BytePointer(z)) {
            int r = cuModuleLoadData(m, p);
            if (r == CUDA_ERROR_NO_BINARY_FOR_GPU || r == CUDA_ERROR_INVALID_PTX || r == CUDA_ERROR_UNSUPPORTED_PTX_VERSION) {
                throw new CudaError("the compiled kernels do not run on this GPU (" + Driver.name(r) + "): they were built for other "
                        + "architectures or by a newer nvcc than this driver knows; rebuild them here", r);
            }
            check(r, "loading the network's kernels");
        }
        module = m;
    }

    CUfunc_st function(String name) {
        var f = new CUfunc_st();
        check(cuModuleGetFunction(f, module, name), "finding the kernel " + name);
        return f;
    }

    /** Launches a kernel on the model's stream with one argument, the struct at {@code args}. */
    void launch(CUfunc_st f, long gx, long gy, int threads, PointerPointer<?> args, String name) {
        if (gx > Integer.MAX_VALUE || gy > 65535 || gx * gy * threads >= 1L << 32) {
            throw new CudaError("the kernel " + name + " needs a grid of " + gx + " × " + gy + " blocks of " + threads
                    + " threads, more than nnc's kernels count; use a smaller batch", CUDA_ERROR_INVALID_VALUE);
        }
        check(cuLaunchKernel(f, (int) gx, (int) gy, 1, threads, 1, 1, 0, stream, args, (PointerPointer<?>) null), "launching " + name);
    }

    void synchronize() { check(cuStreamSynchronize(stream), "running the network's kernels"); }

    /** A cuBLAS handle on this stream. */
    Cublas cublas() { return new Cublas(this, stream); }

    // ─── Graphs ────────────────────────────────────────────────────────────────────────────────────

    /** A captured launch sequence, launched as one. */
    final class Graph implements AutoCloseable {
        private final CUgraph_st graph = new CUgraph_st();
        private final CUgraphExec_st exec = new CUgraphExec_st();

        Graph(Runnable launches) {
            check(cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL), "capturing a CUDA graph");
            try {
                launches.run();
            } finally {
                check(cuStreamEndCapture(stream, graph), "capturing a CUDA graph");
            }
            check(cuGraphInstantiate(exec, graph, 0L), "instantiating a CUDA graph");
        }

        void launch() { check(cuGraphLaunch(exec, stream), "launching a CUDA graph"); }

        @Override public void close() {
            check(cuGraphExecDestroy(exec), "destroying a CUDA graph");
            check(cuGraphDestroy(graph), "destroying a CUDA graph");
        }
    }

    @Override public void close() {
        if (module != null) check(cuModuleUnload(module), "unloading the network's kernels");
        module = null;
        check(cuStreamDestroy(stream), "destroying a stream");
    }

    /** The address of a JavaCPP pointer, for an argument struct's field. */
    static long address(Pointer p) { return p.address(); }
}
