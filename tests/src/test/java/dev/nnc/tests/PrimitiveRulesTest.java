package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.interp.Gradcheck;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One tiny network per derivative rule of DIFFERENTIATE, each checked against central differences. The value
 * under test, {@code out}, feeds the loss {@code (out − y)²}, so the adjoint arriving at the rule is not 1 (a
 * rule that dropped or mis-scaled its incoming adjoint would not pass). Besides passing gradcheck, every
 * parameter must get a non-zero gradient at the points checked — so that the rule is really exercised — except
 * the elements a case names as exactly 0 (a parameter element the loss does not read).
 */
class PrimitiveRulesTest {
    private static final double TOLERANCE = 1e-6;
    private static final long[] SEEDS = {1, 2, 3};

    /** A network with a scalar input x, a scalar target y, the given parameters and equations defining out. */
    static String scalar(String params, String equations) {
        return network("input  x", "target y", params, equations, "(out - y)²");
    }

    static String network(String input, String target, String params, String equations, String loss) {
        return "network Rule {\n  " + input + "\n  " + target + "\n  param  " + params + "\n"
                + equations.lines().map(l -> "  " + l + "\n").reduce("", String::concat)
                + "  output out\n  loss J = " + loss + "\n}\n";
    }

    /** A case: its name, its program, and the parameter elements (row-major) whose gradient must be exactly 0. */
    static Arguments rule(String name, String source) { return Arguments.of(name, source, Map.of()); }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule("a + b", scalar("u, v ~ normal(0, 1)", "out = u + v + x")),
                rule("a − b and −a", scalar("u, v ~ normal(0, 1)", "out = u - v - x\nout2 = -out - (v - u)\nout3 = out2 - 2 out")
                        .replace("output out", "output out3").replace("(out - y)²", "(out3 - y)²")),
                rule("a · b (and juxtaposition, π)", scalar("u, v ~ normal(0, 1)", "out = u·v·x + π u x + 2 v")),
                rule("a / b", scalar("u ~ normal(0, 1), v = 2", "out = u / v + x / v + 1 / (u² + 1) + (u + x) / (v + u²)")),
                rule("a ^ constant", scalar("u ~ normal(0, 1), v = 2", "out = u² + u³ + 0.5 u^4 + v^-1 + v⁻² + v^0.5 + v^2.5 + (x v)²")),
                rule("a ^ b with a variable exponent", scalar("u ~ normal(0, 1), v = 2",
                        "out = v^u + (1 + x²)^u + (v + x²)^(u v) + 2^u")),
                rule("exp", scalar("u, v ~ normal(0, 1)", "out = exp(u x + v) + exp(-u²)")),
                rule("log", scalar("u ~ normal(0, 1), v = 2", "out = log(v) + log(1 + (u x)²) + log(v + u²)")),
                rule("sqrt and √", scalar("u ~ normal(0, 1), v = 2", "out = √v + sqrt(1 + (u x)²) + √(v + u²)")),
                rule("abs", scalar("u, v ~ normal(0, 1)", "out = abs(u x + v) + abs(u) v")),
                rule("max", scalar("u, v ~ normal(0, 1)", "out = max(u x, v) + max(0, u + v x) + max(u, 0.2) + max(u, 1 - u)")),
                rule("min", scalar("u, v ~ normal(0, 1)", "out = min(u x, v) + min(0, u + v x) + min(u, 0.2) + min(u, 1 - u)")),
                rule("erf", scalar("u, v ~ normal(0, 1)", "out = erf(u x + v) + erf(-u²) + erf(2) v + gelu_exact(v x)")),
                rule("Iverson brackets", scalar("u, v ~ normal(0, 1)",
                        "out = [u x > v]·u x + [u < v]·v + [u ≥ 0] u² + [v ≤ x]·v² + [u ≠ v]·u + [x == x]·v")),
                rule("Σ reduction (single and nested)", network("input  x[3]", "target y", "w[3], A[3,3]",
                        "out = Σᵢ w[i] x[i] + Σᵢ Σⱼ A[i,j] x[i] x[j] + Σ_{i=1}^{3} w[i]²", "(out - y)²")),
                rule("constant index x₁", network("input  x[3]", "target y", "w[3], c",
                        "out = w₁ x₁ + w₂·x₃ + w[3] x[2] + c x₁", "(out - y)²")),
                rule("a value used along several paths", scalar("u, v ~ normal(0, 1)",
                        "h = tanh(u x + v)\nout = h·h + u·h + σ(h) + h / (1 + h²)")),
                rule("sparse wiring (neuron 1 of the notes)", network("input  x[3]", "target y",
                        "w11, w21, w12, w22, w32, w13, w23 ~ normal(0, 0.5)\n  param  b1, b2, b3 = 0",
                        "n1 = σ(w11·x₁ + w21·x₂ + b1)\nn2 = σ(w12·x₁ + w22·x₂ + w32·x₃ + b2)\nout = σ(w13·n1 + w23·n2 + b3)",
                        "bce(out, y)")),
                Arguments.of("a parameter read at a constant index W[1,2]", network("input  x[3]", "target y", "W[2,3]",
                        "out = W[1,2]·x₁ + Σᵢ W[2,i] x[i] + W[2,1] W[1,2]", "(out - y)²"),
                        Map.of("W", Set.of(0, 2))), // W[1,1] and W[1,3] are never read
                rule("a parameter shared by two layers, read transposed", network("input  x[3]", "target y[3]", "W[2,3]",
                        "h[j] = tanh(Σᵢ W[j,i] x[i])\nout[i] = Σⱼ W[j,i] h[j]", "Σₖ (out[k] - y[k])²")),
                rule("a parameter multiplied by itself (A·A)", network("input  x[2]", "target y", "A[2,2], w[2]",
                        "M[i,j] = Σₖ A[i,k] A[k,j]\nv[i] = Σⱼ M[i,j] x[j] + Σⱼ M[j,i] x[j]\nout = Σᵢ w[i] v[i] + Σᵢ Σⱼ M[i,j] w[i] w[j]",
                        "(out - y)²")),
                rule("a vector-valued user function fn f(z)[i]", "fn f(z)[i] = z[i]² / (1 + Σⱼ z[j]²)\n" + network(
                        "input  x[3]", "target y[2]", "W[2,3], b[2]", "v[k] = Σᵢ W[k,i] x[i] + b[k]\nout = f(v)",
                        "Σₖ (out[k] - y[k])²")),
                rule("an indexed call of a vector function f(z)[k]", "fn f(z)[i] = exp(z[i]) (1 + z[i]) / Σⱼ abs(z[j])\n"
                        + network("input  x[3]", "target y[2]", "W[2,3], b[2]",
                        "v[k] = Σᵢ W[k,i] x[i] + b[k]\nout[k] = f(v)[k] + v[k]", "Σₖ (out[k] - y[k])²")),
                rule("a scalar user function mapped over a vector", "fn cube(z) = z³ - z\n" + network("input  x[3]",
                        "target y[2]", "W[2,3], b[2]", "v[k] = Σᵢ W[k,i] x[i] + b[k]\nout = cube(v)",
                        "Σₖ (out[k] - y[k])²")),
                rule("a user function with a stated derivative", "fn sq(z) = z·z\n  where ∂sq/∂z = 2 z\n"
                        + scalar("u, v ~ normal(0, 1)", "out = sq(u x + v) + sq(u)")),
                rule("a user function with a default argument", "fn scaled(z, k = 3) = k z²\n"
                        + scalar("u, v ~ normal(0, 1)", "out = scaled(u x) + scaled(v, k = 0.5) + scaled(u, v)")),
                rule("a neuron layer (free names are parameters)", "neuron unit(x) = tanh(Σᵢ wᵢxᵢ + b)\n"
                        + "network Rule {\n  input  x[3]\n  target y\n  layer  h[2] = unit(x) with b = 0.1\n"
                        + "  layer  out = unit(h)\n  output out\n  loss J = (out - y)²\n}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String name, String source, Map<String, Set<Integer>> zero) {
        Graph graph = Nets.compile("rule.nn", source);
        for (long seed : SEEDS) {
            var options = new Gradcheck.Options(seed, 3, 24, TOLERANCE);
            var report = Nets.assertGradcheck(name, source, graph, options);
            for (var r : report.results()) {
                assertEquals(r.shape().stream().reduce(1, (a, b) -> a * b), r.checked(),
                        name + ": every element of " + r.param() + " is checked");
            }
            // the same point, once more, for the gradient itself: is every parameter really reached by the rule?
            var point = Nets.gradcheckPoint(graph, options);
            Map<Tensor, double[]> grads = new HashMap<>();
            double loss = point.interp().lossAndGradients(point.batch(), grads);
            assertEquals(report.loss(), loss, 0, name + ": the point gradcheck checked");
            for (Tensor p : graph.params()) {
                double[] g = grads.get(p);
                Set<Integer> zeros = zero.getOrDefault(p.name, Set.of());
                for (int k = 0; k < g.length; k++) {
                    if (zeros.contains(k)) {
                        assertEquals(0.0, g[k], 0, name + ": ∂J/∂" + p.name + " element " + k + " is never read, so exactly 0");
                    } else {
                        final int e = k;
                        assertTrue(Math.abs(g[k]) > 1e-12, () -> name + ": ∂J/∂" + p.name + " element " + e + " is " + g[e]
                                + " at gradcheck seed " + seed + "; the case does not exercise its rule\n" + Nets.numbered(source));
                    }
                }
            }
        }
    }

