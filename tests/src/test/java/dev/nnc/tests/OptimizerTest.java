package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.ast.Expr;
import dev.nnc.ast.Setting;
import dev.nnc.driver.Frontend;
import dev.nnc.interp.OptimizerRun;
import dev.nnc.ir.Tensor;
import dev.nnc.lower.LowerOptimizer;
import dev.nnc.source.SourceFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The stdlib optimizers, run from their .nn definitions, against the textbook updates written out here in
 * Java, over a few steps with changing gradients (so state and Adam's bias correction matter).
 */
class OptimizerTest {
    static final double[][] GRADIENTS = {{0.5, -1.0}, {0.25, 2.0}, {-0.75, 0.125}, {1.5, -0.5}};

    static double[] run(String call) {
        var r = Frontend.check(new SourceFile("opt.nn", "network N {\n  input x\n  target y\n  param w ~ normal(0, 1)\n"
                + "  loss J = (w x - y)²\n  output J\n}\ntrain N {\n  data \"none.csv\"\n  optimizer " + call + "\n}\n"));
        var setting = r.checked().trains().get(0).settings().stream().filter(s -> s.key().name().equals("optimizer")).findFirst().orElseThrow();
        var expr = (Expr.Call) ((Setting.Number) setting.values().get(0)).expr();
        var opt = new OptimizerRun(LowerOptimizer.fromCall(r.checked().scope(), expr));
        var p = new Tensor("w", Tensor.Role.PARAM, List.of(2), null);
        double[] theta = {1.0, -2.0};
        for (double[] g : GRADIENTS) opt.apply(Map.of(p, theta), Map.of(p, g.clone()));
        return theta;
    }

    @Test
    void gradientDescent() {
        double[] want = {1.0, -2.0};
        for (double[] g : GRADIENTS) for (int k = 0; k < 2; k++) want[k] -= 0.3 * g[k];
        assertClose(want, run("gd(α = 0.3)"));
        assertClose(want, run("sgd(0.3)"));
    }

    @Test
    void momentum() {
        double[] want = {1.0, -2.0}, v = new double[2];
        for (double[] g : GRADIENTS) {
            for (int k = 0; k < 2; k++) {
                v[k] = 0.8 * v[k] + g[k];
                want[k] -= 0.1 * v[k];
            }
        }
        assertClose(want, run("momentum(α = 0.1, β = 0.8)"));
    }

    @Test
    void adamWithBiasCorrection() {
        double a = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] want = {1.0, -2.0}, m = new double[2], v = new double[2];
        int t = 0;
        for (double[] g : GRADIENTS) {
            t++;
            for (int k = 0; k < 2; k++) {
                m[k] = b1 * m[k] + (1 - b1) * g[k];
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
                double mHat = m[k] / (1 - Math.pow(b1, t)), vHat = v[k] / (1 - Math.pow(b2, t));
                want[k] -= a * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        assertClose(want, run("adam(α = 0.01)"));
    }

    @Test
    void rmspropAndAdagrad() {
        double[] want = {1.0, -2.0}, s = new double[2];
        for (double[] g : GRADIENTS) {
            for (int k = 0; k < 2; k++) {
                s[k] = 0.9 * s[k] + 0.1 * g[k] * g[k];
                want[k] -= 0.01 * g[k] / (Math.sqrt(s[k]) + 1e-8);
            }
        }
        assertClose(want, run("rmsprop(α = 0.01, ρ = 0.9)"));
        double[] want2 = {1.0, -2.0}, s2 = new double[2];
        for (double[] g : GRADIENTS) {
            for (int k = 0; k < 2; k++) {
                s2[k] += g[k] * g[k];
                want2[k] -= 0.05 * g[k] / (Math.sqrt(s2[k]) + 1e-10);
            }
        }
        assertClose(want2, run("adagrad(0.05)"));
    }

    static void assertClose(double[] want, double[] got) {
        for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], 1e-14 * Math.max(1, Math.abs(want[k])), "element " + k);
    }
}
