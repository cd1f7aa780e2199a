package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.cuda.Argument;
import dev.nnc.runtime.cuda.ControlBlock;
import dev.nnc.runtime.cuda.CudaPlan;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kernel ABI as C lays it out is the one the runtime reads: a network's generated CUDA C (the MLP sample with
 * Adam, which has every kind of argument: data, a gathered copy, work, optimizer states) with a host program added
 * that prints the offset, size and type of every field of {@code nnc_ctl} and {@code nnc_args}, compiled by g++
 * (with the host emulation's header) or else by nvcc, and compared with {@link ControlBlock} and {@link Argument}.
 * The plan the runtime parses lists the same arguments.
 */
class CudaAbiTest {
    @TempDir static Path dir;

    @ParameterizedTest
    @EnumSource(DType.class)
    void theCompiledStructsAreTheRuntimes(DType type) throws Exception {
        List<String> compiler = compiler();
        Assumptions.assumeTrue(compiler != null, "neither g++ nor nvcc is installed: the C side of the CUDA ABI cannot be compiled");
        var net = JvmBackendTest.compile("mlp.nn", Files.readString(Repo.root().resolve("samples/mlp.nn")), "adam");
        var generated = CudaBackend.generate(net.graph(), net.optimizer(), type);
        List<Argument> args = generated.cuda().args();
        assertEquals(args, CudaPlan.parse(generated.planJson()).args(), "the plan's arguments");
        for (var kind : List.of(Argument.Kind.DATA, Argument.Kind.GATHERED, Argument.Kind.WORK, Argument.Kind.STATE)) {
            assertTrue(args.stream().anyMatch(a -> a.kind() == kind), "the sample has no " + kind + " argument");
        }

        var main = new StringBuilder("\n#include <cstdio>\n#include <type_traits>\nint main() {\n");
        var expected = new StringBuilder();
        for (ControlBlock f : ControlBlock.values()) {
            main.append(print("nnc_ctl", f.field(), f.type));
            expected.append("nnc_ctl ").append(f.field()).append(' ').append(f.offset()).append(" 8 ").append(f.type).append('\n');
        }
        main.append("    std::printf(\"sizeof nnc_ctl %zu\\n\", sizeof(nnc_ctl));\n");
        expected.append("sizeof nnc_ctl ").append(ControlBlock.BYTES).append('\n');
        for (int k = 0; k < args.size(); k++) {
            Argument a = args.get(k);
            main.append(print("nnc_args", a.field(), a.kind().type));
            expected.append("nnc_args ").append(a.field()).append(' ').append((long) k * Argument.BYTES).append(' ').append(Argument.BYTES)
                    .append(' ').append(a.kind().type).append('\n');
        }
        main.append("    std::printf(\"sizeof nnc_args %zu\\n\", sizeof(nnc_args));\n    return 0;\n}\n");
        expected.append("sizeof nnc_args ").append((long) args.size() * Argument.BYTES).append('\n');

        Path source = dir.resolve("abi_" + type + ".cu"), program = dir.resolve("abi_" + type);
        Files.writeString(source, generated.cuda().source() + main, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(compiler);
        cmd.addAll(List.of(source.toString(), "-o", program.toString()));
        assertEquals("", run(cmd, true), "the compiler's complaints");
        assertEquals(expected.toString(), run(List.of(program.toString()), false));
    }

    /** A line {@code struct field offset size type}, the type Java's if C's is the same, else C's mangled name. */
    private static String print(String struct, String field, String type) {
        String member = struct + "::" + field;
        return "    std::printf(\"" + struct + " " + field + " %zu %zu %s\\n\", offsetof(" + struct + ", " + field + "), sizeof(((" + struct
                + "*) 0)->" + field + "), std::is_same<decltype(" + member + "), " + type + ">::value ? \"" + type + "\" : typeid(decltype("
                + member + ")).name());\n";
    }

    /** g++ with the host emulation's header, or nvcc; null when there is neither. */
    private static List<String> compiler() {
        if (onPath("g++")) {
            return List.of("g++", "-std=c++17", "-w", "-include", Repo.root().resolve("tests/src/test/native/nnc_host.h").toString(), "-include",
                    "typeinfo", "-x", "c++");
        }
        return Toolchain.nvcc().map(n -> List.of(n.toString(), "-std=c++17", "-w", "-include", "typeinfo", "-x", "cu")).orElse(null);
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, command))) return true;
        }
        return false;
    }

    /** Its output; with {@code compiling}, a failed run is the compiler's complaint, else a failure of the test. */
    private static String run(List<String> cmd, boolean compiling) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), cmd.get(0) + " took more than 5 minutes");
        if (p.exitValue() != 0) return compiling ? out.isEmpty() ? "exit status " + p.exitValue() : out : "exit status " + p.exitValue() + ": " + out;
        return out;
    }
}
