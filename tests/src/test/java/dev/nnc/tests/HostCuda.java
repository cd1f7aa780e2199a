package dev.nnc.tests;

import dev.nnc.runtime.cuda.Driver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The tests' stand-in for a GPU (tests/src/test/native): the build puts a host CUDA driver (libcuda.so.1) on the
 * tests' LD_LIBRARY_PATH, so the CUDA runtime's JavaCPP calls run for real, and this compiles a network's
 * generated CUDA C for the host with g++ and nnc_host.h into the module that driver loads. The kernels, the
 * argument struct, the launch sequence, the control block and CUDA graphs are then what runs — on the host, one
 * thread at a time.
 */
final class HostCuda {
    private HostCuda() {}

    static final Path DIR = Path.of(System.getProperty("nnc.hostcuda", "target/hostcuda")).toAbsolutePath();

    /** The device name the host driver answers with. */
    static final String NAME = "nnc host emulation";

    /** Why the emulation cannot run in this JVM, or null when it can. */
    static String unavailable() {
        if (!Files.isRegularFile(DIR.resolve("libcuda.so.1"))) return "the host CUDA driver was not built (g++ is not installed)";
        var why = Driver.unavailable();
        if (why.isPresent()) return "the host CUDA driver does not load: " + why.get();
        String name = Driver.device().name();
        if (!name.equals(NAME)) return "the CUDA driver this JVM loaded is a real one (" + name + "), not the host emulation";
        return null;
    }

    /** The module image the host driver loads for this CUDA C: g++'s shared object, built once per source. */
    static byte[] image(String source) {
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
            Path dir = DIR.resolve("modules"), so = dir.resolve(hash.substring(0, 24) + ".so");
            if (!Files.isRegularFile(so)) {
                Files.createDirectories(dir);
                Path cu = dir.resolve(hash.substring(0, 24) + ".cu"), tmp = dir.resolve(hash.substring(0, 24) + ".so.tmp");
                Path log = dir.resolve(hash.substring(0, 24) + ".log");
                Files.writeString(cu, source, StandardCharsets.UTF_8);
                List<String> cmd = List.of("g++", "-std=c++17", "-O1", "-fPIC", "-shared", "-fvisibility=hidden", "-w", "-DNNC_HOST", "-include",
                        DIR.resolve("nnc_host.h").toString(), "-x", "c++", cu.toString(), "-o", tmp.toString());
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(10, TimeUnit.MINUTES)) throw new IllegalStateException("g++ did not finish on " + cu);
                if (p.exitValue() != 0) throw new IllegalStateException("g++ rejects " + cu + ":\n" + Files.readString(log));
                Files.move(tmp, so, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return ("NNCHOST:" + so).getBytes(StandardCharsets.UTF_8);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
