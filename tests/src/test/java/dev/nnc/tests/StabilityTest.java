package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.driver.Compile;
import dev.nnc.runtime.Batch;
import dev.nnc.interp.Interpreter;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.opt.Stability;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stability rewrites at logits of magnitude 1000, where exp overflows and σ and softmax round to exactly 0
 * and 1: the loss and every gradient must be finite and equal the exact values (computed here in closed form,
 * stably), to 1e-12 relative. With every rewrite turned off ({@code --no-rewrite} all of
 * {@link Stability#RULES}) the same programs must give a non-finite loss or gradient somewhere, which shows
 * that the rewrites are what keeps them finite. Which rewrites apply to these programs, and what they make of them,
 * is in the behaviour suite (tests/behaviour/stability/).
 */
class StabilityTest {
    private static final double RELATIVE = 1e-12;
    /** Exact values such as log(1 + e⁻¹⁰⁰⁰) ≈ 5e-435 are 0 in double precision; anything below this is 0. */
    private static final double ABSOLUTE = 1e-300;

    private static final Compile.Options NO_REWRITES = new Compile.Options(Set.copyOf(Stability.RULES), false);

    /** What one run gave (or should give): the mean loss and the gradient of every parameter, by name. */
    record Values(double loss, Map<String, double[]> grads) {
        boolean finite() {
            return Double.isFinite(loss) && grads.values().stream().flatMapToDouble(Arrays::stream).allMatch(Double::isFinite);
        }

        @Override public String toString() {
            var b = new StringBuilder(String.format(Locale.ROOT, "loss %.17g", loss));
            grads.forEach((k, v) -> b.append(", ∂J/∂").append(k).append(' ').append(Arrays.toString(v)));
            return b.toString();
        }
    }

    private static Values run(Graph graph, Map<String, double[]> params, Batch batch) {
        var interp = new Interpreter(graph);
        for (var e : params.entrySet()) {
            double[] live = interp.values(e.getKey());
            assertEquals(live.length, e.getValue().length, "elements of " + e.getKey());
            System.arraycopy(e.getValue(), 0, live, 0, live.length);
        }
        Map<Tensor, double[]> grads = new HashMap<>();
        double loss = interp.lossAndGradients(batch, grads);
        Map<String, double[]> byName = new LinkedHashMap<>();
        for (Tensor p : graph.params()) byName.put(p.name, grads.get(p));
        return new Values(loss, byName);
    }

    private static boolean close(double actual, double exact) {
        return Double.isFinite(actual) && Math.abs(actual - exact) <= RELATIVE * Math.abs(exact) + ABSOLUTE;
    }

    private static void assertExact(String what, String source, Values exact, Values actual) {
        List<String> wrong = new ArrayList<>();
        if (!close(actual.loss(), exact.loss())) {
            wrong.add(String.format(Locale.ROOT, "loss: %.17g, exact %.17g", actual.loss(), exact.loss()));
        }
        assertEquals(exact.grads().keySet(), actual.grads().keySet(), "parameters");
        for (var e : exact.grads().entrySet()) {
            double[] a = actual.grads().get(e.getKey()), x = e.getValue();
            for (int k = 0; k < x.length; k++) {
                if (!close(a[k], x[k])) {
                    wrong.add(String.format(Locale.ROOT, "∂J/∂%s element %d: %.17g, exact %.17g", e.getKey(), k, a[k], x[k]));
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(what + ": not the exact values (to " + RELATIVE + " relative):\n  " + String.join("\n  ", wrong)
                    + "\n--- program ---\n" + Nets.numbered(source));
        }
        assertTrue(actual.finite(), what + ": " + actual);
    }

    // ─── σ followed by bce ───────────────────────────────────────────────────────────────────────

    private static final String SIGMOID_BCE = """
            network SigmoidBce {
              input  x
              target y
              param  w, b
              n = σ(w·x + b)
              output n
              loss J = bce(n, y)
            }
            """;

    /** w = 400, b = 200: x = 2 gives z = 1000, x = −3 gives z = −1000. */
    private static final double W = 400, B = 200;

    static Stream<Arguments> sigmoidCases() {
        return Stream.of(Arguments.of(2.0, 0.0), Arguments.of(2.0, 1.0), Arguments.of(-3.0, 0.0), Arguments.of(-3.0, 1.0));
    }

    /** bce(σ(z), y) = max(z, 0) − z y + log(1 + e^−|z|), ∂/∂z = σ(z) − y, computed stably in closed form. */
    private static Values exactSigmoidBce(double[] xs, double[] ys) {
        double loss = 0, gw = 0, gb = 0;
        for (int s = 0; s < xs.length; s++) {
            double z = W * xs[s] + B;
            double sigma = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            loss += Math.max(z, 0) - z * ys[s] + Math.log1p(Math.exp(-Math.abs(z)));
            gw += xs[s] * (sigma - ys[s]);
            gb += sigma - ys[s];
        }
        int n = xs.length;
        var grads = new LinkedHashMap<String, double[]>();
        grads.put("w", new double[] {gw / n});
        grads.put("b", new double[] {gb / n});
        return new Values(loss / n, grads);
    }

    @ParameterizedTest(name = "σ + bce at z = {0}·400 + 200, y = {1}")
    @MethodSource("sigmoidCases")
    void sigmoidBceIsExactAtHugeLogits(double x, double y) {
        Graph graph = Nets.compile("sigmoid_bce.nn", SIGMOID_BCE);
        Values actual = run(graph, Map.of("w", new double[] {W}, "b", new double[] {B}),
                new Batch(1, Map.of("x", new double[] {x}, "y", new double[] {y})));
        Values exact = exactSigmoidBce(new double[] {x}, new double[] {y});
        assertExact("z = " + (W * x + B) + ", y = " + y, SIGMOID_BCE, exact, actual);
        // the values themselves, spelled out: bce is |z| when σ(z) is on the wrong side, else 0
        double z = W * x + B;
        boolean wrongSide = (z > 0) != (y == 1);
        assertEquals(wrongSide ? 1000 : 0, actual.loss(), wrongSide ? 1000 * RELATIVE : ABSOLUTE);
        assertEquals(x * ((z > 0 ? 1 : 0) - y), actual.grads().get("w")[0], ABSOLUTE);
    }

    @Test
    void sigmoidBceBatchMeanIsExact() {
        double[] xs = {2, 2, -3, -3}, ys = {0, 1, 0, 1};
        Values actual = run(Nets.compile("sigmoid_bce.nn", SIGMOID_BCE),
                Map.of("w", new double[] {W}, "b", new double[] {B}), new Batch(4, Map.of("x", xs, "y", ys)));
        assertExact("the batch of four", SIGMOID_BCE, exactSigmoidBce(xs, ys), actual);
        assertEquals(500, actual.loss(), 500 * RELATIVE); // (1000 + 0 + 0 + 1000) / 4
    }

    @Test
    void sigmoidBceWithoutRewritesIsNotFinite() {
        Graph graph = Nets.compile("sigmoid_bce.nn", SIGMOID_BCE, NO_REWRITES);
        List<String> seen = new ArrayList<>();
        boolean anyNonFinite = false;
        for (var c : sigmoidCases().toList()) {
            double x = (double) c.get()[0], y = (double) c.get()[1];
            Values v = run(graph, Map.of("w", new double[] {W}, "b", new double[] {B}),
                    new Batch(1, Map.of("x", new double[] {x}, "y", new double[] {y})));
            seen.add("z = " + (W * x + B) + ", y = " + y + ": " + v);
            anyNonFinite |= !v.finite();
        }
        assertTrue(anyNonFinite, "with every rewrite off, bce(σ(z), y) at |z| = 1000 should overflow somewhere "
                + "(so the rewrites are what makes it finite), but all of these are finite:\n  " + String.join("\n  ", seen));
    }

    /** σ written inline in the loss, with an expression for its argument: log-sigmoid keeps it exact. */
    private static final String INLINE_SIGMOID_BCE = """
            network InlineSigmoidBce {
              input  x
              target y
              param  w, b
              output x
              loss J = bce(σ(w·x + b), y)
            }
            """;

    @ParameterizedTest(name = "bce(σ(w·x + b), y) inline at z = {0}·400 + 200, y = {1}")
    @MethodSource("sigmoidCases")
    void inlineSigmoidBceIsExactAtHugeLogits(double x, double y) {
        Graph graph = Nets.compile("inline_sigmoid_bce.nn", INLINE_SIGMOID_BCE);
        assertTrue(!rules(graph).isEmpty(), "some stability rewrite should apply");
        Values actual = run(graph, Map.of("w", new double[] {W}, "b", new double[] {B}),
                new Batch(1, Map.of("x", new double[] {x}, "y", new double[] {y})));
        assertExact("inline, z = " + (W * x + B) + ", y = " + y + " (rewrites " + rules(graph) + ")", INLINE_SIGMOID_BCE,
                exactSigmoidBce(new double[] {x}, new double[] {y}), actual);
    }

    /** Without sigmoid-bce, the log-sigmoid rewrite (log σ(z) → −softplus(−z)) alone keeps bce exact. */
    @ParameterizedTest(name = "σ + bce with sigmoid-bce off, log-sigmoid only: z = {0}·400 + 200, y = {1}")
    @MethodSource("sigmoidCases")
    void logSigmoidAloneKeepsBceExact(double x, double y) {
        Graph graph = Nets.compile("sigmoid_bce.nn", SIGMOID_BCE, new Compile.Options(Set.of("sigmoid-bce"), false));
        assertEquals(List.of("log-sigmoid", "log-sigmoid"), rules(graph), "log σ(z) and log(1 − σ(z)) are both rewritten");
        Values actual = run(graph, Map.of("w", new double[] {W}, "b", new double[] {B}),
                new Batch(1, Map.of("x", new double[] {x}, "y", new double[] {y})));
        assertExact("log-sigmoid only, z = " + (W * x + B) + ", y = " + y, SIGMOID_BCE,
                exactSigmoidBce(new double[] {x}, new double[] {y}), actual);
    }

    @Test
    void sigmoidBceWithBothSigmoidRewritesOffIsNotFinite() {
        Graph graph = Nets.compile("sigmoid_bce.nn", SIGMOID_BCE, new Compile.Options(Set.of("sigmoid-bce", "log-sigmoid"), false));
        Values v = run(graph, Map.of("w", new double[] {W}, "b", new double[] {B}),
                new Batch(1, Map.of("x", new double[] {2}, "y", new double[] {0})));
        assertTrue(!v.finite(), "bce(σ(1000), 0) computed as written should overflow (log(1 − 1) = −∞): " + v);
    }

    /** The stability rules the notes of a graph name, in order. */
    private static List<String> rules(Graph graph) { return graph.notes().stream().map(n -> n.rule()).toList(); }

    // ─── softmax followed by cross-entropy ───────────────────────────────────────────────────────

    /** The losses of a softmax output z[3] = Σᵢ W[c,i] x[i] + b[c], p = softmax(z), written in several ways. */
    static final Map<String, String> SOFTMAX_LOSSES = new LinkedHashMap<>();
    static {
        SOFTMAX_LOSSES.put("−Σ y log p written out", "-Σ_c y[c] log(p[c])");
        SOFTMAX_LOSSES.put("cross_entropy(p, y)", "cross_entropy(p, y)");
        SOFTMAX_LOSSES.put("cross_entropy(softmax(z), y)", "cross_entropy(softmax(z), y)");
        SOFTMAX_LOSSES.put("cross_entropy_logits(z, y)", "cross_entropy_logits(z, y)");
        SOFTMAX_LOSSES.put("nll(log_softmax(z), y)", "nll(log_softmax(z), y)");
    }

    static String softmaxProgram(String loss) {
        return """
                network SoftmaxCe {
                  input  x[2]
                  target y[3]
                  param  W[3,2], b[3]
                  z[c] = Σᵢ W[c,i] x[i] + b[c]
                  p = softmax(z)
                  output p
                  loss J = %s
                }
                """.formatted(loss);
    }

    /** Rows of W and b such that x = (1, 2) gives z = (1000, −1000, 0) and x = (−1, −2) gives z = (−800, 800, 0). */
    private static final double[] SW = {400, 250, -400, -250, 10, -5};
    private static final double[] SB = {100, -100, 0};
    private static final double[][] SX = {{1, 2}, {-1, -2}};

    static Stream<Arguments> softmaxCases() {
        var cases = new ArrayList<Arguments>();
        for (String loss : SOFTMAX_LOSSES.keySet()) {
            for (int s = 0; s < SX.length; s++) for (int c = 0; c < 3; c++) cases.add(Arguments.of(loss, s, c));
        }
        return cases.stream();
    }

    /** −log softmax(z)[c] = logsumexp(z) − z[c], ∂/∂z = softmax(z) − e_c, computed stably in closed form. */
    private static Values exactSoftmaxCe(double[] x, int cls) {
        double[] z = new double[3];
        for (int c = 0; c < 3; c++) z[c] = SW[2 * c] * x[0] + SW[2 * c + 1] * x[1] + SB[c];
        double m = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        for (double v : z) sum += Math.exp(v - m);
        double loss = m + Math.log(sum) - z[cls];
        double[] gw = new double[6], gb = new double[3];
        for (int c = 0; c < 3; c++) {
            double d = Math.exp(z[c] - m) / sum - (c == cls ? 1 : 0);
            gb[c] = d;
            gw[2 * c] = d * x[0];
            gw[2 * c + 1] = d * x[1];
        }
        var grads = new LinkedHashMap<String, double[]>();
        grads.put("W", gw);
        grads.put("b", gb);
        return new Values(loss, grads);
    }

    private static Values runSoftmax(Graph graph, double[] x, int cls) {
        double[] y = new double[3];
        y[cls] = 1;
        return run(graph, Map.of("W", SW.clone(), "b", SB.clone()), new Batch(1, Map.of("x", x.clone(), "y", y)));
    }

    @ParameterizedTest(name = "{0}: sample {1}, class {2}")
    @MethodSource("softmaxCases")
    void softmaxCrossEntropyIsExactAtHugeLogits(String loss, int sample, int cls) {
        String source = softmaxProgram(SOFTMAX_LOSSES.get(loss));
        Values actual = runSoftmax(Nets.compile("softmax_ce.nn", source), SX[sample], cls);
        Values exact = exactSoftmaxCe(SX[sample], cls);
        assertExact(loss + " at x = " + Arrays.toString(SX[sample]) + ", class " + (cls + 1), source, exact, actual);
        // spelled out for the first sample, z = (1000, −1000, 0): the loss is 1000 − z[class]
        if (sample == 0) assertEquals(1000 - new double[] {1000, -1000, 0}[cls], actual.loss(), 2000 * RELATIVE);
    }

    @ParameterizedTest(name = "{0} without the rewrites overflows")
    @MethodSource("softmaxLosses")
    void softmaxCrossEntropyWithoutRewritesIsNotFinite(String loss) {
        String source = softmaxProgram(SOFTMAX_LOSSES.get(loss));
        Graph graph = Nets.compile("softmax_ce.nn", source, NO_REWRITES);
        List<String> seen = new ArrayList<>();
        boolean anyNonFinite = anyNonFinite(graph, seen);
        assertTrue(anyNonFinite, loss + ": with every rewrite off, logits of ±1000 should overflow somewhere (so the "
                + "rewrites are what makes it finite), but all of these are finite:\n  " + String.join("\n  ", seen)
                + "\n--- program ---\n" + Nets.numbered(source));
    }

    /** Runs every logit case and class, recording each in seen; whether any loss or gradient is not finite. */
    private static boolean anyNonFinite(Graph graph, List<String> seen) {
        boolean any = false;
        for (int s = 0; s < SX.length; s++) {
            for (int c = 0; c < 3; c++) {
                Values v = runSoftmax(graph, SX[s], c);
                seen.add("x = " + Arrays.toString(SX[s]) + ", class " + (c + 1) + ": " + v);
                any |= !v.finite();
            }
        }
        return any;
    }

    static Stream<String> softmaxLosses() { return SOFTMAX_LOSSES.keySet().stream(); }

    /**
     * Which rewrite each way of writing the loss relies on: softmax followed by a cross-entropy needs both the
     * shifted softmax and the fused log-softmax; the logit forms need log-sum-exp. Turning off that one rule alone
     * (the others on) must give a non-finite loss or gradient.
     */
    static Stream<Arguments> softmaxRules() {
        return Stream.of(
                Arguments.of("−Σ y log p written out", "softmax-shift"),
                Arguments.of("−Σ y log p written out", "softmax-cross-entropy"),
                Arguments.of("cross_entropy(p, y)", "softmax-shift"),
                Arguments.of("cross_entropy(p, y)", "softmax-cross-entropy"),
                Arguments.of("cross_entropy(softmax(z), y)", "softmax-shift"),
                Arguments.of("cross_entropy(softmax(z), y)", "softmax-cross-entropy"),
                Arguments.of("cross_entropy_logits(z, y)", "log-sum-exp"),
                Arguments.of("nll(log_softmax(z), y)", "log-sum-exp"));
    }

    @ParameterizedTest(name = "{0} relies on {1}")
    @MethodSource("softmaxRules")
    void eachSoftmaxRewriteIsNeeded(String loss, String rule) {
        String source = softmaxProgram(SOFTMAX_LOSSES.get(loss));
        assertTrue(rules(Nets.compile("softmax_ce.nn", source)).contains(rule),
                loss + ": the notes should say that " + rule + " applied: " + rules(Nets.compile("softmax_ce.nn", source)));
        Graph graph = Nets.compile("softmax_ce.nn", source, new Compile.Options(Set.of(rule), false));
        assertTrue(!rules(graph).contains(rule), rule + " is off but noted");
        List<String> seen = new ArrayList<>();
        boolean anyNonFinite = anyNonFinite(graph, seen);
        assertTrue(anyNonFinite, loss + ": with only " + rule + " off, logits of ±1000 should overflow somewhere, "
                + "but all of these are finite:\n  " + String.join("\n  ", seen));
    }
}
