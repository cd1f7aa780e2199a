package dev.nnc.tests;

import static dev.nnc.tests.BuildCommandTest.SCALAR;
import static dev.nnc.tests.BuildCommandTest.VECTOR;
import static dev.nnc.tests.BuildCommandTest.assertSameCsv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.cuda.Toolchain;
import dev.nnc.runtime.cuda.CudaModel;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model jar on the oldest Java it runs on, 17, which is what {@code java} is on many machines (nnc itself needs
 * 21): {@code nnc build}'s jar of a trained sample, run with the machine's JDK 17 in processes of its own, predicts
 * and evaluates as {@code nnc predict} and {@code nnc eval} (on this JVM) do, on the Vector API's kernels as compiled
 * against Java 17's version of the module and on the scalar ones; and a CUDA model jar loads its classes and its
 * bindings there. A machine without a Java 17 fails these tests, saying so ({@link Java17}).
 */
class Java17Test {
    @TempDir static Path dir;
    static Path java17, jar, weights;
    static String expected, evaluation;

    static final String INPUT = CliTest.sample("data/spirals.csv");

    @BeforeAll
    static void buildTrainAndPredictWithNnc() {
        java17 = Java17.java();
        jar = dir.resolve("spirals.jar");
        weights = dir.resolve("spirals.safetensors");
        var build = CliTest.nnc("build", CliTest.sample("spirals.nn"), "-o", jar.toString());
        assertEquals(0, build.status(), build.err());
        var train = CliTest.nnc("train", CliTest.sample("spirals.nn"), "--epochs", "8", "--quiet", "-o", weights.toString());
        assertEquals(0, train.status(), train.err());
        var predict = CliTest.nnc("predict", CliTest.sample("spirals.nn"), "--weights", weights.toString(), "--input", INPUT);
        assertEquals(0, predict.status(), predict.err());
        expected = predict.out();
        var eval = CliTest.nnc("eval", CliTest.sample("spirals.nn"), "--weights", weights.toString(), "--data", INPUT);
        assertEquals(0, eval.status(), eval.err());
        evaluation = eval.out();
    }

    static BuildCommandTest.Run on17(List<String> jvm, Path jarFile, String... args) throws IOException, InterruptedException {
        return BuildCommandTest.javaJar(java17, dir, jvm, jarFile, args);
    }

    @Test
    void theJarPredictsAndEvaluatesOnJava17AsNncDoes() throws Exception {
        var info = on17(List.of(), jar, "info");
        assertEquals(0, info.status(), info.err());
        // plain java -jar: the jar starts Java 17 again with the Vector API module, and says nothing of it
        assertTrue(info.out().contains("kernels    Vector API, on Java 17."), info.out());

        var predict = on17(List.of(), jar, "predict", "--weights", weights.toString(), "--input", INPUT);
        assertEquals(0, predict.status(), predict.err());
        assertEquals("", predict.err());
        assertEquals(601, predict.out().lines().count());
        assertSameCsv(expected, predict.out(), 1e-6);

        Path csv = dir.resolve("p.csv");
        var toFile = on17(List.of(), jar, "predict", "--weights", weights.toString(), "--input", INPUT, "-o", csv.toString());
        assertEquals(0, toFile.status(), toFile.err());
        assertEquals("600 predictions written to " + csv + "\n", toFile.err());
        assertSameCsv(expected, Files.readString(csv), 1e-6);

        var eval = on17(List.of(), jar, "eval", "--weights", weights.toString(), "--data", INPUT);
        assertEquals(0, eval.status(), eval.err());
        assertEquals("", eval.err());
        assertEquals(evaluation, eval.out());

        var mistake = on17(List.of(), jar, "predict", "--weights", weights.toString(), "--input", dir.resolve("none.csv").toString());
        assertEquals(1, mistake.status(), mistake.err());
        assertEquals(1, mistake.err().lines().count(), mistake.err());
        assertTrue(mistake.err().startsWith("spirals.jar: "), mistake.err());
    }

