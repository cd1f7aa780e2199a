package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Compile;
import dev.nnc.gen.RandomConvNetworks;
import dev.nnc.gen.RandomNetworks;
import dev.nnc.interp.Gradcheck;
import dev.nnc.ir.Graph;
import dev.nnc.opt.Stability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every derived gradient against central finite differences ({@link Gradcheck}, double precision, tolerance
 * 1e-6): each activation and each loss of the standard library in a small network, every sample, and 210 random
 * networks of {@link RandomNetworks}. A failure prints the program and the gradcheck table.
 */
class GradcheckFamilyTest {
    private static final double TOLERANCE = 1e-6;
    /** Each small stdlib network is checked at these gradcheck seeds (different weights, inputs and targets). */
    private static final long[] SEEDS = {1, 2, 3};

    // ─── (a) the standard library ─────────────────────────────────────────────────────────────────

    /** A layer of the activation (given as a format with %s for its argument), then a squared error. */
    static String activationNetwork(String call) {
        return """
                network Activation {
                  input  x[3]
                  target y[3]
                  param  W[3,3], b[3]
                  h[j] = %s
                  output h
                  loss J = Σₖ mse(h[k], y[k])
                }
                """.formatted(call.formatted("Σᵢ W[j,i] x[i] + b[j]"));
    }

    /** A vector-valued activation of the whole pre-activation vector, then a squared error. */
    static String vectorActivationNetwork(String f) {
        return """
                network Activation {
                  input  x[3]
                  target y[3]
                  param  W[3,3], b[3]
                  z[j] = Σᵢ W[j,i] x[i] + b[j]
                  h = %s(z)
                  output h
                  loss J = Σₖ mse(h[k], y[k])
                }
                """.formatted(f);
    }

