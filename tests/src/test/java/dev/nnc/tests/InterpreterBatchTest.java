package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.gen.RandomNetworks;
import dev.nnc.interp.Gradcheck;
import dev.nnc.interp.Interpreter;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the interpreter runs a batch: in chunks of {@link Interpreter#CHUNK} samples whose sums are added in
 * chunk order, so any number of threads gives the same bits; parameters stay the live arrays every thread
 * reads; predictAll is predict for every sample; firstNonFinite names the first value that is not finite.
 */
class InterpreterBatchTest {
    private static Graph mlp() { return Nets.compile(Repo.root().resolve("samples/mlp.nn")); }

    private static Batch batch(Graph graph, int size, long seed) { return Gradcheck.randomBatch(graph, size, new SplittableRandom(seed)); }

    private record Run(double loss, Map<Tensor, double[]> gradients) {}

    private static Run run(Interpreter interp, Batch batch) {
        Map<Tensor, double[]> g = new LinkedHashMap<>();
        double loss = interp.lossAndGradients(batch, g);
        return new Run(loss, g);
    }

    private static void assertSameBits(String what, Graph graph, Run expected, Run actual) {
        InterpreterFastPathTest.same(what, "loss", expected.loss(), actual.loss());
        for (Tensor p : graph.params()) InterpreterFastPathTest.same(what, "∂J/∂" + p.name, expected.gradients().get(p), actual.gradients().get(p));
    }

    /** The MLP on 64 samples (8 chunks, on several threads) and on 61 (a partial last chunk). */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {64, 61})
    void anyNumberOfThreadsGivesTheSameBits(int size) {
        Graph graph = mlp();
        var interp = new Interpreter(graph).threads(1);
        interp.initialize(7);
        Batch batch = batch(graph, size, 3);
        Run one = run(interp, batch);
        double loss = interp.loss(batch);
        InterpreterFastPathTest.same("mlp", "loss vs lossAndGradients", one.loss(), loss);
        var predictions = interp.predictAll(batch);
        for (int threads : new int[] {2, 3, 5, 1, 2}) {
            interp.threads(threads);
            String what = "mlp, batch " + size + ", " + threads + " threads";
            assertSameBits(what, graph, one, run(interp, batch));
            InterpreterFastPathTest.same(what, "loss", loss, interp.loss(batch));
            var again = interp.predictAll(batch);
            for (var e : predictions.entrySet()) InterpreterFastPathTest.same(what, e.getKey(), e.getValue(), again.get(e.getKey()));
        }
    }

    /** Random networks on a batch big enough to be spread over threads. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {0, 1, 2, 3, 4, 5})
    void randomNetworksGiveTheSameBitsOnAnyNumberOfThreads(long seed) {
        var program = RandomNetworks.generate(seed);
        Graph graph = Nets.compile("random_" + seed + ".nn", program.source());
        Batch batch = batch(graph, 3001, seed);
        var interp = Gradcheck.point(graph, new Gradcheck.Options(seed, 1, 1, 1e-6)).interp().threads(1);
        Run one = run(interp, batch);
        for (int threads : new int[] {4, 2}) assertSameBits(program.name() + ", " + threads + " threads", graph, one, run(interp.threads(threads), batch));
    }

    /**
     * The mean is (Σ over chunks, in order, of Σ over the chunk's samples, in order) / n: built here from the
     * gradients of one-sample batches, which are the per-sample gradients themselves.
     */
    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 5, 8, 21})
    void theMeanIsTheChunkSumsAddedInOrder(int size) {
        Graph graph = Nets.compile(Repo.root().resolve("samples/seed.nn"));
        var interp = Gradcheck.point(graph, new Gradcheck.Options(4, 1, 1, 1e-6)).interp();
        Batch batch = batch(graph, size, 11);
        double loss = 0;
        Map<Tensor, double[]> sum = new HashMap<>();
        for (Tensor p : graph.params()) sum.put(p, new double[p.size()]);
        for (int first = 0; first < size; first += Interpreter.CHUNK) {
            double chunkLoss = 0;
            Map<Tensor, double[]> chunk = new HashMap<>();
            for (Tensor p : graph.params()) chunk.put(p, new double[p.size()]);
            for (int s = first; s < Math.min(size, first + Interpreter.CHUNK); s++) {
                Run one = run(interp, batch.slice(s, s + 1));
                chunkLoss += one.loss();
                for (Tensor p : graph.params()) for (int k = 0; k < p.size(); k++) chunk.get(p)[k] += one.gradients().get(p)[k];
            }
            loss += chunkLoss;
            for (Tensor p : graph.params()) for (int k = 0; k < p.size(); k++) sum.get(p)[k] += chunk.get(p)[k];
        }
        for (double[] g : sum.values()) for (int k = 0; k < g.length; k++) g[k] /= size;
        assertSameBits("seed, batch " + size, graph, new Run(loss / size, sum), run(interp, batch));
    }

    @Test
    void parametersStayTheLiveArraysEveryThreadReads() {
        Graph graph = mlp();
        var interp = new Interpreter(graph).threads(2);
        interp.initialize(1);
        double[] w1 = interp.values("W1");
        Batch batch = batch(graph, 32, 5);
        double before = interp.loss(batch);
        assertSame(w1, interp.values("W1"));
        for (int k = 0; k < w1.length; k += 7) w1[k] *= 1.5; // written in place, as training does
        double after = interp.loss(batch);
        assertNotEquals(before, after);
        var fresh = new Interpreter(graph).threads(1);
        for (Tensor p : graph.params()) System.arraycopy(interp.values(p), 0, fresh.values(p), 0, p.size());
        InterpreterFastPathTest.same("mlp", "loss after a write", fresh.loss(batch), after);
        assertSameBits("mlp after a write", graph, run(fresh, batch), run(interp, batch));
        assertSame(w1, interp.values("W1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"samples/mlp.nn", "samples/seed.nn", "samples/xor.nn", "samples/seed_layers.nn"})
    void predictAllIsPredictForEverySample(String file) {
        Graph graph = Nets.compile(Repo.root().resolve(file));
        var interp = new Interpreter(graph).threads(2);
        interp.initialize(2);
        Batch full = batch(graph, 19, 8);
        // without targets, as a prediction is asked for
        Map<String, double[]> inputs = new HashMap<>();
        for (Tensor x : graph.inputs()) inputs.put(x.name, full.column(x.name));
        Batch batch = new Batch(19, inputs);
        var all = interp.predictAll(batch);
        assertEquals(graph.outputs().stream().map(t -> t.name).toList(), List.copyOf(all.keySet()));
        for (int s = 0; s < 19; s++) {
            for (var e : interp.predict(batch, s).entrySet()) {
                double[] row = Arrays.copyOfRange(all.get(e.getKey()), s * e.getValue().length, (s + 1) * e.getValue().length);
                InterpreterFastPathTest.same(file, e.getKey() + " of sample " + (s + 1), e.getValue(), row);
            }
        }
    }

    // ─── firstNonFinite ───────────────────────────────────────────────────────────────────────────

    private static final String TANH = """
            network T {
              input  x[3]
              target y[2]
              param  W[4,3] ~ normal(0, 0.5), b[4] = 0
              param  V[2,4] ~ normal(0, 0.5), c[2] = 0
              h[j] = tanh(Σᵢ W[j,i] x[i] + b[j])
              a[k] = Σⱼ V[k,j] h[j] + c[k]
              output a
              loss J = Σₖ mse(a[k], y[k])
            }
            """;

    /** Three samples: x₃ is 0.3, then 5, then 0.2. */
    private static Batch tanhBatch() {
        return new Batch(3, Map.of("x", new double[] {0.1, 0.2, 0.3, -0.4, 0.5, 5, 0.7, -0.1, 0.2},
                "y", new double[] {0.5, -0.5, 0.2, 0.1, -0.3, 0.9}));
    }

    @Test
    void allFiniteIsEmpty() {
        Graph graph = mlp();
        var interp = new Interpreter(graph);
        interp.initialize(3);
        assertEquals(Optional.empty(), interp.firstNonFinite(batch(graph, 20, 1)));
        var t = new Interpreter(Nets.compile("t.nn", TANH));
        t.initialize(1);
        assertEquals(Optional.empty(), t.firstNonFinite(tanhBatch()));
    }

    /** W[2,3] = 10³⁰⁸: z_h[2] is finite in sample 1 (tanh saturates, its derivative is 0) and overflows in sample 2. */
    @Test
    void aHugeWeightOverflowsThePreActivationOfTheSampleThatNeedsIt() {
        var interp = new Interpreter(Nets.compile("t.nn", TANH));
        interp.initialize(1);
        interp.values("W")[1 * 3 + 2] = 1e308;
        assertEquals(Optional.of("z_h[2] in sample 2 of the batch"), interp.firstNonFinite(tanhBatch()));
    }

    @Test
    void aNaNParameterIsNamed() {
        Graph graph = mlp();
        var interp = new Interpreter(graph);
        interp.initialize(3);
        interp.values("W1")[2 * 784 + 4] = Double.NaN;
        assertEquals(Optional.of("W1[3,5], a parameter"), interp.firstNonFinite(batch(graph, 4, 1)));
    }

    @Test
    void aNaNInTheDataIsNamedWithItsSample() {
        var interp = new Interpreter(Nets.compile("t.nn", TANH));
        interp.initialize(1);
        Batch b = tanhBatch();
        b.column("x")[6] = Double.NaN;
        assertEquals(Optional.of("x[1] in sample 3 of the batch"), interp.firstNonFinite(b));
    }

    /** Every per-sample value finite, but the batch's gradient sum overflows: ∂J/∂w₁ = 2(z − y)·x₁ = −x₁ with w = 0, y = ½. */
    @Test
    void aGradientThatOverflowsOnlyWhenSummedIsFoundAtTheEnd() {
        var interp = new Interpreter(Nets.compile("lin.nn", """
                network Lin {
                  input  x[2]
                  target y
                  param  w[2] = 0
                  z = Σᵢ w[i] x[i]
                  output z
                  loss J = mse(z, y)
                }
                """));
        interp.initialize(1);
        var b = new Batch(3, Map.of("x", new double[] {1, 1e308, 1, 1e308, 1, 1e308}, "y", new double[] {0.5, 0.5, 0.5}));
        assertEquals(Optional.of("∂J/∂w[2]"), interp.firstNonFinite(b));
        assertTrue(Double.isFinite(interp.loss(b)));
    }
}
