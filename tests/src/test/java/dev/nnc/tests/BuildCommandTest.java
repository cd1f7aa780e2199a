package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.compiled.ModelJar;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.predict.Trained;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc build}: the jar runs on its own ({@code java -jar}, a class path of the jar alone, so nothing of the
 * compiler can help), predicts and evaluates exactly as {@code nnc predict} and {@code nnc eval} do, holds nothing
 * but the runtime and the generated class, and loads into a Java program.
 */
class BuildCommandTest {
    @TempDir static Path dir;
    static Path jar, weights;

    @BeforeAll
    static void buildAndTrain() {
        jar = dir.resolve("model.jar");
        weights = dir.resolve("spirals.safetensors");
        var build = CliTest.nnc("build", CliTest.sample("spirals.nn"), "-o", jar.toString());
        assertEquals(0, build.status(), build.err());
        assertTrue(build.out().contains(jar + " written: the network Spirals (1,251 parameters) in f32, with adam(α = 0.01"), build.out());
        var train = CliTest.nnc("train", CliTest.sample("spirals.nn"), "--epochs", "8", "--quiet", "-o", weights.toString());
        assertEquals(0, train.status(), train.err());
    }

    record Run(int status, String out, String err) {}

    /** {@code java -jar JAR ARGS…} in a process of its own, with the java running these tests. */
    static Run javaJar(Path jarFile, String... args) throws IOException, InterruptedException { return javaJar(List.of(), jarFile, args); }

    /**
     * The same with JVM options. With the Vector API module (which a plain {@code java -jar} of a model jar adds
     * itself) the matrix kernels take the same path as in this JVM, whose tests run with it; with
     * {@code -Dnnc.vector=false}, the scalar kernels add in another order. The JVM's one-line notice that an
     * incubator module is in use is dropped from standard error.
     */
    static Run javaJar(List<String> jvm, Path jarFile, String... args) throws IOException, InterruptedException {
        return javaJar(Path.of(System.getProperty("java.home"), "bin", "java"), dir, jvm, jarFile, args);
    }

