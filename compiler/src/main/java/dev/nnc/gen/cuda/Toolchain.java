package dev.nnc.gen.cuda;

import dev.nnc.driver.Cache;
import dev.nnc.runtime.checkpoint.AtomicFile;
import dev.nnc.runtime.cuda.CudaUnavailable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Compiling the generated CUDA C: with nvcc (CUDA 13), ahead of time, into a fatbin; with NVRTC through JavaCPP
 * only when nvcc is not installed and libnvrtc is. A model compiled for this machine's GPU is kept in a cache by
 * the hash of its source, the architecture and the compiler, so the second run of a network starts at once.
 */
public final class Toolchain {
    private Toolchain() {}

    /**
     * What a model jar carries machine code for: Turing (sm_75) to Hopper (sm_90), and sm_90's PTX, which the
     * driver compiles for any later GPU.
     */
    public static final List<String> ARCHS = List.of("75", "80", "86", "89", "90");

    private static final List<String> FLAGS = List.of("-O3", "-std=c++17");

    /** nvcc: on the PATH, in $CUDA_HOME/bin, or in /usr/local/cuda/bin. */
    public static Optional<Path> nvcc() {
        List<Path> candidates = new ArrayList<>();
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) if (!p.isEmpty()) candidates.add(Path.of(p, "nvcc"));
        String home = System.getenv("CUDA_HOME");
        if (home != null) candidates.add(Path.of(home, "bin", "nvcc"));
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** A fatbin for every architecture of {@link #ARCHS}, for a model jar. */
    public static byte[] fatbin(String source) {
        Path nvcc = nvcc().orElseThrow(() -> new CudaUnavailable("there is no nvcc (the CUDA 13 toolkit) to compile its kernels ahead of time with"));
        List<String> args = new ArrayList<>(List.of("-fatbin"));
        for (String a : ARCHS) args.addAll(List.of("-gencode", "arch=compute_" + a + ",code=sm_" + a));
        String last = ARCHS.get(ARCHS.size() - 1);
        args.addAll(List.of("-gencode", "arch=compute_" + last + ",code=compute_" + last));
        return run(nvcc, source, args, "fatbin");
    }

    /**
     * Machine code for one architecture ({@code sm_90}), from the cache when this source was compiled before: nvcc
     * if it is installed, NVRTC otherwise.
     */
    public static byte[] forDevice(String source, String arch) {
        String emulation = System.getProperty(EMULATION);
        if (emulation != null) return hostModule(source, Path.of(emulation));
        Optional<Path> nvcc = nvcc();
        String compiler = nvcc.map(Path::toString).orElse("nvrtc");
        Path cached = Cache.dir("cuda").resolve(Cache.sha256(source + "\0" + arch + "\0" + compiler + "\0" + FLAGS) + ".cubin");
        if (Files.isRegularFile(cached)) {
            try {
                return Files.readAllBytes(cached);
            } catch (IOException e) {
                // unreadable: compile again
            }
        }
        byte[] image = nvcc.isPresent()
                ? run(nvcc.get(), source, List.of("-cubin", "-arch=" + arch), "cubin")
                : Nvrtc.cubin(source, arch);
        try {
            Files.createDirectories(cached.getParent());
            AtomicFile.write(cached, image);
        } catch (IOException e) {
            // no cache then; the next run compiles again
        }
        return image;
    }

    /**
     * For nnc's own tests, which run the CUDA backend on a host emulation of CUDA where there is no GPU: the path
     * of that emulation's header ({@code tests/src/test/native/nnc_host.h}). The kernels are then compiled for the
     * host with g++, and the image is what the emulation's stand-in driver loads.
     */
    public static final String EMULATION = "nnc.cuda.emulation";

    /** The generated CUDA C as a shared object of the host, with the emulation's header; built once per source. */
    public static byte[] hostModule(String source, Path header) {
        Path dir = header.toAbsolutePath().getParent().resolve("modules");
        String headerText;
        try {
            headerText = Files.readString(header);
        } catch (IOException e) {
            throw new IllegalStateException("internal: the host emulation's header cannot be read: " + e.getMessage(), e);
        }
        String name = Cache.sha256(source + "\0" + headerText).substring(0, 24);
        Path so = dir.resolve(name + ".so");
        try {
            if (!Files.isRegularFile(so)) {
                Files.createDirectories(dir);
                Path cu = dir.resolve(name + ".cu"), tmp = dir.resolve(name + "." + ProcessHandle.current().pid() + ".tmp"), log = dir.resolve(name + ".log");
                Files.writeString(cu, source, StandardCharsets.UTF_8);
                // hidden visibility: the kernels (step, finish, …) bind to themselves, not to functions of the same name in the process
                List<String> cmd = List.of("g++", "-std=c++17", "-O1", "-fPIC", "-shared", "-fvisibility=hidden", "-w", "-DNNC_HOST",
                        "-include", header.toString(), "-x", "c++", cu.toString(), "-o", tmp.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    throw new IllegalStateException("internal: g++ rejects the generated CUDA C for the host (" + cu + "):\n" + Files.readString(log));
                }
                Files.move(tmp, so, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IllegalStateException("internal: compiling for the host emulation failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("internal: interrupted while g++ ran", e);
        }
        return ("NNCHOST:" + so).getBytes(StandardCharsets.UTF_8);
    }

    /** nvcc on the source in a temporary directory; what it rejects is a bug in the generated code. */
    private static byte[] run(Path nvcc, String source, List<String> what, String suffix) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nnc-cuda");
            Path cu = dir.resolve("network.cu"), out = dir.resolve("network." + suffix), log = dir.resolve("nvcc.log");
            Files.writeString(cu, source, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(nvcc.toString()));
            cmd.addAll(FLAGS);
            cmd.addAll(what);
            cmd.addAll(List.of("-o", out.toString(), cu.toString()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("internal: nvcc did not finish in 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("internal: nvcc rejects the generated CUDA C (" + String.join(" ", cmd) + "):\n" + Files.readString(log));
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new IllegalStateException("internal: running nvcc failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("internal: interrupted while nvcc ran", e);
        } finally {
            if (dir != null) delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
