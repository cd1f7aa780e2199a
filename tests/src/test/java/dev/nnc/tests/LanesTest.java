package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.driver.Compile;
import dev.nnc.gen.RandomConvNetworks;
import dev.nnc.gen.RandomNetworks;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.compiled.CompiledModel;
import dev.nnc.runtime.kernel.Gemm;
import dev.nnc.schedule.Schedule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loops on vectors (gen/jvm/Lanes) compute what the scalar loops compute, to the bit: the same network compiled with
 * and without them, from the same parameters, gives the same loss, gradients and parameters after optimizer steps, in
 * float32 and float64, under the schedules that make loops of different shapes — over the convolution family (im2col
 * copies, col2im's guarded sums, pads, biases), the random family and the samples. The test runs where the Vector API
 * is there (the build's JVM has it), so the vector loops run.
 */
class LanesTest {
    /**
     * Reads at strides 3 and 4 (gathers; near an array's end lane by lane): a convolution at stride 3 (its windows'
     * copy) and a 4 × 4 max pool at stride 4 (its max and argmax). The family's strides are 1 and 2.
     */
    static final String STRIDES = """
            network Strides {
              input  x[2,24,24]
              target y[3]
              param  K[3,2,3,3] ~ he, b[3] = 0
              param  W[3,3,2,2] ~ he
              a[c,i,j] = relu(Σₖ Σₚ Σ_q K[c,k,p,q] x[k, 3i+p-3, 3j+q-3] + b[c])
              m[c,i,j] = max_{p=1}^{4} max_{q=1}^{4} a[c, 4i+p-4, 4j+q-4]
              z[n] = Σ_c Σᵢ Σⱼ W[n,c,i,j] m[c,i,j]
              prob = softmax(z)
              output prob
              loss J = -Σ_n y[n] log(prob[n])
            }
            """;

    /** A 1-D max pool of 2 at stride 2: its adjoint over the windows writes each row as pairs (Lanes.pairs). */
    static final String PAIRS = """
            network Pairs {
              input  x[3,40]
              target y[2]
              param  K[4,3,3] ~ he, b[4] = 0
              param  W[2,4,19] ~ he
              a[c,i] = tanh(Σₖ Σₚ K[c,k,p] x[k, i+p-1] + b[c])
              m[c,i] = max_{p=1}^{2} a[c, 2i+p-2]
              z[n] = Σ_c Σᵢ W[n,c,i] m[c,i]
              prob = softmax(z)
              output prob
              loss J = -Σ_n y[n] log(prob[n])
            }
            """;

    static Stream<Arguments> networks() throws Exception {
        List<Arguments> out = new ArrayList<>();
        for (String s : List.of("lenet", "sequence", "mlp", "spirals")) {
            out.add(Arguments.of(s + ".nn", Files.readString(Repo.root().resolve("samples/" + s + ".nn")), true));
        }
        out.add(Arguments.of("strides 3 and 4", STRIDES, true));
        out.add(Arguments.of("a 1-D pool's pairs", PAIRS, true));
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 5) {
            var p = RandomConvNetworks.generate(seed);
            out.add(Arguments.of("conv " + seed + " (" + p.name() + ")", p.source(), true));
        }
        for (long seed = 0; seed < GradcheckFamilyTest.RANDOM_NETWORKS; seed += 3) {
            var p = RandomNetworks.generate(seed);
            out.add(Arguments.of("random " + seed + " (" + p.name() + ")", p.source(), false));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void loopsOnVectorsComputeTheScalarLoopsBits(String name, String source, boolean kernels) {
        assertTrue(Gemm.VECTOR, "the tests run with the Vector API");
        var net = JvmBackendTest.compile(name, source, "adam", kernels ? Compile.Options.DEFAULT.forKernels() : Compile.Options.DEFAULT);
        for (var schedule : List.of(Schedule.Options.DEFAULT, new Schedule.Options(Integer.MAX_VALUE, 0))) {
            for (DType type : DType.values()) {
                byte[] vectors = JvmBackend.compile(net.graph(), net.optimizer(), type, schedule, 2); // short loops too
                byte[] scalar = JvmBackend.compile(net.graph(), net.optimizer(), type, schedule, Integer.MAX_VALUE);
                JvmBackendTest.verify(vectors, name);
                assertTrue(!contains(scalar, "$lanes"), name + ": lanes asked not to");
                Model v = new CompiledModel(JvmBackend.load(net.graph().name(), vectors), 3, 1);
                Model s = new CompiledModel(JvmBackend.load(net.graph().name(), scalar), 3, 1);
                String what = name + ", " + (schedule == Schedule.Options.DEFAULT ? "default" : "loops") + " schedule, " + type;
                v.initialize(11);
                s.initialize(11);
                var random = new SplittableRandom(5);
                for (int step = 0; step < 2; step++) {
                    Batch batch = JvmBackendTest.batch(net.graph(), 13, random);
                    same(what + ", loss at step " + step, new double[] {v.lossAndGradients(batch)}, new double[] {s.lossAndGradients(batch)});
                    for (Tensor p : net.graph().params()) same(what + ", ∂J/∂" + p.name + " at step " + step, v.gradient(p.name), s.gradient(p.name));
                    v.step(1);
                    s.step(1);
                    for (Tensor p : net.graph().params()) same(what + ", " + p.name + " after step " + step, v.parameter(p.name), s.parameter(p.name));
                }
            }
        }
    }

    /**
     * LeNet's copies, its pad, its biases and its col2im run on vectors, its rows of at most 8 on narrow ones; most of the
     * convolution family has some.
     */
    @Test
    void lanesReachTheConvolutions() throws Exception {
        var lenet = JvmBackendTest.compile("lenet.nn", Files.readString(Repo.root().resolve("samples/lenet.nn")), "adam",
                Compile.Options.DEFAULT.forKernels());
        String bytes = new String(JvmBackend.compile(lenet.graph(), lenet.optimizer(), DType.F32, Schedule.Options.DEFAULT, JvmBackend.LANES),
                StandardCharsets.ISO_8859_1);
        for (String method : List.of("train$1$lanes0", "train$1$lanes1", "train$1$lanes2", "train$13$lanes0")) {
            assertTrue(bytes.contains(method), method);
        }
        // the pools' max and argmax read at stride 2 (even lanes), their adjoints write pairs; the second pool's rows of 5
        // windows and the second convolution's rows of 5 window elements on the narrow species
        for (String field : List.of("EVEN_F", "SPREAD_LOW_F", "SPREAD_HIGH_F", "PARITY_F", "stridedF",
                "LNF", "EVEN_NF", "SPREAD_LOW_NF", "SPREAD_HIGH_NF", "PARITY_NF", "stridedNF")) {
            assertTrue(bytes.contains(field), field);
        }
        for (var program : List.of(STRIDES, PAIRS)) {
            var net = JvmBackendTest.compile("strided", program, "gd", Compile.Options.DEFAULT.forKernels());
            String code = new String(JvmBackend.compile(net.graph(), net.optimizer(), DType.F64, Schedule.Options.DEFAULT, 2),
                    StandardCharsets.ISO_8859_1);
            assertTrue(code.contains(program == STRIDES ? "MAPS" : "SPREAD_LOW_D"), net.graph().name());
        }
        int reached = 0, guardedNarrow = 0;
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 5) {
            var p = RandomConvNetworks.generate(seed);
            var net = JvmBackendTest.compile("conv " + seed, p.source(), "gd", Compile.Options.DEFAULT.forKernels());
            byte[] code = JvmBackend.compile(net.graph(), net.optimizer(), DType.F32, new Schedule.Options(Integer.MAX_VALUE, 0), 2);
            if (contains(code, "$lanes")) reached++;
            if (contains(code, "rangeNF")) guardedNarrow++; // a guard's lanes on a narrow row (padding, col2im)
        }
        assertTrue(reached >= 30, reached + " of 42 networks have a loop on vectors (of 2 elements or more)");
        assertTrue(guardedNarrow >= 5, guardedNarrow + " of 42 networks guard a narrow row's lanes");
    }

    private static boolean contains(byte[] classFile, String s) {
        return new String(classFile, StandardCharsets.ISO_8859_1).contains(s);
    }

    private static void same(String what, double[] want, double[] got) {
        assertEquals(want.length, got.length, what);
        for (int k = 0; k < want.length; k++) {
            if (Double.doubleToRawLongBits(want[k]) != Double.doubleToRawLongBits(got[k])) {
                fail(what + "[" + k + "]: scalar loops " + want[k] + ", loops on vectors " + got[k]);
            }
        }
    }
}
