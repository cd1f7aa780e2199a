package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.driver.Compile;
import dev.nnc.gen.RandomNetworks;
import dev.nnc.interp.Gradcheck;
import dev.nnc.interp.Interpreter;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.opt.Stability;
import dev.nnc.runtime.Batch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interpreter's fast paths (strided loops for Σ of reads and for elementwise defs, gradients added
 * straight into the batch sums) give the very bits of the general closures: for every sample and 300 random
 * networks, compiled with and without the stability rewrites, the loss, every gradient element, every
 * prediction and the non-finite search agree exactly with an interpreter made with its fast paths off. The
 * batches span several chunks and end in a partial one.
 */
class InterpreterFastPathTest {
    static final int RANDOM_NETWORKS = 300;
    private static final Compile.Options NO_REWRITES = new Compile.Options(Set.copyOf(Stability.RULES), false);

    static Stream<Arguments> samples() {
        return Repo.nnFiles("samples").stream().map(p -> Arguments.of(Repo.relative(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample(String name, Path file) throws Exception {
        Graph graph = Nets.compile(file);
        boolean big = graph.params().stream().mapToInt(Tensor::size).sum() > 10_000;
        assertSameBits(name, Files.readString(file), graph, 1, big ? 11 : 21);
    }

    static Stream<Arguments> randomNetworks() {
        var cases = new ArrayList<Arguments>();
        for (long seed = 0; seed < RANDOM_NETWORKS; seed++) {
            var program = RandomNetworks.generate(seed);
            cases.add(Arguments.of(seed, program.name(), program.source()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("randomNetworks")
    void randomNetwork(long seed, String name, String source) {
        String what = "RandomNetworks.generate(" + seed + ") — " + name;
        assertSameBits(what, source, Nets.compile("random_" + seed + ".nn", source), seed, 19);
        if (seed % 3 == 0) {
            assertSameBits(what + " (stability rewrites off)", source, Nets.compile("random_" + seed + ".nn", source, NO_REWRITES),
                    seed, 19);
        }
    }

    /** Two interpreters on the same parameters, one with its fast paths off, and a batch: the gradcheck's point. */
    static Interpreter[] pair(Graph graph, long seed, int threads) {
        var point = Gradcheck.point(graph, new Gradcheck.Options(seed, 1, 1, 1e-6));
        var general = new Interpreter(graph, false).threads(threads);
        for (Tensor p : graph.params()) System.arraycopy(point.interp().values(p), 0, general.values(p), 0, p.size());
        return new Interpreter[] {point.interp().threads(threads), general};
    }

    static void assertSameBits(String what, String source, Graph graph, long seed, int batchSize) {
        Interpreter[] both = pair(graph, seed, 2);
        Interpreter fast = both[0], general = both[1];
        Batch batch = Gradcheck.randomBatch(graph, batchSize, new SplittableRandom(seed + 1000));
        String context = what + "\n--- program ---\n" + Nets.numbered(source);

        same(context, "loss", general.loss(batch), fast.loss(batch));
        Map<Tensor, double[]> gFast = new LinkedHashMap<>(), gGeneral = new LinkedHashMap<>();
        same(context, "loss of lossAndGradients", general.lossAndGradients(batch, gGeneral), fast.lossAndGradients(batch, gFast));
        for (Tensor p : graph.params()) same(context, "∂J/∂" + p.name, gGeneral.get(p), gFast.get(p));
        for (int s = 0; s < batchSize; s++) {
            var a = general.predict(batch, s);
            var b = fast.predict(batch, s);
            for (var e : a.entrySet()) same(context, e.getKey() + " of sample " + (s + 1), e.getValue(), b.get(e.getKey()));
        }
        var all = fast.predictAll(batch);
        var allGeneral = general.predictAll(batch);
        for (var e : allGeneral.entrySet()) same(context, "predictAll " + e.getKey(), e.getValue(), all.get(e.getKey()));
        assertEquals(general.firstNonFinite(batch), fast.firstNonFinite(batch), context);
    }

    static void same(String context, String what, double expected, double actual) {
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            fail(context + "\n" + what + ": " + expected + " (general) but " + actual + " (fast)");
        }
    }

    static void same(String context, String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what);
        List<String> wrong = new ArrayList<>();
        for (int k = 0; k < expected.length; k++) {
            if (Double.doubleToRawLongBits(expected[k]) != Double.doubleToRawLongBits(actual[k])) {
                wrong.add("[" + k + "] " + expected[k] + " vs " + actual[k]);
            }
        }
        if (!wrong.isEmpty()) {
            fail(context + "\n" + what + ": " + wrong.size() + " elements differ (general vs fast), e.g. "
                    + wrong.subList(0, Math.min(5, wrong.size())));
        }
    }
}
