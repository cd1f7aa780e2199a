package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.gen.RandomConvNetworks;
import dev.nnc.gen.RandomNetworks;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.IrPrinter;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.compiled.CompiledModel;
import dev.nnc.runtime.compiled.GeneratedNetwork;
import dev.nnc.schedule.LoopPrinter;
import dev.nnc.schedule.Schedule;
import dev.nnc.source.SourceFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The JVM backend against the reference interpreter, on every sample and on the random-network family: the
 * same parameters, the same batch; the mean loss, every gradient, every prediction and, after optimizer steps,
 * every parameter and optimizer state must agree — to 1e-9 relative in float64 and 1e-4 in float32.
 *
 * <p>Relative to what: in float64, to the largest element of the same tensor. In float32 a value that is the
 * difference of much larger ones (a gradient of a saturated unit, a loss near 0) keeps the absolute error of
 * those, so there the scale is that of the quantity across the network: a loss below 1 counts as 1, a gradient
 * is compared relative to the largest gradient element of any parameter, a parameter or state relative to the
 * largest of any parameter. Each
 * network runs under three schedules (the default; every weighted sum and outer product a matrix product;
 * nothing unrolled and no products), and every generated class passes ASM's verifier.
 */
class JvmBackendTest {
    static final List<String> OPTIMIZERS = List.of("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    static final Map<String, Schedule.Options> SCHEDULES = Map.of(
            "default", Schedule.Options.DEFAULT,
            "products", new Schedule.Options(0, 1500),
            "loops", new Schedule.Options(Integer.MAX_VALUE, 0));

    record Net(Graph graph, OptimizerIr optimizer) {}

    static Net compile(String name, String source, String optimizer) { return compile(name, source, optimizer, Compile.Options.DEFAULT); }

    static Net compile(String name, String source, String optimizer, Compile.Options options) {
        var result = Frontend.check(new SourceFile(name, source));
        if (result.diagnostics().hasErrors()) fail(name + " does not check");
        var network = Compile.network(result.checked(), null);
        return new Net(Compile.graph(result.checked(), network, options),
                LowerOptimizer.byName(result.checked().scope(), optimizer, Map.of()));
    }

