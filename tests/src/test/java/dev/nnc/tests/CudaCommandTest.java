package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --backend cuda} and {@code nnc build --target cuda} from the command line: training, prediction and the
 * stop at a loss that is not finite on the host emulation of CUDA (where the kernels are compiled with g++ for
 * the host); and, in processes of their own, what a machine without an NVIDIA driver, or without a GPU, is told.
 */
class CudaCommandTest {
    static void emulation() {
        String why = HostCuda.unavailable();
        Assumptions.assumeTrue(why == null, () -> "skipped: " + why);
        HostCuda.useForCommands();
    }

    @Test
    void trainsPredictsAndEvaluatesLikeTheJvmBackend(@TempDir Path dir) throws Exception {
        emulation();
        Path cuda = dir.resolve("cuda.safetensors"), jvm = dir.resolve("jvm.safetensors");
        var train = CliTest.nnc("train", CliTest.sample("spirals.nn"), "--backend", "cuda", "-o", cuda.toString(), "--epochs", "30");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("training Spirals (1,251 parameters) on 480 samples (validating on 120)"), train.out());
        assertEquals(30, train.out().lines().filter(l -> l.startsWith("epoch ")).count(), train.out());
        var reference = CliTest.nnc("train", CliTest.sample("spirals.nn"), "--backend", "jvm", "-o", jvm.toString(), "--epochs", "30");
        assertEquals(0, reference.status(), reference.err());
        double gpu = TrainCommandTest.lastValidationAccuracy(train.out()), cpu = TrainCommandTest.lastValidationAccuracy(reference.out());
        assertTrue(gpu >= 0.9, train.out());
        assertEquals(cpu, gpu, 0.025, "30 epochs from the same seed on the two float32 backends end at the same accuracy, to a sample or three");