    /** The same with another {@code java}, in the folder {@code in}. */
    static Run javaJar(Path java, Path in, List<String> jvm, Path jarFile, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvm);
        command.addAll(List.of("-jar", jarFile.toString()));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).directory(in.toFile());
        pb.environment().remove("CLASSPATH");
        pb.environment().remove("JAVA_TOOL_OPTIONS"); // it would add a line to standard error
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Path out = Files.createTempFile(in, "out", ".txt"), err = Files.createTempFile(in, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not finish in 2 minutes");
        }
        String errors = Files.readString(err, StandardCharsets.UTF_8).replaceFirst("^WARNING: Using incubator modules: jdk.incubator.vector\\R", "");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), errors);
    }

    static final List<String> VECTOR = List.of("--add-modules", "jdk.incubator.vector"), SCALAR = List.of("-Dnnc.vector=false");

    static void assertOneLineNoTrace(String err) {
        assertEquals(1, err.lines().count(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void theJarPredictsExactlyAsNncPredicts() throws Exception {
        var nnc = CliTest.nnc("predict", CliTest.sample("spirals.nn"), "--weights", weights.toString(), "--input", CliTest.sample("data/spirals.csv"));
        assertEquals(0, nnc.status(), nnc.err());
        var run = javaJar(VECTOR, jar, "predict", "--weights", weights.toString(), "--input", CliTest.sample("data/spirals.csv"));
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        assertTrue(run.out().startsWith("p[1],p[2],p[3],class\n"), run.out());
        assertEquals(601, run.out().lines().count());
        assertSameCsv(nnc.out(), run.out(), 1e-6);

        // plain java -jar: the jar starts the JVM again with the Vector API, and says nothing about it
        var plain = javaJar(jar, "predict", "--weights", weights.toString(), "--input", CliTest.sample("data/spirals.csv"));
        assertEquals(0, plain.status(), plain.err());
        assertEquals("", plain.err());
        assertSameCsv(nnc.out(), plain.out(), 1e-6);

        // the scalar kernels, which add in another order
        var scalar = javaJar(SCALAR, jar, "predict", "--weights", weights.toString(), "--input", CliTest.sample("data/spirals.csv"));
        assertEquals(0, scalar.status(), scalar.err());
        assertEquals("", scalar.err());
        assertSameCsv(nnc.out(), scalar.out(), 1e-5);

        Path csv = dir.resolve("p.csv");
        var toFile = javaJar(VECTOR, jar, "predict", "--weights=" + weights, "--input", CliTest.sample("data/spirals.csv"), "-o", csv.toString());
        assertEquals(0, toFile.status(), toFile.err());
        assertEquals("600 predictions written to " + csv + "\n", toFile.err());
        assertSameCsv(nnc.out(), Files.readString(csv), 1e-6);
    }

    @Test
    void theJarEvaluatesAndDescribesItself() throws Exception {
        var nnc = CliTest.nnc("eval", CliTest.sample("spirals.nn"), "--weights", weights.toString(), "--data", CliTest.sample("data/spirals.csv"));
        assertEquals(0, nnc.status(), nnc.err());
        var run = javaJar(VECTOR, jar, "eval", "--weights", weights.toString(), "--data", CliTest.sample("data/spirals.csv"));
        assertEquals(0, run.status(), run.err());
        assertEquals(nnc.out(), run.out());
        assertTrue(run.out().contains("confusion matrix"), run.out());

        var info = javaJar(jar, "info");
        assertEquals(0, info.status(), info.err());
        assertTrue(info.out().contains("network    Spirals, from spirals.nn (sha256 "), info.out());
        assertTrue(info.out().contains("inputs     x[2]\n"), info.out());
        assertTrue(info.out().contains("outputs    p[3]\n"), info.out());
        assertTrue(info.out().contains("parameters W1[32,2], b1[32], W2[32,32], b2[32], W3[3,32], b3[3] (1,251)\n"), info.out());
        assertTrue(info.out().contains("kernels    Vector API, on Java " + System.getProperty("java.version") + "\n"), info.out());
        var scalar = javaJar(SCALAR, jar, "info");
        assertTrue(scalar.out().contains("kernels    scalar (this JVM runs without jdk.incubator.vector), on Java " + System.getProperty("java.version") + "\n"), scalar.out());
        var help = javaJar(jar, "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("Usage: java -jar model.jar COMMAND [OPTIONS]"), help.out());
    }

    @Test
    void theJarHoldsTheRuntimeAndTheNetworkOnly() throws Exception {
        try (var j = new JarFile(jar.toFile())) {
            var manifest = j.getManifest().getMainAttributes();
            assertEquals(ModelJar.MAIN_CLASS, manifest.getValue("Main-Class"));
            assertEquals("nnc.generated.Spirals", manifest.getValue("Nnc-Model-Class"));
            List<String> names = j.stream().map(ZipEntry::getName).toList();
            for (String name : names) {
                assertTrue(name.startsWith("META-INF/") || name.startsWith("dev/nnc/runtime/") || name.startsWith("nnc/generated/")
                        || name.equals("dev/") || name.equals("dev/nnc/") || name.equals("nnc/"), "a stranger in the jar: " + name);
            }
            for (String forbidden : List.of("dev/nnc/cli/", "dev/nnc/parse/", "dev/nnc/gen/", "org/antlr/", "picocli/", "org/objectweb/")) {
                assertTrue(names.stream().noneMatch(n -> n.startsWith(forbidden)), forbidden);
            }
            for (String needed : List.of("nnc/generated/Spirals.class", "dev/nnc/runtime/compiled/ModelMain.class", "dev/nnc/runtime/kernel/Gemm.class",
                    "dev/nnc/runtime/checkpoint/Checkpoint.class", "dev/nnc/runtime/data/CsvReader.class", ModelJar.PROPERTIES)) {
                assertTrue(names.contains(needed), needed + " is missing: " + names);
            }
            var props = new Properties();
            props.load(j.getInputStream(j.getEntry(ModelJar.PROPERTIES)));
            assertEquals(sha256(Path.of(CliTest.sample("spirals.nn"))), props.getProperty("source.sha256"));
        }
        Path again = dir.resolve("again.jar");
        assertEquals(0, CliTest.nnc("build", CliTest.sample("spirals.nn"), "-o", again.toString()).status());
        try (var a = new JarFile(jar.toFile()); var b = new JarFile(again.toFile())) {
            assertEquals(a.stream().map(ZipEntry::getName).toList(), b.stream().map(ZipEntry::getName).toList());
            for (var e : Collections.list(a.entries())) {
                if (e.getName().startsWith("nnc/generated/")) continue; // compiled again in this process it may name its temporaries anew
                assertArrayEquals(a.getInputStream(e).readAllBytes(), b.getInputStream(b.getEntry(e.getName())).readAllBytes(), e.getName());
                assertEquals(e.getLastModifiedTime(), b.getEntry(e.getName()).getLastModifiedTime(), "no build date in the jar");
            }
        }
    }

    @Test
    void mistakesExitWithOneLine() throws Exception {
        var usage = javaJar(jar, "predict", "--weigts", weights.toString());
        assertEquals(2, usage.status(), usage.err());
        assertOneLineNoTrace(usage.err());
        assertTrue(usage.err().startsWith("model.jar: unknown option --weigts for predict"), usage.err());
        assertEquals(2, javaJar(jar).status());
        var missing = javaJar(jar, "predict", "--weights", weights.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("model.jar: predict needs --input"), missing.err());

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "x1,x2\n0.5,0.25\n0.1,abc\n");
        var data = javaJar(jar, "predict", "--weights", weights.toString(), "--input", bad.toString());
        assertEquals(1, data.status(), data.err());
        assertOneLineNoTrace(data.err());
        assertTrue(data.err().startsWith("model.jar: " + bad + ":3:"), data.err());
        assertEquals("", data.out());

        Path xor = dir.resolve("xor.safetensors");
        assertEquals(0, CliTest.nnc("train", CliTest.sample("xor.nn"), "--epochs", "1", "--quiet", "-o", xor.toString()).status());
        var other = javaJar(jar, "predict", "--weights", xor.toString(), "--input", CliTest.sample("data/spirals.csv"));
        assertEquals(1, other.status(), other.err());
        assertOneLineNoTrace(other.err());
        assertTrue(other.err().contains("these weights are for a different network"), other.err());

        var nnc = CliTest.nnc("build", CliTest.sample("spirals.nn"), "--precision", "f16", "-o", dir.resolve("x.jar").toString());
        assertEquals(2, nnc.status(), nnc.err());
        var nowhere = CliTest.nnc("build", CliTest.sample("spirals.nn"), "-o", dir.resolve("no/such/dir/x.jar").toString());
        assertEquals(1, nowhere.status(), nowhere.err());
        assertOneLineNoTrace(nowhere.err());
    }

    /** The model of the same program compiled in this process, with the train block's optimizer as the jar has it. */
    static Model inProcess() throws IOException {
        Path file = Path.of(CliTest.sample("spirals.nn"));
        var built = Build.file(file);
        return Backends.create("jvm", built.graph(), built.optimizer());
    }

    @Test
    void javaProgramsLoadTheJarAndPredictAndTrainAsTheCompilerDoes() throws Exception {
        Model reference = inProcess();
        Dataset data = DataFiles.read(List.of(Path.of(CliTest.sample("data/spirals.csv"))), reference.signature(), true);
        var expected = Trained.restore(reference, weights).predict(data);

        Model fromFile = ModelJar.fromJar(jar);
        assertEquals("Spirals", fromFile.signature().network());
        assertSamePredictions(expected, Trained.restore(fromFile, weights).predict(data));

        try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, BuildCommandTest.class.getClassLoader())) {
            assertEquals("Spirals", ModelJar.info(loader).network());
            Model onClassPath = ModelJar.load(loader);
            Checkpoint.restore(Checkpoint.read(weights), onClassPath, false);
            assertSamePredictions(expected, onClassPath.predict(Trained.restore(onClassPath, weights).normalize(data).batch()));
        }

        // training through the API: the same steps give the same parameters, bit for bit
        Model a = ModelJar.fromJar(jar), b = inProcess();
        a.initialize(7);
        b.initialize(7);
        Batch batch = data.batch().slice(0, 64);
        for (int step = 0; step < 5; step++) {
            assertEquals(b.lossAndGradients(batch), a.lossAndGradients(batch), 1e-6);
            a.step(1);
            b.step(1);
        }
        for (var p : a.signature().params()) assertArrayEquals(b.parameter(p.name()), a.parameter(p.name()), 1e-5, p.name());
        assertEquals(5, a.steps());
    }

    static void assertSamePredictions(Map<String, double[]> expected, Map<String, double[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) {
            assertNotNull(actual.get(e.getKey()));
            assertArrayEquals(e.getValue(), actual.get(e.getKey()), 1e-6, e.getKey());
        }
    }

    /**
     * Two prediction CSVs: the same header and classes, the same values within {@code tolerance}. Not to the bit:
     * the vector kernels' lane sums may add in another order in JIT-compiled code than in the interpreted
     * fallback, so a cold process and a warm one can differ in the last bit (docs/architecture.md).
     */
    static void assertSameCsv(String expected, String actual, double tolerance) {
        List<String> want = expected.lines().toList(), got = actual.lines().toList();
        assertEquals(want.get(0), got.get(0));
        assertEquals(want.size(), got.size());
        for (int r = 1; r < want.size(); r++) {
            String[] w = want.get(r).split(","), g = got.get(r).split(",");
            for (int k = 0; k < w.length - 1; k++) assertEquals(Double.parseDouble(w[k]), Double.parseDouble(g[k]), tolerance, "row " + r);
            assertEquals(w[w.length - 1], g[g.length - 1], "row " + r + "'s class");
        }
    }

    @Test
    void notAModelJarIsSaidPlainly() throws Exception {
        Path notJar = dir.resolve("plain.jar");
        Files.writeString(notJar, "hello");
        var e = Assertions.assertThrows(IOException.class, () -> ModelJar.fromJar(notJar));
        assertTrue(e.getMessage().startsWith(notJar + ": not a jar"), e.getMessage());
    }

    /** The source hash as checkpoints record it. */
    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