    static Stream<Arguments> samples() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (var files = Files.list(Repo.root().resolve("samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
                out.add(Arguments.of(f.getFileName().toString(), Files.readString(f), "adam"));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> randomNetworks() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed++) {
            var p = RandomNetworks.generate(seed);
            out.add(Arguments.of("random " + seed + " (" + p.name() + ")", p.source(), OPTIMIZERS.get((int) (seed % OPTIMIZERS.size()))));
        }
        return out.stream();
    }

    /** Every fourth network of the convolution family (the gradient checks take all of them). */
    static Stream<Arguments> convNetworks() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 4) {
            var p = RandomConvNetworks.generate(seed);
            out.add(Arguments.of("conv " + seed + " (" + p.name() + ")", p.source(), OPTIMIZERS.get((int) (seed % OPTIMIZERS.size()))));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample(String name, String source, String optimizer) { check(name, source, optimizer, 2); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convNetworks")
    void convNetwork(String name, String source, String optimizer) {
        check(name, source, optimizer, 2, 3e-4);
        checkIm2col(name, source, optimizer);
    }

    /**
     * As the JVM backend builds a network with convolutions (IM2COL: windows as tensors of their own, their sums and
     * gradients a sample's matrix products), against the interpreter on the network as written.
     */
    static void checkIm2col(String name, String source, String optimizer) {
        Net plain = compile(name, source, optimizer), cols = compile(name, source, optimizer, Compile.Options.DEFAULT.forKernels());
        for (var schedule : SCHEDULES.entrySet()) {
            for (DType type : DType.values()) {
                byte[] bytes = JvmBackend.compile(cols.graph(), cols.optimizer(), type, schedule.getValue());
                verify(bytes, name);
                var jvm = new CompiledModel(JvmBackend.load(cols.graph().name(), bytes), 3, 1);
                against(name + ", im2col, " + schedule.getKey() + " schedule, " + type, plain, jvm, type, 2, JvmBackendTest::batch, 3e-4, 13, 1);
            }
        }
    }

    /** IM2COL changes the conv family's networks, and SCHEDULE gives most of them a sample's own matrix products. */
    @Test
    void im2colReachesTheConvolutionFamily() throws Exception {
        int changed = 0, products = 0;
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 4) {
            var p = RandomConvNetworks.generate(seed);
            Net cols = compile("conv " + seed, p.source(), "gd", Compile.Options.DEFAULT.forKernels());
            if (cols.graph().forward().stream().anyMatch(d -> d.tensor().name.startsWith("col_"))) changed++;
            // the family's networks are small: under the default threshold few products pay, under "products" all do
            String printed = LoopPrinter.print(Schedule.of(cols.graph(), cols.optimizer(), SCHEDULES.get("products")),
                    IrPrinter.Style.UNICODE);
            if (printed.contains("    matrix product")) products++;
        }
        assertTrue(changed >= 40, changed + " of 53 networks got a col");
        assertTrue(products >= 40, products + " of 53 networks got a sample's product");
        // LeNet's two convolutions, their kernels' gradients and the second's col adjoint, under the default schedule
        Net lenet = compile("lenet.nn", Files.readString(Repo.root().resolve("samples/lenet.nn")), "adam", Compile.Options.DEFAULT.forKernels());
        String printed = LoopPrinter.print(Schedule.of(lenet.graph(), lenet.optimizer(), Schedule.Options.DEFAULT),
                IrPrinter.Style.UNICODE);
        long perSample = printed.lines().takeWhile(l -> !l.startsWith("  then over")).filter(l -> l.startsWith("    matrix product")).count();
        assertEquals(5, perSample, printed);
    }

    /**
     * TILES reaches the family: the adjoint of a pool whose stride is its window, over a map its windows tile, becomes a
     * nest over the windows (a primed variable, the element's place in its window) in some of the family (TilesTest
     * checks a family of its own against the interpreter); and in LeNet both pools' adjoints do.
     */
    @Test
    void tilesReachTheConvolutionFamily() throws Exception {
        int tiled = 0;
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 1) {
            var p = RandomConvNetworks.generate(seed);
            Net net = compile("conv " + seed, p.source(), "gd", Compile.Options.DEFAULT.forKernels());
            String printed = LoopPrinter.print(Schedule.of(net.graph(), net.optimizer(), SCHEDULES.get("loops")), IrPrinter.Style.UNICODE);
            if (printed.contains("′ <")) tiled++;
        }
        assertTrue(tiled >= 5, tiled + " of the family's networks have a tiled pool adjoint");
        Net lenet = compile("lenet.nn", Files.readString(Repo.root().resolve("samples/lenet.nn")), "adam", Compile.Options.DEFAULT.forKernels());
        String printed = LoopPrinter.print(Schedule.of(lenet.graph(), lenet.optimizer(), Schedule.Options.DEFAULT), IrPrinter.Style.UNICODE);
        assertEquals(2, printed.lines().takeWhile(l -> !l.startsWith("  then over")).filter(l -> l.contains("δa") && l.contains("′")).count(), printed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomNetworks")
    void randomNetwork(String name, String source, String optimizer) { check(name, source, optimizer, 2); }

    static void check(String name, String source, String optimizer, int steps) { check(name, source, optimizer, steps, F32); }

    /** The relative tolerance in float32. */
    static final double F32 = 1e-4;

    /**
     * With {@code f32} the float32 tolerance: a convolution's gradient sums a product over every position of a map,
     * and after an optimizer step (Adam's moves as large for a tiny gradient as for a large one) float32 rounding
     * reaches about 1e-4 of it.
     */
    static void check(String name, String source, String optimizer, int steps, double f32) {
        Net net = compile(name, source, optimizer);
        for (var schedule : SCHEDULES.entrySet()) {
            for (DType type : DType.values()) {
                byte[] bytes = JvmBackend.compile(net.graph(), net.optimizer(), type, schedule.getValue());
                verify(bytes, name);
                // three threads, and slices however little work they have: a batch of 13 runs as slices of 4, 4 and 5
                // whatever the machine and the network, and the row products as three parts over the three slices
                var jvm = new CompiledModel(JvmBackend.load(net.graph().name(), bytes), 3, 1);
                // batch sizes that split into slices unevenly, and a single sample
                against(name + ", " + schedule.getKey() + " schedule, " + type, net, jvm, type, steps, JvmBackendTest::batch, f32, 13, 1);
            }
        }
    }

    /**
     * A backend's model against the reference interpreter, from the same parameters, on random batches of these
     * sizes: the loss, every gradient and, after each of {@code steps} optimizer steps, every parameter and
     * optimizer state; then the evaluated loss, the outputs and the predictions.
     */
    static void against(String what, Net net, Model model, DType type, int steps, int... batchSizes) {
        against(what, net, model, type, steps, JvmBackendTest::batch, batchSizes);
    }

    /** Random batches of data for a network. */
    interface Data {
        Batch make(Graph g, int n, SplittableRandom random);
    }

    /** As {@link #against(String, Net, Model, DType, int, int...)}, on batches {@code data} makes. */
    static void against(String what, Net net, Model model, DType type, int steps, Data data, int... batchSizes) {
        against(what, net, model, type, steps, data, F32, batchSizes);
    }

    static void against(String what, Net net, Model model, DType type, int steps, Data data, double f32, int... batchSizes) {
        double tolerance = type == DType.F64 ? 1e-9 : f32;
        var reference = new InterpreterModel(net.graph(), net.optimizer());
        reference.initialize(7);
        for (var p : reference.signature().params()) model.setParameter(p.name(), reference.parameter(p.name()));
        for (int batchSize : batchSizes) {
            Batch batch = data.make(net.graph(), batchSize, new SplittableRandom(batchSize));
            for (int s = 0; s < steps; s++) {
                double want = reference.lossAndGradients(batch), got = model.lossAndGradients(batch);
                close(what + ": loss", want, got, tolerance, type == DType.F32 ? 1 : 0);
                var params = reference.signature().params().stream().map(TensorInfo::name).toList();
                compare(what, "∂J/∂", params, reference::gradient, model::gradient, type, tolerance);
                reference.step(0.5);
                model.step(0.5);
                compare(what, "after a step, ", params, reference::parameter, model::parameter, type, tolerance);
                for (String st : reference.signature().optimizerState()) {
                    compare(what, st + " of ", params, p -> reference.optimizerState(st, p), p -> model.optimizerState(st, p), type, tolerance);
                }
            }
            assertEquals(reference.steps(), model.steps());
            Map<String, double[]> want = new HashMap<>(), got = new HashMap<>();
            close(what + ": evaluated loss", reference.lossAndPredict(batch, want), model.lossAndPredict(batch, got), tolerance,
                    type == DType.F32 ? 1 : 0);
            Map<String, double[]> inputs = new HashMap<>();
            for (var t : net.graph().inputs()) inputs.put(t.name, batch.column(t.name));
            var predicted = model.predict(new Batch(batch.size(), inputs));
            for (TensorInfo o : reference.signature().outputs()) {
                close(what + ": output " + o.name(), want.get(o.name()), got.get(o.name()), tolerance, 0);
                close(what + ": predicted " + o.name(), want.get(o.name()), predicted.get(o.name()), tolerance, 0);
            }
        }
    }

    /** Inputs drawn from a normal distribution; targets valid for any of the family's losses (a probability vector). */
    static Batch batch(Graph g, int n, SplittableRandom random) {
        Map<String, double[]> columns = new HashMap<>();
        for (var t : g.inputs()) {
            double[] c = new double[n * t.size()];
            for (int k = 0; k < c.length; k++) c[k] = Nets.gaussian(random);
            columns.put(t.name, c);
        }
        for (var t : g.targets()) {
            double[] c = new double[n * t.size()];
            for (int s = 0; s < n; s++) c[s * t.size() + random.nextInt(t.size())] = 1;
            columns.put(t.name, c);
        }
        return new Batch(n, columns);
    }

    static void verify(byte[] bytes, String name) {
        var out = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(bytes), GeneratedNetwork.class.getClassLoader(), false, new PrintWriter(out));
        if (!out.toString().isEmpty()) fail(name + ": the generated class does not verify:\n" + out);
    }

    /** One tensor per parameter, each compared; in float32 relative to the largest element of any of them. */
    static void compare(String what, String prefix, List<String> params, Function<String, double[]> want,
                        Function<String, double[]> got, DType type, double tolerance) {
        double scale = 0;
        if (type == DType.F32) for (String p : params) for (double v : want.apply(p)) scale = Math.max(scale, Math.abs(v));
        for (String p : params) close(what + ": " + prefix + p, want.apply(p), got.apply(p), tolerance, scale);
    }

    /** Within tolerance × the larger of |want| and {@code floor}. */
    static void close(String what, double want, double got, double tolerance, double floor) {
        if (Double.compare(want, got) == 0) return; // the same infinity, or NaN, agrees too
        if (!(Math.abs(want - got) <= tolerance * Math.max(1e-12, Math.max(floor, Math.abs(want)))) && !(Double.isNaN(want) && Double.isNaN(got))) {
            fail(what + ": interpreter " + want + ", backend " + got);
        }
    }

    /** Within tolerance × the larger of the tensor's largest element and {@code floor}. */
    static void close(String what, double[] want, double[] got, double tolerance, double floor) {
        assertEquals(want.length, got.length, what + ": length");
        double scale = Math.max(1e-12, floor);
        for (double w : want) scale = Math.max(scale, Math.abs(w));
        for (int k = 0; k < want.length; k++) {
            if (Double.compare(want[k], got[k]) == 0) continue; // the same infinity, or NaN, agrees too
            if (!(Math.abs(want[k] - got[k]) <= tolerance * scale)) {
                fail(what + "[" + k + "]: interpreter " + want[k] + ", backend " + got[k] + " (tolerance " + tolerance + " × " + scale + ")");
            }
        }
    }
}