    static Stream<Arguments> activations() {
        var cases = new ArrayList<Arguments>();
        for (String f : List.of("σ", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softsign", "gelu", "gelu_exact", "softplus",
                "swish", "silu", "identity", "linear")) {
            cases.add(Arguments.of(f, activationNetwork(f + "(%s)")));
        }
        cases.add(Arguments.of("sigma (ASCII σ)", activationNetwork("sigma(%s)")));
        cases.add(Arguments.of("leaky_relu(α = 0.2)", activationNetwork("leaky_relu(%s, α = 0.2)")));
        cases.add(Arguments.of("elu(α = 0.5)", activationNetwork("elu(%s, α = 0.5)")));
        cases.add(Arguments.of("swish(β = 2)", activationNetwork("swish(%s, β = 2)")));
        for (String f : List.of("softmax", "log_softmax")) cases.add(Arguments.of(f, vectorActivationNetwork(f)));
        cases.add(Arguments.of("tanh of a whole vector", vectorActivationNetwork("tanh")));
        cases.add(Arguments.of("relu of a whole vector", vectorActivationNetwork("relu")));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activation(String name, String source) {
        checkBothWays("activation " + name, source);
    }

    /** The stability rewrites off: every rule of the rewritten forms (softmax, bce, log σ) is then derived plainly. */
    private static final Compile.Options NO_REWRITES = new Compile.Options(Set.copyOf(Stability.RULES), false);

    /** Gradchecks a program at each seed, as compiled by default and with every stability rewrite off. */
    private static void checkBothWays(String what, String source) {
        Graph graph = Nets.compile("case.nn", source);
        Graph plain = Nets.compile("case.nn", source, NO_REWRITES);
        for (long seed : SEEDS) {
            Nets.assertGradcheck(what, source, graph, new Gradcheck.Options(seed, 3, 24, TOLERANCE));
            Nets.assertGradcheck(what + " (all stability rewrites off)", source, plain, new Gradcheck.Options(seed, 3, 24, TOLERANCE));
        }
    }

    /** A tanh hidden layer, an output computed by {@code out} from logits z[k], and the loss. */
    static String lossNetwork(int k, String out, String loss) {
        String target = k == 1 ? "y" : "y[" + k + "]";
        String logits = k == 1 ? "z = Σⱼ w2[j] h[j] + b2" : "z[k] = Σⱼ W2[k,j] h[j] + b2[k]";
        String params = k == 1 ? "w2[4], b2" : "W2[" + k + ",4], b2[" + k + "]";
        return """
                network Loss {
                  input  x[3]
                  target %s
                  param  W1[4,3], b1[4]
                  param  %s
                  h[j] = tanh(Σᵢ W1[j,i] x[i] + b1[j])
                  %s
                  %s
                  output a
                  loss J = %s
                }
                """.formatted(target, params, logits, out, loss);
    }

    static Stream<Arguments> losses() {
        return Stream.of(
                Arguments.of("bce (of σ, rewritten to bce_logits)", lossNetwork(1, "a = σ(z)", "bce(a, y)")),
                Arguments.of("bce (of a probability that is not a σ)", lossNetwork(1, "a = 0.5 + 0.45 tanh(z)", "bce(a, y)")),
                Arguments.of("bce_logits", lossNetwork(1, "a = z", "bce_logits(z, y)")),
                Arguments.of("mse", lossNetwork(1, "a = z", "mse(a, y)")),
                Arguments.of("mse summed over a vector", lossNetwork(3, "a = z", "Σₖ mse(a[k], y[k])")),
                Arguments.of("mae", lossNetwork(1, "a = 2 z", "mae(a, y)")),
                Arguments.of("mae summed over a vector", lossNetwork(3, "a = z", "Σₖ mae(a[k], y[k])")),
                Arguments.of("huber", lossNetwork(3, HUBER_OUT, "Σₖ huber(a[k], y[k])")),
                Arguments.of("huber(δ = 0.3)", lossNetwork(3, HUBER_SMALL_OUT, "Σₖ huber(a[k], y[k], δ = 0.3)")),
                Arguments.of("cross_entropy (of softmax, rewritten)", lossNetwork(3, "a = softmax(z)", "cross_entropy(a, y)")),
                Arguments.of("cross_entropy (of σ, not a softmax)", lossNetwork(3, "a = σ(z)", "cross_entropy(a, y)")),
                Arguments.of("cross_entropy_logits", lossNetwork(3, "a = softmax(z)", "cross_entropy_logits(z, y)")),
                Arguments.of("nll (of log_softmax)", lossNetwork(3, "a = log_softmax(z)", "nll(a, y)")),
                Arguments.of("nll (of a plain vector)", lossNetwork(3, "a = z", "nll(a, y)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("losses")
    void loss(String name, String source) {
        checkBothWays("loss " + name, source);
    }

    /** Outputs for the huber cases, scaled so that |a − y| falls on both sides of δ (1 and 0.3). */
    static final String HUBER_OUT = "a = 0.5 + 1.5 z", HUBER_SMALL_OUT = "a = 0.5 + 0.4 z";

    /** The huber cases reach both branches: at the points checked, |a − y| is below δ for some and above for others. */
    @ParameterizedTest(name = "δ = {2}")
    @MethodSource("huberCases")
    void huberCasesCoverBothBranches(String out, String call, double delta) {
        Graph graph = Nets.compile("huber.nn", lossNetwork(3, out, "Σₖ " + call));
        int below = 0, above = 0;
        for (long seed : SEEDS) {
            var point = Nets.gradcheckPoint(graph, new Gradcheck.Options(seed, 3, 24, TOLERANCE));
            var batch = point.batch();
            for (int s = 0; s < 3; s++) {
                double[] a = point.interp().predict(batch, s).get("a");
                for (int k = 0; k < 3; k++) {
                    double d = Math.abs(a[k] - batch.column("y")[s * 3 + k]);
                    if (d <= delta) below++;
                    else above++;
                }
            }
        }
        assertTrue(below > 0 && above > 0, "below δ: " + below + ", above δ: " + above);
    }

    static Stream<Arguments> huberCases() {
        return Stream.of(Arguments.of(HUBER_OUT, "huber(a[k], y[k])", 1.0),
                Arguments.of(HUBER_SMALL_OUT, "huber(a[k], y[k], δ = 0.3)", 0.3));
    }

    /** Every fn and alias of stdlib/activations.nn and stdlib/losses.nn has a case named after it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stdlibFiles")
    void everyStdlibFunctionHasACase(String file, List<Arguments> cases) throws Exception {
        Set<String> covered = new HashSet<>();
        cases.forEach(a -> covered.add(((String) a.get()[0]).split("[ (]")[0]));
        var declared = new ArrayList<String>();
        var m = Pattern.compile("(?m)^(?:fn|alias)\\s+([^\\s(=]+)").matcher(Files.readString(Repo.root().resolve(file)));
        while (m.find()) declared.add(m.group(1));
        assertTrue(declared.size() >= 8, file + " declares " + declared);
        var missing = declared.stream().filter(f -> !covered.contains(f)).toList();
        assertTrue(missing.isEmpty(), "no gradcheck case for " + missing + " of " + file);
    }

    static Stream<Arguments> stdlibFiles() {
        return Stream.of(Arguments.of("stdlib/activations.nn", activations().toList()),
                Arguments.of("stdlib/losses.nn", losses().toList()));
    }

    // ─── (b) the samples ──────────────────────────────────────────────────────────────────────────

    static Stream<Arguments> samples() {
        return Repo.nnFiles("samples").stream().map(p -> Arguments.of(Repo.relative(p), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void sample(String name, Path file) throws Exception {
        Graph graph = Nets.compile(file);
        // the MLP has 235k parameters: a few elements of each, on a batch of 2, keep it to a second or two
        boolean big = graph.params().stream().mapToInt(t -> t.size()).sum() > 10_000;
        var options = big ? new Gradcheck.Options(1, 2, 6, TOLERANCE) : new Gradcheck.Options(1, 3, 24, TOLERANCE);
        Nets.assertGradcheck(name, Files.readString(file), graph, options);
    }

    @Test
    void thereAreSamples() {
        assertTrue(samples().count() >= 4, "samples/*.nn");
    }

    // ─── (c) random networks ──────────────────────────────────────────────────────────────────────

    static final int RANDOM_NETWORKS = 210;

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
        Graph graph = Nets.compile("random_" + seed + ".nn", source);
        assertFalse(graph.params().isEmpty(), "a generated network has parameters");
        // batch 2 and up to 24 elements per parameter (all of them in most of these networks): the 210 networks
        // take about 2 s in all
        Nets.assertGradcheck("RandomNetworks.generate(" + seed + ") — " + name, source, graph,
                new Gradcheck.Options(seed, 2, 24, TOLERANCE));
    }

    @Test
    void theRandomFamilyIsLargeEnough() {
        assertEquals(RANDOM_NETWORKS, randomNetworks().count());
        assertTrue(RANDOM_NETWORKS >= 200);
    }

    // ─── (d) convolutions ─────────────────────────────────────────────────────────────────────────

    static final int CONV_NETWORKS = 210;

    static Stream<Arguments> convNetworks() {
        var cases = new ArrayList<Arguments>();
        for (long seed = 0; seed < CONV_NETWORKS; seed++) {
            var program = RandomConvNetworks.generate(seed);
            cases.add(Arguments.of(seed, program.name(), program.source()));
        }
        return cases.stream();
    }

    /**
     * Index arithmetic: 1-D and 2-D convolutions over several channels, strides, "same" padding, kernels as wide as
     * the input, max and average pooling, stacked — each adjoint solved for its summed variable and guarded.
     */
    @ParameterizedTest(name = "seed {0}: {1}")
    @MethodSource("convNetworks")
    void convNetwork(long seed, String name, String source) {
        Graph graph = Nets.compile("conv_" + seed + ".nn", source);
        Nets.assertGradcheck("RandomConvNetworks.generate(" + seed + ") — " + name, source, graph,
                new Gradcheck.Options(seed, 2, 24, TOLERANCE));
    }

    /** The family reaches every form it promises, so a generator change cannot quietly drop one. */
    @Test
    void theConvFamilyCoversItsForms() {
        var names = convNetworks().map(a -> (String) a.get()[1]).toList();
        assertTrue(CONV_NETWORKS >= 200);
        for (String form : List.of("1-D", "2-D", " s2", " pad1", " pad2", " max", " avg", " ce", " mse")) {
            assertTrue(names.stream().anyMatch(n -> n.contains(form)), "no network with " + form);
        }
        assertTrue(names.stream().anyMatch(n -> n.matches(".*×(\\d+)(×\\d+)? conv\\d+ .*conv\\d+.*")), "no second convolution");
        // a kernel as wide as the (unpadded) input: 2-D 1×5×5 conv5
        assertTrue(names.stream().anyMatch(n -> {
            var m = java.util.regex.Pattern.compile("×(\\d+) conv(\\d+) s\\d+ [a-z]").matcher(n);
            return m.find() && m.group(1).equals(m.group(2));
        }), "no kernel as wide as its input");
    }
}
