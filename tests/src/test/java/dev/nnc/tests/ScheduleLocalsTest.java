package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.ir.Def;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.schedule.Accumulator;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.Schedule;
import dev.nnc.schedule.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a per-sample block keeps in registers is decided by SCHEDULE, once, and recorded in its loop program: the
 * JVM generator and the CUDA generator read the same accumulators.
 */
class ScheduleLocalsTest {
    /** The 28 gradient sums of the notes' network as its unrolled block adds into them first, and the loss before them. */
    static final List<String> SEED_ORDER = List.of("loss", "w57", "w67", "b7", "w16", "w26", "w36", "w46", "b6", "w15", "w25", "w35", "w45", "b5",
            "w14", "w24", "w34", "b4", "w13", "w23", "w33", "b3", "w12", "w22", "w32", "b2", "w11", "w21", "b1");

    static Graph seed() throws Exception {
        var checked = Frontend.check(Repo.root().resolve("samples/seed.nn")).checked();
        return Compile.graph(checked, Compile.network(checked, null), Compile.Options.DEFAULT);
    }

    static List<String> names(List<Accumulator> accumulators) {
        List<String> out = new ArrayList<>();
        for (Accumulator a : accumulators) {
            out.add(switch (a) {
                case Accumulator.Loss l -> "loss";
                case Accumulator.Element e -> e.sum().name.substring("Σ∂J/∂".length()) + (e.at().isEmpty() ? "" : e.at().toString());
            });
        }
        return out;
    }

    @Test
    void theNotesNetworksUnrolledBlockSumsTheLossAndEveryGradientInLocalsAndReadsItsParametersOnce() throws Exception {
        var train = Schedule.of(seed(), null, Schedule.Options.DEFAULT).train();
        assertInstanceOf(Block.Clear.class, train.blocks().get(0));
        var block = assertInstanceOf(Block.PerSample.class, train.blocks().get(1));
        assertTrue(block.unrolled());
        assertEquals(SEED_ORDER, names(block.accumulators()));
        assertEquals(28, block.parameters().size(), "each of the 28 scalar parameters read once before the samples' loop");
    }

    /**
     * What a per-sample block both writes and reads lives in scratch, one sample's worth each thread reuses: LeNet's
     * adjoints of its convolutions and pools, its convolutions' outputs, whose pools' argmaxes are computed in the
     * forward pass (EARLY), and its windows, copied once in each pass (RECOMPUTE). What the backward pass reads of the forward pass, what a product over the samples reads
     * and what is delivered lives in workspace, a value per sample; on a GPU nothing is scratch.
     */
    @Test
    void aBlocksOwnValuesAreScratchOnTheCpuAndNowhereElse() throws Exception {
        var checked = Frontend.check(Repo.root().resolve("samples/lenet.nn")).checked();
        Graph lenet = Compile.graph(checked, Compile.network(checked, null), Compile.Options.DEFAULT.forKernels());
        var storage = Schedule.of(lenet, null, Schedule.Options.DEFAULT).train().storage();
        Map<String, Storage> byName = new HashMap<>();
        storage.forEach((t, s) -> byName.put(t.name, s));
        for (String t : List.of("col_pad_x", "col_pad_x_again", "z_a1", "col_m1", "col_m1_again", "z_a2", "δa1", "δm1", "δcol_m1", "δa2")) {
            assertInstanceOf(Storage.Scratch.class, byName.get(t), t);
        }
        for (String t : List.of("pad_x", "argmax_z_a1", "m1", "argmax_z_a2", "m2", "h3", "prob", "δh3", "δm2")) {
            assertInstanceOf(Storage.Work.class, byName.get(t), t);
        }
        var gpu = Schedule.of(lenet, null, Schedule.Options.GPU).train().storage();
        assertTrue(gpu.values().stream().noneMatch(Storage.Scratch.class::isInstance), gpu.toString());
    }

