package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.RandomNetworks;
import dev.nnc.gen.cuda.CudaGen;
import dev.nnc.runtime.DType;
import dev.nnc.schedule.GpuSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA C that {@code nnc emit cuda} prints compiles with nvcc on its own, warnings as errors: every sample in
 * float32 and float64, and every tenth network of the random family. Without nvcc on the PATH the tests are
 * skipped, saying so. (Running the kernels needs a GPU; that is tested where one exists.)
 */
class CudaEmitTest {
    static String nvcc;

    @TempDir static Path dir;

    @BeforeAll
    static void findNvcc() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, "nvcc"))) nvcc = Path.of(p, "nvcc").toString();
        }
        if (nvcc == null && Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"))) nvcc = "/usr/local/cuda/bin/nvcc";
        if (nvcc == null) System.err.println("CudaEmitTest: skipped: nvcc is not installed (not on PATH, not in /usr/local/cuda/bin)");
    }

    static Stream<Arguments> programs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (var files = Files.list(Repo.root().resolve("samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
                for (DType t : DType.values()) out.add(Arguments.of(f.getFileName() + " " + t, Files.readString(f), "adam", t));
            }
        }
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed += 10) {
            var p = RandomNetworks.generate(seed);
            out.add(Arguments.of("random " + seed + " (" + p.name() + ")", p.source(),
                    JvmBackendTest.OPTIMIZERS.get((int) (seed / 10 % JvmBackendTest.OPTIMIZERS.size())), DType.F32));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void compilesWithNvcc(String name, String source, String optimizer, DType type) throws Exception {
        Assumptions.assumeTrue(nvcc != null, "nvcc is not installed");
        var net = JvmBackendTest.compile(name, source, optimizer);
        String cuda = CudaGen.generate(GpuSchedule.of(net.graph(), net.optimizer()), type).source();
        assertTrue(cuda.contains(") train_0(const nnc_args a)"), cuda);
        assertTrue(cuda.contains(") step(const nnc_args a)"), cuda);
        String file = name.replaceAll("[^A-Za-z0-9]+", "_");
        Path cu = dir.resolve(file + ".cu"), log = dir.resolve(file + ".log");
        Files.writeString(cu, cuda, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(nvcc, "-arch=sm_75", "-Werror", "all-warnings", "-c", cu.toString(), "-o", dir.resolve(file + ".o").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "nvcc did not finish");
        assertEquals(0, p.exitValue(), () -> name + ": nvcc says\n" + read(log) + "\n--- the CUDA C ---\n" + Nets.numbered(cuda));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
