package dev.nnc.tests;

import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.cuda.Driver;
import java.nio.file.Files;
import java.nio.file.Path;

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
    static byte[] image(String source) { return Toolchain.hostModule(source, DIR.resolve("nnc_host.h")); }

    /** Makes the cuda backend compile for the host emulation in this JVM (for the command line's tests). */
    static void useForCommands() { System.setProperty(Toolchain.EMULATION, DIR.resolve("nnc_host.h").toString()); }
}
