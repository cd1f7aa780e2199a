package dev.nnc.runtime.cuda;

import dev.nnc.runtime.Model;
import dev.nnc.runtime.compiled.ModelJar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * How a model jar that {@code nnc build --target cuda} wrote becomes a {@link Model}: its plan and kernels (a
 * fatbin for sm_75 … sm_90, and PTX) are resources of the jar ({@link ModelJar#CUDA_PLAN}, {@link ModelJar#CUDA_KERNELS}). The runtime's {@code ModelJar} calls {@link #load} by name, since it depends on the JDK
 * alone and a CUDA jar brings this module with it.
 */
public final class CudaJar {
    private CudaJar() {}

    /** The network of the CUDA model jar on {@code loader}'s class path, on this machine's GPU. */
    public static Model load(ClassLoader loader) throws IOException {
        return load(read(loader, ModelJar.CUDA_PLAN), read(loader, ModelJar.CUDA_KERNELS));
    }

    /** The network of a plan and its kernels, on this machine's GPU. */
    public static Model load(byte[] plan, byte[] kernels) {
        Driver.device(); // says why not, first, if there is no GPU
        return new CudaModel(CudaPlan.parse(new String(plan, StandardCharsets.UTF_8)), kernels);
    }

    private static byte[] read(ClassLoader loader, String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) throw new IOException("no " + name + " on the class path; the CUDA model jar is damaged");
            return in.readAllBytes();
        }
    }
}