    @Test
    void onJava17BothKernelsComputeAsNncDoes() throws Exception {
        // the module named on the command line: VectorGemm, compiled against Java 17's version of it, runs on it
        var vector = on17(VECTOR, jar, "predict", "--weights", weights.toString(), "--input", INPUT);
        assertEquals(0, vector.status(), vector.err());
        assertEquals("", vector.err());
        assertSameCsv(expected, vector.out(), 1e-6);
        assertTrue(on17(VECTOR, jar, "info").out().contains("kernels    Vector API, on Java 17."));

        // the scalar kernels, which add in another order
        var scalar = on17(SCALAR, jar, "predict", "--weights", weights.toString(), "--input", INPUT);
        assertEquals(0, scalar.status(), scalar.err());
        assertSameCsv(expected, scalar.out(), 1e-5);
        assertTrue(on17(SCALAR, jar, "info").out().contains("kernels    scalar (this JVM runs without jdk.incubator.vector), on Java 17."));
        var eval = on17(SCALAR, jar, "eval", "--weights", weights.toString(), "--data", INPUT);
        assertEquals(0, eval.status(), eval.err());
        assertTrue(eval.out().contains("confusion matrix"), eval.out());
    }

    /**
     * A convolutional network's jar (a padded convolution, a 2 × 2 max pool: loops on vectors with guard masks, reads at
     * stride 2, maxes and argmaxes over windows) predicts on Java 17's Vector API, and on the scalar loops, as nnc does.
     */
    @Test
    void aConvolutionalJarPredictsOnJava17AsNncDoes() throws Exception {
        Path program = dir.resolve("conv.nn"), data = dir.resolve("conv.csv"), convJar = dir.resolve("conv.jar"), convWeights = dir.resolve("conv.safetensors");
        Files.writeString(program, """
                network Conv {
                  input  x[1,12,12]
                  target y[3]
                  param  K[4,1,3,3] ~ he, b[4] = 0
                  param  W[3,4,6,6] ~ he
                  a[c,i,j] = relu(Σₖ Σₚ Σ_q K[c,k,p,q] pad(x, 1, 1)[k, i+p-1, j+q-1] + b[c])
                  m[c,i,j] = max_{p=1}^{2} max_{q=1}^{2} a[c, 2i+p-2, 2j+q-2]
                  z[n] = Σ_c Σᵢ Σⱼ W[n,c,i,j] m[c,i,j]
                  prob = softmax(z)
                  output prob
                  loss J = -Σ_n y[n] log(prob[n])
                }
                train Conv { data "conv.csv"; optimizer adam(α = 0.01); batch 16; epochs 3; seed 2 }
                """);
        var random = new java.util.SplittableRandom(4);
        var csv = new StringBuilder();
        for (int i = 1; i <= 12; i++) for (int j = 1; j <= 12; j++) csv.append("x1_").append(i).append('_').append(j).append(',');
        csv.append("y\n");
        for (int n = 0; n < 200; n++) {
            int label = random.nextInt(3);
            for (int e = 0; e < 144; e++) csv.append(String.format(java.util.Locale.ROOT, "%.3f,", random.nextDouble() + (e % 3 == label ? 0.5 : 0)));
            csv.append(label).append('\n');
        }
        Files.writeString(data, csv);
        assertEquals(0, CliTest.nnc("train", program.toString(), "--quiet", "-o", convWeights.toString()).status());
        var reference = CliTest.nnc("predict", program.toString(), "--weights", convWeights.toString(), "--input", data.toString());
        assertEquals(0, reference.status(), reference.err());
        assertEquals(0, CliTest.nnc("build", program.toString(), "-o", convJar.toString()).status());
        for (List<String> kernels : List.of(VECTOR, SCALAR)) {
            var predict = on17(kernels, convJar, "predict", "--weights", convWeights.toString(), "--input", data.toString());
            assertEquals(0, predict.status(), predict.err());
            assertEquals(201, predict.out().lines().count());
            assertSameCsv(reference.out(), predict.out(), kernels == VECTOR ? 1e-6 : 1e-5);
        }
    }

    /** Java 17 reads class files up to version 61; a newer one is an UnsupportedClassVersionError when it loads. */
    static final int JAVA_17 = 61;

