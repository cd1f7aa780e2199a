package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.driver.Compile;
import dev.nnc.gen.RandomConvNetworks;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.compiled.CompiledModel;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.LoopPrinter;
import dev.nnc.schedule.Schedule;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CHUNK: on a CPU the blocks after the clears run a slice in chunks of samples, block after block, so that what the
 * forward pass writes per sample is read back while it is still in the cache. A chunk's products take its rows, its
 * per-sample blocks its samples, each from its own rows of the slice's workspace: the loss, the gradients, the
 * parameters after a step and the predictions are those of the slice run whole, to rounding (a product over fewer
 * rows may group them into the matrix kernel's tiles otherwise, and a tile sums in another order than a lone row),
 * where a wrong row or sample would be off by far more. Compared on LeNet, the 1-D sample, the MLP and the
 * convolution family, with chunks of one sample and of a few, of slices of 13 and 24.
 */
class ChunksTest {
    /** One weight in two layers: its gradient's two terms summed per sample, in the slices, chunk after chunk. */
    static final String TIED = """
            network Tied {
              input  x[40]
              target y[3]
              param  W[40,40] ~ he, V[3,40] ~ xavier
              h[j] = tanh(Σᵢ W[j,i] x[i])
              g[k] = tanh(Σⱼ W[k,j] h[j])
              z[c] = Σₖ V[c,k] g[k]
              prob = softmax(z)
              output prob
              loss J = -Σ_c y[c] log(prob[c])
            }
            """;

    static Stream<Arguments> networks() throws Exception {
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of("one weight in two layers", TIED));
        for (String s : List.of("lenet", "sequence", "mlp")) {
            out.add(Arguments.of(s + ".nn", Files.readString(Repo.root().resolve("samples/" + s + ".nn"))));
        }
        for (long seed = 0; seed < GradcheckFamilyTest.CONV_NETWORKS; seed += 15) {
            var p = RandomConvNetworks.generate(seed);
            out.add(Arguments.of("conv " + seed + " (" + p.name() + ")", p.source()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void chunksComputeWhatTheWholeSliceComputes(String name, String source) {
        var net = JvmBackendTest.compile(name, source, "gd", Compile.Options.DEFAULT.forKernels()); // a step in proportion to the gradient
        var whole = Schedule.Options.DEFAULT.withChunkElements(Long.MAX_VALUE);
        for (DType type : DType.values()) {
            byte[] wholeClass = JvmBackend.compile(net.graph(), net.optimizer(), type, whole, JvmBackend.LANES);
            for (long elements : new long[] {1, 600}) { // chunks of one sample; of a few where a sample has a hundred or so elements
                var chunked = Schedule.Options.DEFAULT.withChunkElements(elements);
                Model w = new CompiledModel(JvmBackend.load(net.graph().name(), wholeClass), 2, 1);
                Model c = new CompiledModel(JvmBackend.load(net.graph().name(), JvmBackend.compile(net.graph(), net.optimizer(), type, chunked, JvmBackend.LANES)), 2, 1);
                String what = name + ", " + elements + " elements a chunk, " + type;
                w.initialize(3);
                c.initialize(3);
                var random = new SplittableRandom(9);
                for (int step = 0; step < 2; step++) {
                    Batch batch = JvmBackendTest.batch(net.graph(), step == 0 ? 26 : 48, random); // two slices of 13, of 24
                    double tolerance = type == DType.F32 ? 1e-5 : 1e-12;
                    double lw = w.lossAndGradients(batch), lc = c.lossAndGradients(batch);
                    close(what + ", loss at step " + step, new double[] {lw}, new double[] {lc}, tolerance);
                    for (Tensor p : net.graph().params()) close(what + ", ∂J/∂" + p.name + " at step " + step, w.gradient(p.name), c.gradient(p.name), tolerance);
                    w.step(1);
                    c.step(1);
                    for (Tensor p : net.graph().params()) close(what + ", " + p.name + " after step " + step, w.parameter(p.name), c.parameter(p.name), tolerance);
                    Map<String, double[]> pw = w.predict(batch), pc = c.predict(batch);
                    for (String o : pw.keySet()) close(what + ", output " + o + " at step " + step, pw.get(o), pc.get(o), tolerance);
                }
            }
        }
    }

    /** LeNet's blocks run chunks of 33 of its samples (24 KB of maps, pools and columns a sample); the MLP's of more. */
    @Test
    void lenetRunsInChunksThatStayInTheCache() throws Exception {
        var net = JvmBackendTest.compile("lenet.nn", Files.readString(Repo.root().resolve("samples/lenet.nn")), "adam",
                Compile.Options.DEFAULT.forKernels());
        var program = Schedule.of(net.graph(), net.optimizer(), Schedule.Options.DEFAULT);
        assertEquals(33, program.train().chunk());
        assertTrue(LoopPrinter.print(program, dev.nnc.ir.IrPrinter.Style.UNICODE).contains("the blocks after the clears run the slice in chunks of at most 33 samples"));
        assertEquals(Integer.MAX_VALUE, Schedule.of(net.graph(), net.optimizer(), Schedule.Options.GPU).train().chunk(), "a GPU runs its slice whole");
    }

    /**
     * A slice stays whole where a chunk would change what it computes: a product that sets a sum over the samples (over
     * chunks only the last chunk's would be left), or a clear after another block (it would run once a chunk).
     */
    @Test
    void aSliceStaysWholeWhereChunksWouldComputeSomethingElse() {
        var a = new Tensor("δ", Tensor.Role.VALUE, java.util.List.of(4), null);
        var b = new Tensor("x", Tensor.Role.VALUE, java.util.List.of(3), null);
        var c = new Tensor("Σ∂J/∂W", Tensor.Role.GRADIENT, java.util.List.of(4, 3), null);
        var sets = new Block.Product(new Block.Operand(c, 3, 1), new Block.Operand(a, 1, 4), new Block.Operand(b, 3, 1), 4, 3,
                Block.Product.SAMPLES, false);
        var adds = new Block.Product(sets.c(), sets.a(), sets.b(), 4, 3, Block.Product.SAMPLES, true);
        var clear = new Block.Clear(java.util.List.of(c));
        assertTrue(Schedule.chunkable(java.util.List.of(clear, adds)));
        assertTrue(!Schedule.chunkable(java.util.List.of(sets)));
        assertTrue(!Schedule.chunkable(java.util.List.of(clear, adds, clear)));
    }

    /** Every element within {@code tolerance} of the largest magnitude among them (rounding, not a wrong row). */
    private static void close(String what, double[] want, double[] got, double tolerance) {
        assertEquals(want.length, got.length, what);
        double scale = 1e-30;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        for (int k = 0; k < want.length; k++) {
            if (!(Math.abs(want[k] - got[k]) <= tolerance * scale)) fail(what + "[" + k + "]: the slice whole " + want[k] + ", in chunks " + got[k]);
        }
    }
}