        // predictions of the GPU-trained weights, on both backends
        var onCuda = CliTest.nnc("predict", CliTest.sample("spirals.nn"), "--backend", "cuda", "--weights", cuda.toString(), "--input",
                CliTest.sample("data/spirals.csv"));
        var onJvm = CliTest.nnc("predict", CliTest.sample("spirals.nn"), "--backend", "jvm", "--weights", cuda.toString(), "--input",
                CliTest.sample("data/spirals.csv"));
        assertEquals(0, onCuda.status(), onCuda.err());
        List<String> a = onCuda.out().lines().toList(), b = onJvm.out().lines().toList();
        assertEquals(601, a.size());
        assertEquals(a.get(0), b.get(0));
        for (int r = 1; r < a.size(); r++) {
            String[] x = a.get(r).split(","), y = b.get(r).split(",");
            for (int c = 0; c < 3; c++) assertEquals(Double.parseDouble(y[c]), Double.parseDouble(x[c]), 1e-5, "row " + r);
        }
        var eval = CliTest.nnc("eval", CliTest.sample("spirals.nn"), "--backend", "cuda", "--weights", cuda.toString(), "--data",
                CliTest.sample("data/spirals.csv"));
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("confusion matrix"), eval.out());
    }

    @Test
    void aNonFiniteLossStopsTrainingKeepingTheLastEpoch(@TempDir Path dir) throws Exception {
        emulation();
        Path nn = TrainCommandTest.blowUp(dir), w = dir.resolve("w.safetensors");
        var run = CliTest.nnc("train", nn.toString(), "--quiet", "--backend", "cuda", "--precision", "f64", "-o", w.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        // as on the JVM backend: the weights grow until (w x)² overflows, in the first batch of epoch 2
        assertEquals("nnc: training stopped in epoch 2, mini-batch 1: J in sample 1 of the batch is not finite (the loss is Infinity); "
                + w + " keeps the weights of epoch 1; try a smaller learning rate (--lr) or normalised inputs\n", run.err().replace("\r", ""));
        assertEquals("1", Checkpoint.read(w).meta(Checkpoint.EPOCH));
    }

    // ─── Machines where CUDA cannot run ────────────────────────────────────────────────────────────────

    @Test
    void withoutADriverTheCudaBackendSaysSoInOneLine(@TempDir Path dir) throws Exception {
        var run = nncProcess(dir, (String) null, "train", CliTest.sample("xor.nn"), "--backend", "cuda", "--quiet", "-o", dir.resolve("w.safetensors").toString());
        assertEquals(1, run.status(), run.err());
        assertEquals("nnc: the cuda backend cannot run here: there is no NVIDIA driver (libcuda.so.1 is not installed, or not on "
                + "LD_LIBRARY_PATH); the jvm backend runs on the CPU\n", run.err());
        var jvm = nncProcess(dir, (String) null, "train", CliTest.sample("xor.nn"), "--quiet", "-o", dir.resolve("w.safetensors").toString());
        assertEquals(0, jvm.status(), "the jvm backend needs nothing of CUDA: " + jvm.err());
    }

    @Test
    void withADriverButNoGpuTheCudaBackendSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Path stub = HostCuda.DIR.resolve("nodevice");
        Assumptions.assumeTrue(Files.isRegularFile(stub.resolve("libcuda.so.1")), "skipped: the stand-in driver without a device was not built (no gcc)");
        var run = nncProcess(dir, stub, "eval", CliTest.sample("xor.nn"), "--backend", "cuda", "--weights", dir.resolve("none.safetensors").toString(),
                "--data", CliTest.sample("data/xor.csv"));
        assertEquals(1, run.status(), run.err());
        assertEquals("nnc: the cuda backend cannot run here: there is no CUDA device (the NVIDIA driver is installed but sees no GPU); "
                + "the jvm backend runs on the CPU\n", run.err());
    }

    /** nnc in a JVM of its own, with {@code libraries} (or nothing) as LD_LIBRARY_PATH. */
    static CliTest.Run nncProcess(Path dir, Path libraries, String... args) throws IOException, InterruptedException {
        return nncProcess(dir, libraries == null ? null : libraries.toString(), args);
    }

    static CliTest.Run nncProcess(Path dir, String libraries, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.nnc.cli.Main"));
        command.addAll(List.of(args));
        return java(dir, libraries, command);
    }

    /** A JVM of its own (the one running these tests) with these arguments, and {@code libraries} as LD_LIBRARY_PATH. */
    static CliTest.Run java(Path dir, String libraries, List<String> arguments) throws IOException, InterruptedException {
        return java(Path.of(System.getProperty("java.home"), "bin", "java"), dir, libraries, arguments);
    }

    /** The same with another {@code java}. */
    static CliTest.Run java(Path java, Path dir, String libraries, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(arguments);
        List<String> args = arguments;
        var pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        if (libraries == null) pb.environment().remove("LD_LIBRARY_PATH");
        else pb.environment().put("LD_LIBRARY_PATH", libraries);
        Path out = Files.createTempFile(dir, "out", ".txt"), err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nnc " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        return new CliTest.Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    // ─── nnc build --target cuda ───────────────────────────────────────────────────────────────────────

    @Test
    void buildTargetCudaWritesAJarWithKernelsForEveryArchitecture(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Toolchain.nvcc().isPresent(), "skipped: nvcc is not installed");
        Path jar = dir.resolve("xor-cuda.jar");
        var build = CliTest.nnc("build", CliTest.sample("xor.nn"), "--target", "cuda", "-o", jar.toString());
        assertEquals(0, build.status(), build.err());
        assertTrue(build.out().contains("kernels for sm_75, sm_80, sm_86, sm_89, sm_90 and PTX"), build.out());
        try (var zip = new ZipFile(jar.toFile())) {
            var props = new Properties();
            props.load(zip.getInputStream(zip.getEntry("META-INF/nnc/model.properties")));
            assertEquals("cuda", props.getProperty("target"));
            assertEquals("dev.nnc.runtime.cuda.CudaJar", props.getProperty("class"));
            assertTrue(new String(zip.getInputStream(zip.getEntry("META-INF/nnc/cuda/plan.json")).readAllBytes(), StandardCharsets.UTF_8)
                    .contains("\"train\":[{\"name\":\"train_0\""));
            byte[] fatbin = zip.getInputStream(zip.getEntry("META-INF/nnc/cuda/kernels.fatbin")).readAllBytes();
            assertEquals(Map.of("elf", new TreeSet<>(List.of(75, 80, 86, 89, 90)), "ptx", new TreeSet<>(List.of(90))), fatbinContents(fatbin));
            assertTrue(zip.getEntry("org/bytedeco/cuda/linux-x86_64/libjnicudart.so") != null, "the JNI bindings of the driver API");
            assertTrue(zip.getEntry("org/bytedeco/cuda/global/cublas.class") == null, "nothing of cuBLAS");
            assertTrue(zip.getEntry("dev/nnc/cli/Main.class") == null, "nothing of the compiler");
        }
        // on a machine without a driver the jar says so in one line
        var run = java(dir, null, List.of("-jar", jar.toString(), "info"));
        assertEquals(1, run.status(), run.err());
        assertEquals(jar.getFileName() + ": the network is compiled for an NVIDIA GPU, and there is no NVIDIA driver (libcuda.so.1 is "
                + "not installed, or not on LD_LIBRARY_PATH)\n", run.err());
    }

    /** The architectures a fatbin holds machine code (ELF) and PTX for, from its header and entries' headers. */
    static Map<String, TreeSet<Integer>> fatbinContents(byte[] fatbin) {
        var b = ByteBuffer.wrap(fatbin).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xBA55ED50, b.getInt(0), "a fatbin's magic number");
        int header = Short.toUnsignedInt(b.getShort(6));
        long size = b.getLong(8);
        TreeSet<Integer> elf = new TreeSet<>(), ptx = new TreeSet<>();
        for (long at = header; at < header + size; ) {
            int kind = Short.toUnsignedInt(b.getShort((int) at)), entryHeader = b.getInt((int) at + 4), payload = b.getInt((int) at + 8);
            int sm = b.getInt((int) at + 28);
            (kind == 2 ? elf : ptx).add(sm);
            at += entryHeader + (long) payload;
        }
        return Map.of("elf", elf, "ptx", ptx);
    }
}
