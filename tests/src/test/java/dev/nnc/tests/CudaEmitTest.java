package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.RandomNetworks;
import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA C that {@code nnc emit cuda} prints compiles with nvcc, warnings as errors: every sample in float32 and
 * float64 on its own, for the oldest and the newest architecture nnc builds for (sm_75, sm_90), host code included;
 * and every network of the random family, in translation units of thirty networks each, into sm_75 machine code
 * (a run per network would take minutes). Without nvcc the tests are skipped, saying so. The same
 * program gives the same source, so the cache of compiled kernels finds it.
 */
class CudaEmitTest {
    static String nvcc;

    @TempDir static Path dir;

    /** The random family's networks per nvcc run. */
    static final int PER_UNIT = 30;

    static final String NO_NVCC = "nvcc is not installed (not on PATH, in $CUDA_HOME/bin or /usr/local/cuda/bin)";

    @BeforeAll
    static void findNvcc() {
        nvcc = Toolchain.nvcc().map(Path::toString).orElse(null);
    }

    static Stream<Arguments> samples() throws IOException { return CudaChecks.samples(); }

    static String cuda(String name, String source, String optimizer, DType type) {
        var net = JvmBackendTest.compile(name, source, optimizer);
        return CudaBackend.generate(net.graph(), net.optimizer(), type).cuda().source();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sampleCompilesWithNvcc(String name, String source, String optimizer, DType type) throws Exception {
        Assumptions.assumeTrue(nvcc != null, NO_NVCC);
        String cuda = cuda(name, source, optimizer, type);
        assertTrue(cuda.contains(") train_0(const nnc_args a)"), cuda);
        assertTrue(cuda.contains(") step(const nnc_args a)"), cuda);
        compile(name.replaceAll("[^A-Za-z0-9]+", "_"), cuda, name, "-gencode", "arch=compute_75,code=sm_75", "-gencode", "arch=compute_90,code=sm_90", "-c");
    }

    @Test
    void theRandomFamilyCompilesWithNvcc() throws Exception {
        Assumptions.assumeTrue(nvcc != null, NO_NVCC);
        List<String> units = new ArrayList<>();
        var unit = new StringBuilder("#include <math.h>\n");
        int inUnit = 0;
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed++) {
            var p = RandomNetworks.generate(seed);
            String optimizer = JvmBackendTest.OPTIMIZERS.get((int) (seed % JvmBackendTest.OPTIMIZERS.size()));
            String cuda = cuda("random " + seed, p.source(), optimizer, seed % 7 == 0 ? DType.F64 : DType.F32);
            // each network in a namespace of its own; its kernels' C linkage would clash with the others' names
            unit.append("// random network ").append(seed).append(" (").append(p.name()).append(")\nnamespace random_").append(seed).append(" {\n")
                    .append(cuda.replace("#include <math.h>\n", "").replace("extern \"C\" ", "")).append("}\n");
            if (++inUnit == PER_UNIT) {
                units.add(unit.toString());
                unit = new StringBuilder("#include <math.h>\n");
                inUnit = 0;
            }
        }
        if (inUnit > 0) units.add(unit.toString());
        var pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int u = 0; u < units.size(); u++) {
                int k = u;
                done.add(pool.submit(() -> {
                    compile("random_unit_" + k, units.get(k), "random networks " + k * PER_UNIT + " to " + ((k + 1) * PER_UNIT - 1),
                            "-arch=sm_75", "-cubin");
                    return null;
                }));
            }
            for (var f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof AssertionError a) throw a;
                    throw e;
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The same program twice gives the same CUDA C, to the byte. */
    @Test
    void theSameProgramGivesTheSameSource() throws IOException {
        String mlp = Files.readString(Repo.root().resolve("samples/mlp.nn")), seed = Files.readString(Repo.root().resolve("samples/seed.nn"));
        assertEquals(cuda("mlp", mlp, "adam", DType.F32), cuda("mlp", mlp, "adam", DType.F32));
        assertEquals(cuda("seed", seed, "gd", DType.F32), cuda("seed", seed, "gd", DType.F32));
    }

    /** nvcc with these options, warnings as errors; what it says, with the numbered source, if it fails. */
    static void compile(String file, String cuda, String what, String... options) throws IOException, InterruptedException {
        Path cu = dir.resolve(file + ".cu"), log = dir.resolve(file + ".log");
        Files.writeString(cu, cuda, StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(nvcc, "-std=c++17", "-Werror", "all-warnings"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(cu.toString(), "-o", dir.resolve(file + ".out").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "nvcc did not finish");
        assertEquals(0, p.exitValue(), () -> file + ": nvcc says\n" + read(log) + "\n--- the CUDA C of " + what + " ---\n"
                + (cuda.length() < 200_000 ? Nets.numbered(cuda) : "(see " + cu + ")"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
