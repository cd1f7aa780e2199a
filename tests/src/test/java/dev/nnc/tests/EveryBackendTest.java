package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.driver.Frontend;
import dev.nnc.driver.Memory;
import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.ResidentTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every positive program of the test suite runs on every backend. A positive program is one that checks without
 * an error: the samples, the language examples ({@code tests/examples}), the golden diagnostics that are only
 * warnings, the complete networks in the documentation's code blocks, and every {@code .nn} file of a hostile case
 * whose command succeeds and that checks ({@code tests/hostile}: unusual outputs and shapes among them). Each of its networks is compiled as
 * {@code nnc train} compiles it (its train block's optimizer) and made by each backend as {@code --backend} makes
 * it: the interpreter, the JVM backend in float32 and float64, and the CUDA backend in float32 on the tests' host
 * emulation (skipped, saying why, where g++ did not build it). From the interpreter's initial parameters, on
 * synthetic data made from its signature (normal inputs of about unit length, one-hot targets), two optimizer
 * steps on a batch of 6 and two on a single sample; each loss, gradient, parameter and optimizer state, the
 * evaluated loss, every output and every prediction is compared with the reference interpreter
 * ({@link JvmBackendTest#against}: 1e-4 in float32, 1e-9 in float64). On CUDA also a resident run of steps, as
 * {@code nnc train} takes them there, ends at the interpreter's parameters.
 *
 * <p>Large generated programs (over {@value #LARGEST} bytes: the hostile suite's deep and long ones) are left to
 * the tests of large programs, which time every stage; here they would only make this test slow.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryBackendTest {
    static final int LARGEST = 32 * 1024;

    /** A network of a positive program: where its file is, and how the suite names it. */
    record Positive(String name, Path file, String network) {}

    Path scratch;
    List<Positive> positives;
    final Set<String> texts = new HashSet<>();
    String cuda; // why the CUDA backend cannot run here, or null

    @BeforeAll
    void collect() throws IOException {
        scratch = Files.createTempDirectory("nnc-every-backend-");
        positives = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        files.addAll(Repo.nnFiles("samples"));
        files.addAll(Repo.nnFiles("tests/examples"));
        for (Path p : Repo.nnFiles("tests/diagnostics")) if (!Files.readString(p).contains("error[")) files.add(p);
        for (Path f : files) add(Repo.relative(f), f, true);
        int block = 0;
        for (Path doc : documents()) {
            for (String code : codeBlocks(Files.readString(doc))) {
                Path f = scratch.resolve("docs").resolve(doc.getFileName() + "-" + (++block) + ".nn");
                Files.createDirectories(f.getParent());
                Files.writeString(f, code);
                add(Repo.relative(doc) + " block " + block, f, true);
            }
        }
        List<Path> cases;
        try (var walk = Files.walk(HostileInputTest.ROOT)) {
            cases = walk.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        for (Path c : cases) {
            var parsed = HostileInputTest.parse(c);
            // a case whose command is refused (exit status not 0) is about that refusal: a program made to overflow
            // or too large for memory, say, which checks but is no positive program to run
            if (parsed.exit() != 0) continue;
            Path dir = scratch.resolve("hostile").resolve(HostileInputTest.ROOT.relativize(c).toString());
            for (var f : parsed.files().entrySet()) {
                Path target = dir.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, f.getValue());
            }
            for (var f : parsed.files().entrySet()) {
                if (f.getKey().endsWith(".nn") && f.getValue().length <= LARGEST) {
                    add("tests/hostile/" + HostileInputTest.ROOT.relativize(c) + " " + f.getKey(), dir.resolve(f.getKey()), false);
                }
            }
        }
        cuda = HostCuda.unavailable();
        if (cuda != null) {
            System.err.println(getClass().getSimpleName() + ": the CUDA backend skipped: " + cuda);
            return;
        }
        HostCuda.useForCommands();
        // every network's kernels compiled first, on all processors (Backends.create then finds them built); what
        // fails here fails again in the network's own test, which says which it is
        var pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            var jobs = positives.stream().map(p -> (Callable<byte[]>) () -> {
                try {
                    var net = compile(p);
                    return HostCuda.image(CudaBackend.generate(net.graph(), net.optimizer(), DType.F32).cuda().source());
                } catch (RuntimeException e) {
                    return null;
                }
            }).toList();
            for (var f : pool.invokeAll(jobs)) f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    @AfterAll
    void cleanUp() throws IOException {
        try (var walk = Files.walk(scratch)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Each network of the file when it checks without an error; when it does not, a file that must be positive
     * fails, and a hostile case's file (most of them are wrong on purpose) is not one. A text seen before is skipped.
     */
    void add(String name, Path file, boolean mustCheck) throws IOException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            return; // not text (a hostile case's), so no program
        }
        if (!texts.add(text)) return; // the same program again (hostile cases share theirs): run once
        var result = Frontend.check(file);
        if (result.diagnostics().hasErrors()) {
            if (mustCheck) {
                fail(name + " does not check:\n" + result.diagnostics().sorted().stream().map(DiagnosticPrinter::render)
                        .collect(Collectors.joining()));
            }
            return;
        }
        for (var n : result.checked().networks()) positives.add(new Positive(name, file, n.name()));
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Repo.root().resolve("README.md"), Repo.root().resolve("samples/README.md")));
        try (var list = Files.list(Repo.root().resolve("docs"))) {
            docs.addAll(list.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        return docs;
    }

    private static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");
    private static final Pattern NETWORK = Pattern.compile("(?m)^\\s*network\\s+\\S+\\s*\\{");

    /** The code blocks of a Markdown text that are whole programs: a network with its output and loss. */
    static List<String> codeBlocks(String markdown) {
        List<String> out = new ArrayList<>();
        var m = FENCE.matcher(markdown);
        while (m.find()) {
            String code = m.group(1);
            if (NETWORK.matcher(code).find() && code.contains("output") && code.contains("loss")) out.add(code);
        }
        return out;
    }

    /** The network as {@code nnc train} compiles it: the default stages, its train block's optimizer. */
    static JvmBackendTest.Net compile(Positive p) {
        try {
            var built = Build.file(p.file(), p.network(), Build.Request.DEFAULT);
            return new JvmBackendTest.Net(built.graph(), built.optimizer());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theSuiteHasItsPositivePrograms() {
        var names = positives.stream().map(Positive::name).toList();
        for (String expected : List.of("samples/mlp.nn", "tests/examples/example5_train.nn", "tests/diagnostics/networks/unused_target.nn",
                "docs/language.md block")) {
            assertTrue(names.stream().anyMatch(n -> n.startsWith(expected)), expected + " among " + names);
        }
        assertTrue(names.stream().filter(n -> n.startsWith("tests/hostile/outputs/")).count() >= 10, "the hostile outputs' programs among " + names);
    }

    @TestFactory
    Stream<DynamicTest> interpreter() {
        return each(p -> {
            var net = compile(p);
            try (Model model = Backends.create("interp", net.graph(), net.optimizer())) {
                JvmBackendTest.against(p.name() + " " + p.network() + ", interp", net, model, DType.F64, 2, EveryBackendTest::data, 6, 1);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> jvm() {
        return each(p -> {
            var net = compile(p);
            for (DType type : DType.values()) {
                try (Model model = Backends.create("jvm", type.name().toLowerCase(Locale.ROOT), net.graph(), net.optimizer())) {
                    JvmBackendTest.against(p.name() + " " + p.network() + ", jvm " + type, net, model, type, 2, EveryBackendTest::data, 6, 1);
                }
                residentRunIsStepwise(p.name() + " " + p.network() + ", jvm " + type, net, type);
            }
        });
    }

    /**
     * The JVM's run over kept data (as {@code nnc train} trains, after a warm-up) is batch-by-batch training to the bit —
     * losses, parameters — and counts each batch's right answers as {@link Metrics#right} does from the outputs before
     * its step.
     */
    static void residentRunIsStepwise(String what, JvmBackendTest.Net net, DType type) throws Exception {
        String precision = type.name().toLowerCase(Locale.ROOT);
        try (Model kept = Backends.create("jvm", precision, net.graph(), net.optimizer());
             Model stepwise = Backends.create("jvm", precision, net.graph(), net.optimizer())) {
            kept.initialize(11);
            stepwise.initialize(11);
            var sig = kept.signature();
            Batch data = data(net.graph(), 9, new SplittableRandom(9));
            var target = sig.targets().isEmpty() ? null : sig.targets().get(0);
            var task = Metrics.task(data, target);
            int[] order = {4, 0, 7, 2, 8, 5, 1, 6, 3};
            double[] factors = {1, 0.5, 0.25};
            int[] warmUps = {0};
            ((ResidentTraining) kept).warmUp(3, () -> ++warmUps[0] > 20); // as nnc train does while it reads the data: changes nothing
            assertEquals(21, warmUps[0], what + ": the warm-up ran its steps until told to stop");
            assertEquals(0, kept.steps(), what + ": the warm-up took no step of the model's own");
            ((ResidentTraining) kept).keep(data, task);
            var got = ((ResidentTraining) kept).run(order, 3, 0, 3, factors);
            assertFalse(got.stopped(), what + ": the run stopped");
            for (int b = 0; b < 3; b++) {
                Batch batch = data.rows(Arrays.copyOfRange(order, 3 * b, 3 * b + 3));
                Map<String, double[]> outputs = new HashMap<>();
                stepwise.lossAndPredict(batch, outputs);
                int k = sig.outputs().get(0).size();
                int right = target == null ? 0
                        : Metrics.right(Metrics.scored(task, sig), outputs.get(sig.outputs().get(0).name()), batch.column(target.name()), 3, k);
                assertEquals(right, got.right()[b], what + ": right answers in batch " + b);
                assertEquals(stepwise.lossAndGradients(batch), got.losses()[b] / 3, what + ": the loss of batch " + b);
                stepwise.step(factors[b]);
            }
            for (var p : sig.params()) assertArrayEquals(stepwise.parameter(p.name()), kept.parameter(p.name()), what + ": " + p.name());
        }
    }

    @TestFactory
    Stream<DynamicTest> cuda() {
        return each(p -> {
            Assumptions.assumeTrue(cuda == null, () -> cuda);
            var net = compile(p);
            String what = p.name() + " " + p.network() + ", cuda F32";
            try (Model model = Backends.create("cuda", "f32", net.graph(), net.optimizer())) {
                JvmBackendTest.against(what, net, model, DType.F32, 2, EveryBackendTest::data, 6, 1);
            }
            try (Model model = Backends.create("cuda", "f32", net.graph(), net.optimizer())) {
                residentRun(what, net, model);
            }
        });
    }

    /**
     * Three steps as {@code nnc train} takes them on a GPU: the data kept on the device, batches of 3 read through
     * a shuffled order; the parameters after them are the interpreter's after the same steps.
     */
    static void residentRun(String what, JvmBackendTest.Net net, Model model) {
        var reference = new InterpreterModel(net.graph(), net.optimizer());
        reference.initialize(11);
        for (var p : reference.signature().params()) model.setParameter(p.name(), reference.parameter(p.name()));
        Batch data = data(net.graph(), 9, new SplittableRandom(9));
        int[] order = {4, 0, 7, 2, 8, 5, 1, 6, 3};
        var run = ((ResidentTraining) model);
        run.keep(data, Metrics.Task.OTHER);
        var got = run.run(order, 3, 0, 3, new double[] {1, 0.5, 0.25});
        assertFalse(got.stopped(), what + ": the run stopped");
        assertEquals(3, got.losses().length, what + ": losses of the run");
        double[] factors = {1, 0.5, 0.25};
        double scale = 0;
        for (int b = 0; b < 3; b++) {
            Batch batch = data.rows(Arrays.copyOfRange(order, 3 * b, 3 * b + 3));
            double want = reference.lossAndGradients(batch) * 3;
            JvmBackendTest.close(what + ": the resident run's loss of batch " + b, want, got.losses()[b], 1e-4, 1);
            reference.step(factors[b]);
        }
        var params = reference.signature().params().stream().map(TensorInfo::name).toList();
        JvmBackendTest.compare(what + ", after a resident run", "", params, reference::parameter, model::parameter, DType.F32, 1e-4);
    }

    /**
     * Synthetic data from a network's signature: each input a normal vector of about unit length (as normalised
     * data is: a few steps then move a wide layer's weighted sums by about the step's size, and do not saturate it,
     * where float32's rounding of a probability near 1 would be all its gradient holds), targets one-hot.
     */
    static Batch data(Graph g, int n, SplittableRandom random) {
        Batch b = JvmBackendTest.batch(g, n, random);
        for (var t : g.inputs()) {
            double[] c = b.column(t.name);
            for (int k = 0; k < c.length; k++) c[k] /= Math.sqrt(t.size());
        }
        return b;
    }

    interface Check {
        void run(Positive p) throws Exception;
    }

    Stream<DynamicTest> each(Check check) {
        return positives.stream().map(p -> DynamicTest.dynamicTest(p.name() + " " + p.network(), () -> {
            try {
                check.run(p);
            } catch (Memory.TooLarge e) { // refused by every backend alike, as nnc train refuses it
                Assumptions.abort("too large for this JVM's memory: " + e.getMessage());
            }
        }));
    }
}