    @Test
    void everyClassAModelJarCanHoldIsAJava17ClassFile() throws Exception {
        assertClassFilesFor17(jar);
        // what a CUDA model jar holds besides the runtime: nnc's CUDA runtime, JavaCPP and its CUDA presets' bindings
        for (Class<?> anchor : List.of(CudaModel.class, Loader.class, org.bytedeco.cuda.global.cudart.class)) {
            assertClassFilesFor17(codeSource(anchor));
        }
    }

    @Test
    void aCudaModelJarLoadsOnJava17() throws Exception {
        Assumptions.assumeTrue(Toolchain.nvcc().isPresent(), "skipped: nvcc is not installed, so nnc build --target cuda cannot run here");
        Path cudaJar = dir.resolve("xor-cuda.jar");
        var build = CliTest.nnc("build", CliTest.sample("xor.nn"), "--target", "cuda", "-o", cudaJar.toString());
        assertEquals(0, build.status(), build.err());
        assertClassFilesFor17(cudaJar);

        // its classes, JavaCPP and the bindings load and call the driver, whichever the machine has: here the
        // tests' stand-ins, which take the place of a real one on LD_LIBRARY_PATH
        Path noDevice = HostCuda.DIR.resolve("nodevice");
        Assumptions.assumeTrue(Files.isRegularFile(noDevice.resolve("libcuda.so.1")), "skipped: the stand-in CUDA drivers were not built (no gcc)");
        var run = cudaOn17(cudaJar, noDevice, "info");
        assertEquals(1, run.status(), run.err());
        assertEquals("xor-cuda.jar: the network is compiled for an NVIDIA GPU, and there is no CUDA device (the NVIDIA driver is "
                + "installed but sees no GPU)\n", run.err());
        // the host emulation has a device: the jar gets as far as its kernels, which are for a GPU, not for the host
        var emulated = cudaOn17(cudaJar, HostCuda.DIR, "info");
        assertEquals(1, emulated.status(), emulated.err());
        assertTrue(emulated.err().startsWith("xor-cuda.jar: the GPU failed: CUDA failed loading the network's kernels: "), emulated.err());
    }

    static BuildCommandTest.Run cudaOn17(Path cudaJar, Path libraries, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("-jar", cudaJar.toString()));
        command.addAll(List.of(args));
        var run = CudaCommandTest.java(java17, dir, libraries.toString(), command);
        return new BuildCommandTest.Run(run.status(), run.out(), run.err());
    }

    static Path codeSource(Class<?> anchor) throws URISyntaxException {
        return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Every class file in a jar or under a directory has a version Java 17 reads. */
    static void assertClassFilesFor17(Path jarOrDirectory) throws IOException {
        int classes = 0;
        if (Files.isDirectory(jarOrDirectory)) {
            try (Stream<Path> walk = Files.walk(jarOrDirectory)) {
                for (Path p : walk.filter(f -> f.toString().endsWith(".class")).toList()) {
                    try (InputStream in = Files.newInputStream(p)) {
                        assertVersion(jarOrDirectory.relativize(p).toString(), in);
                    }
                    classes++;
                }
            }
        } else {
            try (var zip = new ZipFile(jarOrDirectory.toFile())) {
                for (var e : Collections.list(zip.entries())) {
                    // a multi-release jar's classes for later Javas are for those Javas
                    if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/versions/")) continue;
                    try (InputStream in = zip.getInputStream(e)) {
                        assertVersion(e.getName(), in);
                    }
                    classes++;
                }
            }
        }
        assertTrue(classes > 0, "no classes in " + jarOrDirectory);
    }

    private static void assertVersion(String name, InputStream in) throws IOException {
        byte[] head = in.readNBytes(8);
        assertEquals(0xCAFEBABE, ByteBuffer.wrap(head).getInt(), name + " is no class file");
        int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
        if (name.equals("module-info.class")) return; // read by the module system alone, never loaded as a class
        assertTrue(major <= JAVA_17, name + " is a class file of Java " + (major - 44) + "; Java 17 cannot load it");
    }
}
