package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.RandomConvNetworks;
import dev.nnc.gen.RandomNetworks;
import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.cuda.CudaModel;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.ResidentTraining;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CUDA backend against the reference interpreter: the generated kernels, launched by the runtime through its
 * real JavaCPP calls, must give the interpreter's loss,
 * gradients, optimizer steps, outputs and evaluated loss — to 1e-9 relative in float64 and 1e-4 in float32, as
 * for the JVM backend — on every sample and the random-network family, on batches of 13, 1 and 300 samples (more
 * than one CUDA block of 256 threads, so partial sums of several blocks are added). A run of steps on kept data,
 * with and without CUDA graphs, must give what the same steps give one by one, to the bit, and stop where a
 * loss is not finite with the parameters from before that batch. It runs twice: on the tests' host emulation of CUDA
 * ({@link CudaBackendTest}, everywhere) and on a real GPU ({@link GpuTest}, where there is one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CudaChecks {
    String unavailable;

    /** Why this device cannot run the tests, or null. */
    abstract String unavailable();

    /** What the device's driver loads for this CUDA C. */
    abstract byte[] image(String source);

    @BeforeAll
    void device() {
        unavailable = unavailable();
        if (unavailable != null) return; // each test says why it is skipped
        // every network's kernels compiled first, on all processors (the tests then find them in the cache)
        List<String> sources = new ArrayList<>();
        try {
            for (var a : Stream.concat(samples(), randomNetworks()).toList()) {
                Object[] v = a.get();
                var net = JvmBackendTest.compile((String) v[0], (String) v[1], (String) v[2]);
                sources.add(CudaBackend.generate(net.graph(), net.optimizer(), (DType) v[3]).cuda().source());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        try {
            for (var f : pool.invokeAll(sources.stream().map(src -> (Callable<byte[]>) () -> image(src)).toList())) f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdown();
        }
    }

    static Stream<Arguments> samples() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (var files = Files.list(Repo.root().resolve("samples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nn")).sorted().toList()) {
                for (DType t : DType.values()) out.add(Arguments.of(f.getFileName() + " " + t, Files.readString(f), "adam", t));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> randomNetworks() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed++) {
            var p = RandomNetworks.generate(seed);
            String optimizer = JvmBackendTest.OPTIMIZERS.get((int) (seed % JvmBackendTest.OPTIMIZERS.size()));
            out.add(Arguments.of("random " + seed + " (" + p.name() + ")", p.source(), optimizer, seed % 7 == 0 ? DType.F64 : DType.F32));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample(String name, String source, String optimizer, DType type) { check(name, source, optimizer, type); }

    /** Every tenth network of the convolution family, in float64 and float32 by turns. */
    static Stream<Arguments> convNetworks() {
        List<Arguments> out = new ArrayList<>();
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 10) {
            var p = RandomConvNetworks.generate(seed);
            String optimizer = JvmBackendTest.OPTIMIZERS.get((int) (seed / 10 % JvmBackendTest.OPTIMIZERS.size()));
            out.add(Arguments.of("conv " + seed + " (" + p.name() + ")", p.source(), optimizer, seed % 20 == 0 ? DType.F64 : DType.F32));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("randomNetworks")
    void randomNetwork(String name, String source, String optimizer, DType type) { check(name, source, optimizer, type); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convNetworks")
    void convNetwork(String name, String source, String optimizer, DType type) { check(name, source, optimizer, type, 3e-4); }

    /** The samples again with cuBLAS computing the matrix products (nnc.cuda.gemm=cublas) instead of the tiled kernels. */
    @ParameterizedTest(name = "{0}, cuBLAS")
    @MethodSource("samples")
    void sampleWithCublas(String name, String source, String optimizer, DType type) {
        withProperty("nnc.cuda.gemm", "cublas", () -> check(name, source, optimizer, type));
    }

    /** The samples again without fusing mid-width layers into chains (nnc.cuda.chains=false). */
    @ParameterizedTest(name = "{0}, no chains")
    @MethodSource("samples")
    void sampleWithoutChains(String name, String source, String optimizer, DType type) {
        withProperty("nnc.cuda.chains", "false", () -> check(name, source, optimizer, type));
    }

    /** Runs {@code body} with a system property set, and puts it back after. */
    static void withProperty(String key, String value, Runnable body) {
        String before = System.getProperty(key);
        System.setProperty(key, value);
        try {
            body.run();
        } finally {
            if (before == null) System.clearProperty(key);
            else System.setProperty(key, before);
        }
    }

    void check(String name, String source, String optimizer, DType type) { check(name, source, optimizer, type, JvmBackendTest.F32); }

    /** Against the interpreter, with {@code f32} the float32 tolerance ({@link JvmBackendTest#check}). */
    void check(String name, String source, String optimizer, DType type, double f32) {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        try (CudaModel model = onDevice(JvmBackendTest.compile(name, source, optimizer), type)) {
            JvmBackendTest.against(name + ", cuda, " + type, JvmBackendTest.compile(name, source, optimizer), model, type, 2,
                    JvmBackendTest::batch, f32, 13, 1, 300);
        }
    }

    CudaModel onDevice(JvmBackendTest.Net net, DType type) {
        var generated = CudaBackend.generate(net.graph(), net.optimizer(), type);
        return CudaBackend.model(net.graph(), net.optimizer(), generated, image(generated.cuda().source()));
    }

    /** A run of steps on kept data is the same steps one by one: the same losses and parameters, to the bit. */
    @ParameterizedTest(name = "{0}, graphs {1}, {2}")
    @MethodSource("runs")
    void runIsStepByStep(String sample, boolean graphs, String gemm) throws IOException {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        String products = System.getProperty("nnc.cuda.gemm");
        System.setProperty("nnc.cuda.gemm", gemm);
        try {
            runIsStepByStep(sample, graphs);
        } finally {
            if (products == null) System.clearProperty("nnc.cuda.gemm");
            else System.setProperty("nnc.cuda.gemm", products);
        }
    }

    private void runIsStepByStep(String sample, boolean graphs) throws IOException {
        var net = JvmBackendTest.compile(sample, Files.readString(Repo.root().resolve("samples/" + sample)), "adam");
        Batch data = JvmBackendTest.batch(net.graph(), 67, new SplittableRandom(3));
        int[] order = new int[data.size()];
        for (int k = 0; k < order.length; k++) order[k] = (k * 37) % order.length; // 37 and 67 are coprime: a permutation
        int size = 4, batches = (order.length + size - 1) / size; // 17 batches, the last of 3 samples
        String before = System.getProperty("nnc.cuda.graphs");
        System.setProperty("nnc.cuda.graphs", Boolean.toString(graphs));
        try (CudaModel resident = onDevice(net, DType.F32); CudaModel stepwise = onDevice(net, DType.F32)) {
            resident.initialize(5);
            stepwise.initialize(5);
            ResidentTraining r = resident;
            r.keep(data, Metrics.Task.OTHER);
            double[] factors = new double[batches];
            for (int b = 0; b < batches; b++) factors[b] = 1.0 / (1 + b);
            List<Double> losses = new ArrayList<>();
            // two runs, the second reading through the rest of the order: 0 … 15 and 16 (with graphs: one graph of 16
            // steps, then one of a single step)
            for (int[] run : new int[][] {{0, 16}, {16, batches}}) {
                var got = r.run(order, size, run[0], run[1], Arrays.copyOfRange(factors, run[0], run[1]));
                assertFalse(got.stopped());
                assertEquals(run[1] - run[0], got.losses().length);
                for (double l : got.losses()) losses.add(l);
            }
            for (int b = 0; b < batches; b++) {
                int from = b * size, to = Math.min(order.length, from + size);
                Batch batch = data.rows(Arrays.copyOfRange(order, from, to));
                double loss = stepwise.lossAndGradients(batch) * (to - from);
                assertEquals((float) loss, losses.get(b).floatValue(), 1e-6f * Math.abs((float) loss), "the loss of batch " + b);
                stepwise.step(factors[b]);
            }
            assertEquals(stepwise.steps(), resident.steps());
            for (var p : net.graph().params()) {
                assertArrayEquals(stepwise.parameter(p.name), resident.parameter(p.name), sample + ": " + p.name + " after the run");
            }
        } finally {
            if (before == null) System.clearProperty("nnc.cuda.graphs");
            else System.setProperty("nnc.cuda.graphs", before);
        }
    }

    /** Equal to float32's rounding, or both NaN, or the same infinity. */
    static void same(String what, double want, double got) {
        if (Double.isFinite(want)) assertEquals(want, got, Math.abs(want) * 1e-5 + 1e-12, what);
        else assertTrue(Double.isNaN(want) ? Double.isNaN(got) : want == got, what + ": " + want + ", not " + got);
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (String s : List.of("seed.nn", "xor.nn", "spirals.nn", "mlp.nn")) {
            for (boolean g : new boolean[] {true, false}) out.add(Arguments.of(s, g, "kernels"));
        }
        // with cuBLAS the short last batch runs outside the graphs
        out.add(Arguments.of("spirals.nn", true, "cublas"));
        out.add(Arguments.of("mlp.nn", true, "cublas"));
        return out.stream();
    }

    /**
     * A network whose loss and last parameter's gradient become infinite when x₂ is, while the other 300
     * gradient elements stay finite: the element that is not finite is in the last CUDA block of the kernel that
     * finishes a step, the loss in the first.
     */
    static final String SPLIT = """
            network Split {
              input  x[2]
              target y
              param  a[300] = 0.01, w = 1
              u = Σᵢ a[i] x₁
              output u
              loss J = (u - y)² + (w x₂)²
            }
            """;

    /** A batch whose loss is not finite stops the run before its step: the parameters are those after the batch before. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed.nn", "spirals.nn", "split"})
    void runStopsAtTheFirstNonFiniteBatch(String sample) throws IOException {
        Assumptions.assumeTrue(unavailable == null, () -> unavailable);
        String source = sample.equals("split") ? SPLIT : Files.readString(Repo.root().resolve("samples/" + sample));
        var net = JvmBackendTest.compile(sample, source, "gd");
        Batch data = JvmBackendTest.batch(net.graph(), 40, new SplittableRandom(4));
        String input = net.graph().inputs().get(0).name;
        double[] x = data.column(input);
        int width = net.graph().inputs().get(0).size();
        x[25 * width + width - 1] = Double.POSITIVE_INFINITY; // row 25: in batch 2 of batches of 10 (rows in order)
        int[] order = new int[data.size()];
        for (int k = 0; k < order.length; k++) order[k] = k;
        try (CudaModel resident = onDevice(net, DType.F32); CudaModel stepwise = onDevice(net, DType.F32)) {
            resident.initialize(1);
            stepwise.initialize(1);
            resident.keep(data, Metrics.Task.OTHER);
            var got = resident.run(order, 10, 0, 4, new double[] {1, 1, 1, 1});
            assertTrue(got.stopped(), "the run goes on past a batch with an infinite input");
            assertEquals(3, got.losses().length, "the run stops at batch 2");
            assertEquals(2, resident.steps());
            for (int b = 0; b < 2; b++) {
                stepwise.lossAndGradients(data.slice(10 * b, 10 * b + 10));
                stepwise.step(1);
            }
            for (var p : net.graph().params()) assertArrayEquals(stepwise.parameter(p.name), resident.parameter(p.name), p.name);
            // the batch that stopped it: its own loss, every gradient element finished (not left from the batch before)
            double loss = stepwise.lossAndGradients(data.slice(20, 30)) * 10;
            same("the loss of the batch that stopped the run", loss, got.losses()[2]);
            if (sample.equals("split")) assertEquals(Double.POSITIVE_INFINITY, got.losses()[2], "(w x₂)² with x₂ infinite");
            assertTrue(resident.nonFiniteGradient().isPresent() || !Double.isFinite(loss), "the stopped batch's gradients are kept");
            for (var p : net.graph().params()) {
                double[] want = stepwise.gradient(p.name), have = resident.gradient(p.name);
                for (int k = 0; k < want.length; k++) same("∂J/∂" + p.name + "[" + k + "] of the batch that stopped the run", want[k], have[k]);
            }
        }
    }
}
