package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.interp.OptimizerRun;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.cuda.CudaModel;
import dev.nnc.runtime.train.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backend takes an optimizer's step from the same per-step values ({@code opt.StepSplit}): the values
 * are the textbook ones (Adam's 1/(1 − βᵗ)), no element is divided by one, and one step of the
 * JVM backend (float32, float64) and of CUDA (the host emulation: the {@code step} kernel, and the training
 * kernel's fused step in a run) from the same parameters, gradients, state and t gives the interpreter's
 * parameters and state — to float32's rounding, and to 1e-15 in float64 — at the first step and far on.
 */
class OptimizerStepTest {
    /** A network whose gradient of w is its input x, exactly: so every backend steps from the same gradient. */
    static final String NETWORK = """
            network Step {
              input  x[6]
              target y
              param  w[6] = 0
              u = Σᵢ w[i] x[i]
              output u
              loss J = u - y
            }
            """;

    /** Numbers float32 holds exactly, so that every backend starts from the same values. */
    static final double[] THETA = {1, -2, 0.5, 3, -0.25, 0.125}, GRADIENT = {0.5, -1, 0.25, 2, -0.75, 0.0078125},
            STATE = {0.125, 0.0625, 0.25, 0.5, 0.375, 0};

    static final long[] STEPS = {1, 2, 3, 10, 1000, 100_000};
    static final double RATE_SCALE = 0.5;

    static List<String> optimizers() { return JvmBackendTest.OPTIMIZERS; }

    @Test
    void adamsPerStepValuesAreItsBiasCorrections() {
        var o = JvmBackendTest.compile("step.nn", NETWORK, "adam").optimizer();
        var run = new OptimizerRun(o, 1);
        for (long t : STEPS) {
            double rate = 0.001 * RATE_SCALE;
            assertArrayEquals(new double[] {rate, 1 / (1 - Math.pow(0.9, t)), 1 / (1 - Math.pow(0.999, t))},
                    run.perStepValues(t, rate), "adam's per-step values at t = " + t);
        }
    }

    /** Per element, a product with a reciprocal computed per step (Adam's m · (1/(1 − β1ᵗ))), never a division by it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void noElementIsDividedByAPerStepValue(String optimizer) {
        var o = JvmBackendTest.compile("step.nn", NETWORK, optimizer).optimizer();
        assertTrue(!o.perStep().isEmpty(), optimizer + " has per-step values (its rate at least)");
        var slots = o.perStep().stream().map(OptimizerIr.Update::slot).toList();
        for (var u : o.updates()) {
            Exprs.visit(u.value(), e -> {
                if (e instanceof Ex.Binary b && b.op() == Ex.BinOp.DIV && b.b() instanceof Ex.Load l && slots.contains(l.tensor())) {
                    fail(optimizer + ": " + u.slot() + " divides by the per-step value " + l.tensor());
                }
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void theJvmBackendStepsAsTheInterpreter(String optimizer) {
        var net = JvmBackendTest.compile("step.nn", NETWORK, optimizer);
        for (DType type : DType.values()) {
            try (Model jvm = JvmBackend.model(net.graph(), net.optimizer(), type)) {
                for (long t : STEPS) same(optimizer + ", t = " + t + ", " + type + ", jvm", interpreter(net, t), step(jvm, states(net), t), type);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void cudaStepsAsTheInterpreter(String optimizer) {
        Assumptions.assumeTrue(HostCuda.unavailable() == null, HostCuda::unavailable);
        var net = JvmBackendTest.compile("step.nn", NETWORK, optimizer);
        for (DType type : DType.values()) {
            var generated = CudaBackend.generate(net.graph(), net.optimizer(), type);
            assertTrue(generated.plan().fusedStep(), "a run's training kernel takes the step itself, so both ways are tested");
            byte[] image = HostCuda.image(generated.cuda().source());
            try (CudaModel cuda = CudaBackend.model(net.graph(), net.optimizer(), generated, image)) {
                for (long t : STEPS) {
                    String what = optimizer + ", t = " + t + ", " + type + ", cuda";
                    same(what + ", the step kernel", interpreter(net, t), step(cuda, states(net), t), type);
                    same(what + ", a run of one step", interpreter(net, t), run(cuda, states(net), t), type);
                }
            }
        }
    }

    /**
     * Where a gradient is zero Adam's state decays by β a step; a state that would become subnormal is zero instead on
     * the JVM (subnormal arithmetic made the whole step many times slower), and every other value is the formula's.
     */
    @Test
    void theJvmBackendFlushesStateThatDecaysIntoTheSubnormals() {
        var net = JvmBackendTest.compile("step.nn", NETWORK, "adam");
        for (DType type : DType.values()) {
            double normal = type == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
            // m·β1 of the first four elements falls below the smallest normal number, v·β2 of the first two
            double[] state = {normal, -normal, 1.05 * normal, normal / 0.9995, 2 * normal, 0.5};
            try (Model jvm = JvmBackend.model(net.graph(), net.optimizer(), type)) {
                jvm.initialize(1);
                jvm.setParameter("w", THETA);
                for (String st : states(net)) jvm.setOptimizerState(st, "w", state);
                jvm.lossAndGradients(new Batch(1, Map.of("x", new double[6], "y", new double[] {0}))); // every gradient 0
                jvm.step(1);
                double[] m = jvm.optimizerState("m", "w"), v = jvm.optimizerState("v", "w");
                for (int k = 0; k < 4; k++) assertEquals(0.0, m[k], type + ": m[" + k + "] = 0.9 · " + state[k] + " is subnormal: flushed");
                for (int k = 0; k < 2; k++) assertEquals(0.0, v[k], type + ": v[" + k + "] = 0.999 · " + state[k] + " is subnormal: flushed");
                assertEquals(round(type, 0.9 * state[5]), m[5], type + ": m[5] as the formula says");
                assertEquals(round(type, 0.999 * state[5]), v[5], type + ": v[5] as the formula says");
                // within a factor 2 of the subnormals a value moves by the smallest normal number (and is flushed a step later)
                assertEquals(round(type, round(type, 0.999 * state[4]) - normal), v[4], type + ": v[4]");
            }
        }
    }

    private static double round(DType type, double x) { return type == DType.F32 ? (float) x : x; }

    static List<String> states(JvmBackendTest.Net net) { return new InterpreterModel(net.graph(), net.optimizer()).signature().optimizerState(); }

    static List<double[]> interpreter(JvmBackendTest.Net net, long t) {
        return step(new InterpreterModel(net.graph(), net.optimizer()), states(net), t);
    }

    /** The parameter and every state after step t, taken from the fixed values. */
    static List<double[]> step(Model m, List<String> states, long t) {
        start(m, states, t);
        m.lossAndGradients(batch());
        m.step(RATE_SCALE);
        return after(m, states, t);
    }

    /** As {@link #step}, as a resident run of one batch (where the training kernel may take the step itself). */
    static List<double[]> run(CudaModel m, List<String> states, long t) {
        start(m, states, t);
        m.keep(batch(), Metrics.Task.OTHER);
        var got = m.run(new int[] {0}, 1, 0, 1, new double[] {RATE_SCALE});
        assertEquals(1, got.losses().length);
        return after(m, states, t);
    }

    static void start(Model m, List<String> states, long t) {
        m.initialize(1);
        m.setParameter("w", THETA);
        for (String s : states) m.setOptimizerState(s, "w", STATE);
        m.setSteps(t - 1);
    }

    static List<double[]> after(Model m, List<String> states, long t) {
        assertEquals(t, m.steps());
        List<double[]> out = new ArrayList<>(List.of(m.parameter("w")));
        for (String s : states) out.add(m.optimizerState(s, "w"));
        return out;
    }

    /** One sample whose gradient of w is {@link #GRADIENT}. */
    static Batch batch() { return new Batch(1, Map.of("x", GRADIENT.clone(), "y", new double[] {0})); }

    /** Float32: within a few roundings of each value; float64: within 1e-15 relative. */
    static void same(String what, List<double[]> want, List<double[]> got, DType type) {
        double tolerance = type == DType.F32 ? 1e-6 : 1e-15;
        for (int s = 0; s < want.size(); s++) {
            for (int k = 0; k < want.get(s).length; k++) {
                double w = want.get(s)[k], g = got.get(s)[k];
                if (!(Math.abs(w - g) <= tolerance * Math.max(1e-3, Math.abs(w)))) {
                    fail(what + ": " + (s == 0 ? "w" : "state " + s) + "[" + k + "]: interpreter " + w + ", backend " + g);
                }
            }
        }
    }
}
