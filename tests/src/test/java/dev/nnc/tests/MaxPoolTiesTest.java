package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Compile;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.compiled.CompiledModel;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Where a max pool sends its gradient when its window holds the same largest value more than once: to the first in
 * row-major order, as PyTorch's max_pool2d does, in every evaluator — the interpreter on the network as written, and
 * the JVM backend on its kernels' graph, where the ReLU is fused into the pool (POOL), each window's argmax is computed
 * once (OPTIMIZE) and selected without a branch. Finite differences cannot see this (the loss has a kink there), so the
 * expected positions are worked out here from the data.
 *
 * <p>The bias B is 0, so a = relu(x + B) holds x's ties, and ∂J/∂B[c,i,j] is δm of the element's window where the
 * element is that window's first maximum and positive, else exactly 0. The data are drawn from three levels, so most
 * windows hold a tie; a third of the samples are negative, whose windows send nothing.
 */
class MaxPoolTiesTest {
    static final String SOURCE = """
            network Ties {
              input  x[2,4,6]
              target y[3]
              param  B[2,4,6] = 0
              param  W[3,2,2,3] ~ xavier
              a[c,i,j] = relu(x[c,i,j] + B[c,i,j])
              m[c,i,j] = max_{p=1}^{2} max_{q=1}^{2} a[c, 2i+p-2, 2j+q-2]
              z[o] = Σ_c Σᵢ Σⱼ W[o,c,i,j] m[c,i,j]
              output z
              loss J = Σₒ (z[o] - y[o])²
            }
            """;

    static final int N = 7, C = 2, H = 4, WIDTH = 6;

    @Test
    void theGradientGoesToEachWindowsFirstMaximumInEveryEvaluator() {
        var plain = JvmBackendTest.compile("ties.nn", SOURCE, "gd");
        var kernels = JvmBackendTest.compile("ties.nn", SOURCE, "gd", Compile.Options.DEFAULT.forKernels());
        Batch batch = batch();
        double[] expected = firstMaxima(batch.column("x"));
        assertEquals(C * 2 * 3, count(expected));
        assertTrue(ties(batch.column("x")) >= 4, "too few windows hold a tie: " + ties(batch.column("x")));

        check("interpreter", new InterpreterModel(plain.graph(), plain.optimizer()), batch, expected);
        for (var schedule : JvmBackendTest.SCHEDULES.entrySet()) {
            for (DType type : DType.values()) {
                byte[] bytes = JvmBackend.compile(kernels.graph(), kernels.optimizer(), type, schedule.getValue());
                JvmBackendTest.verify(bytes, "ties");
                var jvm = new CompiledModel(JvmBackend.load(kernels.graph().name(), bytes), 3, 1);
                check("jvm, " + schedule.getKey() + " schedule, " + type, jvm, batch, expected);
            }
        }
    }

    /** Every element's gradient is nonzero exactly where {@code expected} marks the first maximum, per sample summed. */
    private static void check(String what, Model model, Batch batch, double[] expected) {
        model.initialize(3);
        double[] w = new double[3 * C * 2 * 3];
        for (int k = 0; k < w.length; k++) w[k] = 0.25 + 0.05 * k; // positive, so no δm is 0
        model.setParameter("W", w);
        model.lossAndGradients(batch);
        double[] g = model.gradient("B");
        for (int e = 0; e < g.length; e++) {
            assertEquals(expected[e] != 0, g[e] != 0, what + ": ∂J/∂B[" + e + "] = " + g[e] + " where the first maximum is "
                    + (expected[e] != 0 ? "" : "not ") + "this element");
        }
    }

    /**
     * x on three levels (0.5, 1, 2), a third of the samples negated; y 0. With a batch of N samples one element's
     * gradient sums over them, so the samples share one layout of first maxima: each sample is the same pattern,
     * scaled by a positive factor (or negated), which keeps its ties and its order.
     */
    private static Batch batch() {
        var random = new SplittableRandom(5);
        double[] pattern = new double[C * H * WIDTH], levels = {0.5, 1, 2};
        for (int k = 0; k < pattern.length; k++) pattern[k] = levels[random.nextInt(3)];
        double[] x = new double[N * pattern.length];
        for (int s = 0; s < N; s++) {
            double scale = (s % 3 == 2 ? -1 : 1) * (1 + s);
            for (int k = 0; k < pattern.length; k++) x[s * pattern.length + k] = scale * pattern[k];
        }
        return new Batch(N, Map.of("x", x, "y", new double[N * 3]));
    }

    /** 1 at each window's first maximum of the first (positive) sample, row-major over the window, else 0. */
    private static double[] firstMaxima(double[] x) {
        double[] out = new double[C * H * WIDTH];
        for (int c = 0; c < C; c++) {
            for (int k = 0; k < H / 2; k++) {
                for (int l = 0; l < WIDTH / 2; l++) {
                    int best = -1;
                    for (int p = 0; p < 2; p++) {
                        for (int q = 0; q < 2; q++) {
                            int at = (c * H + 2 * k + p) * WIDTH + 2 * l + q;
                            if (best < 0 || x[at] > x[best]) best = at;
                        }
                    }
                    out[best] = 1;
                }
            }
        }
        return out;
    }

    /** Windows whose largest value stands more than once. */
    private static int ties(double[] x) {
        int n = 0;
        for (int c = 0; c < C; c++) {
            for (int k = 0; k < H / 2; k++) {
                for (int l = 0; l < WIDTH / 2; l++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int times = 0;
                    for (int p = 0; p < 2; p++) {
                        for (int q = 0; q < 2; q++) {
                            double v = x[(c * H + 2 * k + p) * WIDTH + 2 * l + q];
                            if (v > best) {
                                best = v;
                                times = 1;
                            } else if (v == best) {
                                times++;
                            }
                        }
                    }
                    if (times > 1) n++;
                }
            }
        }
        return n;
    }

    private static int count(double[] marks) {
        int n = 0;
        for (double v : marks) if (v != 0) n++;
        return n;
    }
}