    /**
     * The control: the harness can fail. A stated derivative that is off by a factor of 1.5 (∂sq/∂z = 3z for z²)
     * is used by the compiler instead of its own, and gradcheck must catch it on every seed.
     */
    @org.junit.jupiter.api.Test
    void aWrongStatedDerivativeIsCaught() {
        String source = "fn sq(z) = z·z\n  where ∂sq/∂z = 3 z\n" + scalar("u, v ~ normal(0, 1)", "out = sq(u x + v)");
        Graph graph = Nets.compile("wrong.nn", source);
        for (long seed : SEEDS) {
            var report = Gradcheck.run(graph, new Gradcheck.Options(seed, 3, 24, TOLERANCE));
            assertTrue(!report.passed() && report.worst() > 0.1, "gradcheck should reject ∂sq/∂z = 3z, seed " + seed
                    + ":\n" + Nets.table(report));
        }
    }

    /** The cases' names are distinct, and there is one for every primitive rule listed in the class comment. */
    @org.junit.jupiter.api.Test
    void everyRuleHasACase() {
        List<String> names = rules().map(a -> (String) a.get()[0]).toList();
        assertEquals(names.size(), Set.copyOf(names).size(), "distinct names");
        for (String rule : List.of("a + b", "a − b", "a · b", "a / b", "a ^ constant", "a ^ b with a variable exponent", "exp",
                "log", "sqrt", "abs", "max", "min", "Iverson", "Σ", "constant index", "several paths", "sparse wiring",
                "constant index W[1,2]", "vector-valued user function")) {
            assertTrue(names.stream().anyMatch(n -> n.contains(rule)), "no case for " + rule);
        }
    }
}
