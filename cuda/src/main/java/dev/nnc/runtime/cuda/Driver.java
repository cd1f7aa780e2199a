package dev.nnc.runtime.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The CUDA driver, through JavaCPP's presets (linked against the system's libcuda.so.1 and libcudart.so.13), and
 * the GPU this process computes on. Whether CUDA can run here is found out once per process and the answer kept:
 * loading the bindings needs the driver's libcuda.so.1, and a failed load leaves JavaCPP's class unusable for the
 * rest of the process (the first use throws {@link UnsatisfiedLinkError}, every later one
 * {@link NoClassDefFoundError}), so nothing may try a second time.
 *
 * <p>Every driver call's status goes through {@link #check}, which turns a failure into a {@link CudaError} that
 * says what was being done and what the driver answered.
 */
public final class Driver {
    private Driver() {}

    /**
     * The GPU: its ordinal, name, compute capability ({@code major}.{@code minor}), multiprocessors and memory.
     * The system property {@code nnc.cuda.device} (or the environment variable {@code NNC_CUDA_DEVICE}) picks one
     * of several; the first otherwise.
     */
    public record Device(int ordinal, String name, int major, int minor, int multiprocessors, long memory) {
        /** The architecture nvcc compiles for: {@code sm_90}. */
        public String arch() { return "sm_" + major + minor; }

        public String describe() {
            return String.format(Locale.ROOT, "%s (%s, %d multiprocessors, %.0f GiB)", name, arch(), multiprocessors, memory / (double) (1L << 30));
        }
    }

    private static final class Probe {
        static final Object RESULT = probe();
    }

    /** The device this process computes on, its primary context current on the calling thread. */
    public static Device device() {
        Object r = Probe.RESULT;
        if (r instanceof CudaUnavailable u) throw new CudaUnavailable(u.getMessage());
        Context.makeCurrent();
        return (Device) r;
    }

    /** Why CUDA cannot run here, or empty if it can. */
    public static Optional<String> unavailable() {
        return Probe.RESULT instanceof CudaUnavailable u ? Optional.of(u.getMessage()) : Optional.empty();
    }

    private static Object probe() {
        try {
            Loader.load(cudart.class);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new CudaUnavailable(missingLibrary(e));
        }
        int r = cuInit(0);
        if (r == CUDA_ERROR_NO_DEVICE) return new CudaUnavailable("there is no CUDA device (the NVIDIA driver is installed but sees no GPU)");
        if (r == CUDA_ERROR_SYSTEM_DRIVER_MISMATCH) {
            return new CudaUnavailable("the NVIDIA kernel driver and its libcuda.so.1 are different versions (" + name(r) + "; reinstall the driver)");
        }
        if (r != CUDA_SUCCESS) return new CudaUnavailable("the CUDA driver does not start: " + name(r) + " (" + words(r) + ")");
        int[] count = new int[1];
        r = cuDeviceGetCount(count);
        if (r != CUDA_SUCCESS || count[0] == 0) return new CudaUnavailable("there is no CUDA device (the NVIDIA driver sees no GPU)");
        int ordinal = ordinal();
        if (ordinal < 0 || ordinal >= count[0]) {
            return new CudaUnavailable("there is no CUDA device " + ordinal + "; this machine has " + count[0] + " (nnc.cuda.device / NNC_CUDA_DEVICE)");
        }
        try {
            int[] dev = new int[1];
            check(cuDeviceGet(dev, ordinal), "finding CUDA device " + ordinal);
            byte[] name = new byte[256];
            check(cuDeviceGetName(name, name.length, dev[0]), "reading the device's name");
            int n = 0;
            while (n < name.length && name[n] != 0) n++;
            int major = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev[0]);
            int minor = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev[0]);
            int sms = attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, dev[0]);
            long memory;
            try (var bytes = new SizeTPointer(1)) {
                check(cuDeviceTotalMem(bytes, dev[0]), "reading the device's memory size");
                memory = bytes.get();
            }
            if (major < 7 || major == 7 && minor < 5) {
                return new CudaUnavailable("the GPU " + new String(name, 0, n) + " (sm_" + major + minor + ") is older than CUDA 13 supports (sm_75, Turing, or newer)");
            }
            Context.open(dev[0]);
            return new Device(ordinal, new String(name, 0, n, StandardCharsets.UTF_8), major, minor, sms, memory);
        } catch (CudaError e) {
            return new CudaUnavailable("the CUDA device does not answer: " + e.getMessage());
        }
    }

    private static int ordinal() {
        String v = System.getProperty("nnc.cuda.device", System.getenv("NNC_CUDA_DEVICE"));
        if (v == null || v.isBlank()) return 0;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int attribute(int which, int dev) {
        int[] v = new int[1];
        check(cuDeviceGetAttribute(v, which, dev), "reading a device attribute");
        return v[0];
    }

    private static final Pattern CANNOT_OPEN = Pattern.compile("([^\\s/:]+\\.so[.\\d]*): cannot open shared object file");

    /** What a failed load of the bindings was missing, in words: which library, and what to do. */
    static String missingLibrary(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            Matcher m = CANNOT_OPEN.matcher(String.valueOf(c.getMessage()));
            if (m.find()) {
                String lib = m.group(1);
                if (lib.startsWith("libcuda.so")) return "there is no NVIDIA driver (" + lib + " is not installed, or not on LD_LIBRARY_PATH)";
                return "the CUDA 13 libraries are missing (" + lib + " is not installed, or not on LD_LIBRARY_PATH)";
            }
        }
        return "the CUDA bindings do not load: " + e.getMessage();
    }

    /** @throws CudaError saying what was being done if {@code status} is not CUDA_SUCCESS */
    static void check(int status, String doing) {
        if (status != CUDA_SUCCESS) throw new CudaError("CUDA failed " + doing + ": " + name(status) + " (" + words(status) + ")", status);
    }

    static String name(int status) {
        try (var p = new BytePointer((Pointer) null)) {
            return cuGetErrorName(status, p) == CUDA_SUCCESS && !p.isNull() ? p.getString() : "CUDA error " + status;
        }
    }

    static String words(int status) {
        try (var p = new BytePointer((Pointer) null)) {
            return cuGetErrorString(status, p) == CUDA_SUCCESS && !p.isNull() ? p.getString() : "no description";
        }
    }

    /** The device's primary context, retained once and made current on each thread that uses it. */
    static final class Context {
        private static CUctx_st context;

        static synchronized void open(int device) {
            if (context != null) return;
            var c = new CUctx_st();
            check(cuDevicePrimaryCtxRetain(c, device), "opening the device's context");
            context = c;
            makeCurrent();
        }

        static void makeCurrent() {
            if (context != null) check(cuCtxSetCurrent(context), "making the device's context current");
        }
    }
}