    /**
     * RECOMPUTE: LeNet's windows, 25 times the maps they copy, are copied again in the backward pass rather than kept:
     * the backward pass reads the copies (the same bodies) and never the forward pass's windows. Each copy is laid out
     * for its kernel's gradient: the second convolution's (100 positions, a window of 150) positions first, the first's
     * (784 positions, a window of 25) as the forward pass wrote it.
     */
    @Test
    void theWindowsAreCopiedAgainInTheBackwardPass() throws Exception {
        var checked = Frontend.check(Repo.root().resolve("samples/lenet.nn")).checked();
        Graph lenet = Compile.graph(checked, Compile.network(checked, null), Compile.Options.DEFAULT.forKernels());
        Map<String, Def> forward = new HashMap<>(), backward = new HashMap<>();
        lenet.forward().forEach(d -> forward.put(d.tensor().name, d));
        lenet.backward().forEach(d -> backward.put(d.tensor().name, d));
        for (String col : List.of("col_pad_x", "col_m1")) {
            Def again = backward.get(col + "_again");
            assertTrue(again != null, col + "_again in " + backward.keySet());
            Map<IndexVar, Idx> rename = new HashMap<>(); // the copy's variables are its own, named as the forward copy's
            for (IndexVar v : again.vars()) {
                rename.put(v, Idx.of(forward.get(col).vars().stream().filter(f -> f.name.equals(v.name)).findFirst().orElseThrow()));
            }
            assertEquals(forward.get(col).body(), Exprs.substitute(again.body(), rename));
            List<String> order = again.vars().stream().map(v -> v.name).toList();
            assertEquals(col.equals("col_m1") ? List.of("i", "j", "k", "p", "q") : List.of("k", "p", "q", "i", "j"), order, col);
            List<Integer> shape = col.equals("col_m1") ? List.of(10, 10, 6, 5, 5) : List.of(1, 5, 5, 28, 28);
            assertEquals(shape, again.tensor().shape, col);
            for (Def d : lenet.backward()) {
                assertTrue(Exprs.valueReads(d.body()).stream().noneMatch(t -> t.name.equals(col)), d.tensor().name + " reads " + col);
            }
        }
    }

    /**
     * EARLY: a pool's argmax reads only its forward pre-activation, four times its size, which nothing else of the
     * backward pass reads, so training computes it in the forward pass's block, beside the pool; predicting never does.
     */
    @Test
    void thePoolsArgmaxesAreComputedInTheForwardPassWhenTraining() throws Exception {
        var checked = Frontend.check(Repo.root().resolve("samples/lenet.nn")).checked();
        Graph lenet = Compile.graph(checked, Compile.network(checked, null), Compile.Options.DEFAULT.forKernels());
        assertTrue(lenet.backward().stream().anyMatch(d -> d.tensor().name.equals("argmax_z_a1")), "the graph keeps it in the backward pass");
        var program = Schedule.of(lenet, null, Schedule.Options.DEFAULT);
        List<String> forwardBlock = new ArrayList<>();
        Schedule.touched(program.train().blocks().get(1)).forEach(t -> forwardBlock.add(t.name));
        assertTrue(forwardBlock.containsAll(List.of("z_a1", "argmax_z_a1", "m1", "z_a2", "argmax_z_a2", "m2")), forwardBlock.toString());
        assertTrue(forwardBlock.stream().noneMatch(n -> n.startsWith("δ")), forwardBlock.toString());
        for (Block b : program.predict().blocks()) {
            assertTrue(Schedule.touched(b).stream().noneMatch(t -> t.name.startsWith("argmax")), "predict computes no argmax");
        }
    }

    @Test
    void onTheCpuALoopBlockSumsOnlyItsLossInALocal() throws Exception {
        var train = Schedule.of(seed(), null, new Schedule.Options(Integer.MAX_VALUE, 0)).train();
        List<String> all = new ArrayList<>();
        for (Block b : train.blocks()) {
            if (!(b instanceof Block.PerSample s)) continue;
            assertTrue(!s.unrolled() && s.parameters().isEmpty());
            all.addAll(names(s.accumulators()));
        }
        assertEquals(List.of("loss"), all);
    }

    @Test
    void onAGpuTheOneKernelOverSamplesSumsTheSameAccumulatorsEachIntoItsPartialColumn() throws Exception {
        var plan = GpuSchedule.of(seed(), null);
        assertEquals(1, plan.train().kernels().size());
        var kernel = assertInstanceOf(GpuSchedule.Kernel.Samples.class, plan.train().kernels().get(0));
        List<Accumulator> values = kernel.accumulators().stream().map(GpuSchedule.Partial::value).toList();
        assertEquals(SEED_ORDER, names(values));
        // the gradients' columns follow the array of all parameters (w11 … w67, then b1 … b7); the loss's comes last
        List<String> byColumn = new ArrayList<>(SEED_ORDER);
        for (var p : kernel.accumulators()) byColumn.set(p.column(), names(List.of(p.value())).get(0));
        assertEquals(List.of("w11", "w21", "w12", "w22", "w32", "w13", "w23", "w33", "w14", "w24", "w34", "w15", "w25", "w35", "w45", "w16",
                "w26", "w36", "w46", "w57", "w67", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "loss"), byColumn);
        assertTrue(kernel.accumulators().stream().allMatch(GpuSchedule.Partial::first));
        // each scalar parameter is a sum of its own, made by its column alone
        List<GpuSchedule.Range> ranges = new ArrayList<>();
        for (int k = 0; k < 28; k++) ranges.add(new GpuSchedule.Range(k, k, 1, true));
        assertEquals(new GpuSchedule.Partials(29, 28, ranges), plan.train().partials());
    }
}
