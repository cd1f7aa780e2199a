package dev.nnc.gen.cuda;

import static org.bytedeco.cuda.global.nvrtc.*;

import dev.nnc.runtime.cuda.CudaUnavailable;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * NVRTC, CUDA's compiler as a library (libnvrtc.so.13), through JavaCPP: what compiles the kernels when nvcc is
 * not installed. Whether it loads is asked once per process, for the same reason as the driver (see
 * {@code dev.nnc.runtime.cuda.Driver}).
 */
final class Nvrtc {
    private Nvrtc() {}

    private static final class Probe {
        static final String MISSING = probe();

        private static String probe() {
            try {
                Loader.load(org.bytedeco.cuda.global.nvrtc.class);
                return null;
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                return "there is neither nvcc nor NVRTC (libnvrtc.so.13) of CUDA 13 to compile its kernels with";
            }
        }
    }

    /** A cubin of the source for one architecture ({@code sm_90}). */
    static byte[] cubin(String source, String arch) {
        if (Probe.MISSING != null) throw new CudaUnavailable(Probe.MISSING);
        var program = new _nvrtcProgram();
        check(nvrtcCreateProgram(program, new BytePointer(source), new BytePointer("network.cu"), 0, (PointerPointer<?>) null,
                (PointerPointer<?>) null), "creating a program");
        try {
            var options = new PointerPointer<>("--gpu-architecture=" + arch, "-std=c++17");
            int r = nvrtcCompileProgram(program, 2, options);
            if (r != NVRTC_SUCCESS) throw new IllegalStateException("internal: NVRTC rejects the generated CUDA C:\n" + log(program));
            try (var size = new SizeTPointer(1)) {
                check(nvrtcGetCUBINSize(program, size), "sizing the cubin");
                byte[] out = new byte[(int) size.get()];
                try (var p = new BytePointer(out.length)) {
                    check(nvrtcGetCUBIN(program, p), "reading the cubin");
                    p.get(out);
                }
                return out;
            }
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static String log(_nvrtcProgram program) {
        try (var size = new SizeTPointer(1)) {
            if (nvrtcGetProgramLogSize(program, size) != NVRTC_SUCCESS) return "(no log)";
            try (var p = new BytePointer(size.get())) {
                return nvrtcGetProgramLog(program, p) == NVRTC_SUCCESS ? p.getString() : "(no log)";
            }
        }
    }

    private static void check(int status, String doing) {
        if (status != NVRTC_SUCCESS) throw new IllegalStateException("internal: NVRTC failed " + doing + ": " + nvrtcGetErrorString(status).getString());
    }
}
