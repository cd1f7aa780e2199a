package dev.nnc.schedule;

import dev.nnc.ir.Cost;
import dev.nnc.ir.Def;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * SCHEDULE: from the optimized IR (per-sample defs) to loop programs over a slice of a mini-batch — the one
 * stage that decides how the work runs on a CPU.
 *
 * <ul>
 *   <li>The weighted sums of tensor layers and the outer products of their weights' gradients become matrix
 *       products over all the slice's samples ({@link Contractions}); what a def computes around its weighted
 *       sum (bias, activation, the activation's derivative) runs per element right after the product, fused
 *       into one pass with the defs after it that read only the same element.
 *   <li>The rest runs sample by sample. A block small enough is fully unrolled: every Σ written out, every
 *       subscript a constant, every value a local variable (a register), and the gradients of scalar parameters
 *       summed in locals across the samples ({@link Locals}) — the notes' network becomes straight-line code.
 *   <li>Values another block reads live in per-sample workspace arrays; the runtime cuts the batch into slices (its
 *       pieces, which the cores take as they come), each with its own workspace and gradient sums — except the
 *       weights' gradients, whose products run after the slices, by rows of the gradient across the cores ({@link Rows}).
 * </ul>
 */
public final class Schedule {
    private Schedule() {}

    /** What the loop programs run on: the JVM's threads, or a GPU's (see {@link GpuSchedule}). */
    public enum Target { CPU, GPU }

    /**
     * @param minProduct   a weighted sum or outer product becomes a matrix product from this many matrix
     *                     elements on (0: always; {@link Integer#MAX_VALUE}: never — tests use both)
     * @param unrollBudget a per-sample block is unrolled when it has at most this many operations written out
     * @param target       for a GPU, a loop block does not mix sums over the samples with per-sample work: each
     *                     nest that adds into a gradient sum is a block of its own, which a GPU runs as a thread
     *                     per element adding up the samples in a fixed order, rather than every sample's thread
     *                     adding into the same elements at once
     * @param blockNodes   the most nodes of code a per-sample block that is not unrolled may have ({@link Split})
     * @param chunkElements on a CPU, the elements of per-sample arrays the samples of a chunk may touch ({@link #chunk})
     */
    public record Options(long minProduct, long unrollBudget, Target target, long blockNodes, long chunkElements) {
        public static final Options DEFAULT = new Options(1024, 1000);
        public static final Options GPU = new Options(1024, 1000, Target.GPU);
        static final long BLOCK_NODES = 1000;
        /** 768 KiB of floats: a chunk's per-sample arrays stay in a 1 MiB L2 cache beside a sample's scratch. */
        static final long CHUNK_ELEMENTS = 196_608;

        public Options(long minProduct, long unrollBudget) { this(minProduct, unrollBudget, Target.CPU); }

        public Options(long minProduct, long unrollBudget, Target target) { this(minProduct, unrollBudget, target, BLOCK_NODES, CHUNK_ELEMENTS); }

        public Options withUnrollBudget(long budget) { return new Options(minProduct, budget, target, blockNodes, chunkElements); }

        public Options withBlockNodes(long nodes) { return new Options(minProduct, unrollBudget, target, nodes, chunkElements); }

        public Options withChunkElements(long elements) { return new Options(minProduct, unrollBudget, target, blockNodes, elements); }

        public Options on(Target t) { return new Options(minProduct, unrollBudget, t, blockNodes, chunkElements); }
    }

    /**
     * SCHEDULE as a flat list of passes. For the network: SPLIT DEFS (Graph → Graph), LAYOUT (Graph → the shared
     * arrays). For each of its methods (train, predict, evaluate): ITEMS (defs → nests and products), GROUP (→ runs
     * unrolled or as loops, and products), SUMS APART and ELEMENTS APART (on a GPU), SPLIT RUNS, PLACE (→ where each tensor lives),
     * BLOCKS (→ the blocks, with what each keeps in locals), BIAS (on a CPU: a product's rows start as the bias its next
     * block would add), ROWS (training on a CPU: the weights' gradient products
     * out of the slices, to run over the whole batch by rows), CHUNK (on a CPU: how many samples a block runs before
     * the next takes them).
     */
    public static LoopProgram of(Graph g, OptimizerIr optimizer, Options options) {
        Graph split = Split.defs(g);
        Layout layout = new Layout(split);
        Set<Tensor> outputs = new LinkedHashSet<>(split.outputs());
        // On the CPU, train delivers the outputs too, so that a training run scores its batches as it trains them
        // instead of evaluating the training data again after every epoch (a GPU's run does not read them).
        var train = method(split, layout, Early.of(split), true, true, options.target() == Target.CPU ? new LinkedHashSet<>(outputs) : Set.of(), options);
        var predict = method(split, layout, needed(split, outputs), false, false, outputs, options);
        outputs.add(split.loss());
        var evaluate = method(split, layout, needed(split, outputs), false, true, new LinkedHashSet<>(split.outputs()), options);
        // the runtime reads the outputs of all three from one list of slots
        if (!predict.outputs().equals(evaluate.outputs()) || options.target() == Target.CPU && !predict.outputs().equals(train.outputs())) {
            throw new IllegalStateException("internal: train, predict and evaluate deliver the outputs in different slots");
        }
        long work = 0;
        for (Def d : split.defs()) work += (long) d.tensor().size() * Cost.of(d.body());
        return new LoopProgram(split, optimizer, layout.slots, layout.sums, layout.offsets, train, predict, evaluate, Math.max(1, work));
    }

    /**
     * One method's program. Each of {@code outputs} ends in a workspace array, where the runtime collects it: a
     * computed one is kept there, and one that lives elsewhere (an input's batch column, a parameter) is copied there
     * by a nest at the end.
     */
    private static LoopProgram.Entry method(Graph g, Layout layout, List<Def> defs, boolean gradients, boolean loss, Set<Tensor> outputs,
                                              Options options) {
        Set<Tensor> defined = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Def d : defs) defined.add(d.tensor());
        Map<Tensor, Tensor> delivered = new LinkedHashMap<>(); // output → the tensor the runtime reads it from
        for (Tensor o : outputs) delivered.put(o, defined.contains(o) ? o : layout.copy(o));

        List<Item> items = Items.of(g, layout, defs, gradients, loss, delivered, options.minProduct(), options.target() == Target.CPU);
        List<Group> groups = Group.of(items, options.unrollBudget());
        if (options.target() == Target.GPU) groups = Group.elementsApart(Group.sumsApart(groups, layout));
        groups = Split.runs(groups, options.blockNodes());
        List<Tensor> cleared = gradients ? Blocks.cleared(groups, layout) : List.of();
        Map<Tensor, Storage> storage = Placement.of(groups, layout, new LinkedHashSet<>(delivered.values()), cleared, options.target());
        List<Block> blocks = Blocks.of(groups, cleared, storage, options.target());
        if (options.target() == Target.CPU) blocks = Bias.of(blocks, storage, options.target());
        var rows = gradients && options.target() == Target.CPU ? Rows.of(blocks, storage) : new Rows.Split(blocks, List.of());

        Map<Tensor, Storage.Work> outputSlots = new LinkedHashMap<>();
        for (var e : delivered.entrySet()) {
            if (!(storage.get(e.getValue()) instanceof Storage.Work w)) {
                throw new IllegalStateException("internal: the output " + e.getKey() + " is not delivered in workspace");
            }
            outputSlots.put(e.getKey(), w);
        }
        return new LoopProgram.Entry(rows.slices(), rows.rows(), storage, outputSlots, options.target() == Target.CPU && chunkable(rows.slices()) ? chunk(storage, options.chunkElements()) : Integer.MAX_VALUE);
    }

    /**
     * Whether a slice's blocks give the same over chunks as over the slice: the clears come first (they run once), and
     * no product sums over the samples into what it sets — over chunks it would keep only the last chunk's sum. (ROWS
     * takes such products out of the slices where nothing else touches their sums; one that stays keeps its slice whole.)
     */
    public static boolean chunkable(List<Block> blocks) {
        boolean pastClears = false;
        for (Block b : blocks) {
            switch (b) {
                case Block.Clear c -> {
                    if (pastClears) return false;
                }
                case Block.Product p -> {
                    if (p.k() == Block.Product.SAMPLES && !p.accumulate()) return false;
                    pastClears = true;
                }
                case Block.PerSample s -> pastClears = true;
                case Block.Broadcast r -> pastClears = true;
            }
        }
        return true;
    }

    /**
     * CHUNK (on a CPU): how many of a slice's samples each block runs before the next block takes them (the clears run
     * once, over the slice). A slice whole, LeNet's forward pass wrote its 128 samples' maps and pools (24 KB a sample)
     * through the L2 cache to L3 before its backward pass read them back; in chunks of 32 they are read while in L2
     * (one thread at batch 256: 17,800 → 18,650 samples/s, in interleaved runs; the MLP, whose chunks are most of a
     * slice, unchanged). The chunks split the slice evenly, ⌈n / chunk⌉ of them. Each block reads and writes its chunk's
     * rows of the slice's workspace, and adds each gradient in the same sample order; a product over a chunk's rows may
     * group them into the matrix kernel's tiles otherwise than over the slice's, which sums a row in another order: the
     * same values to rounding, and the same bits from run to run (ChunksTest).
     */
    static int chunk(Map<Tensor, Storage> storage, long elements) {
        long perSample = 0;
        for (var e : storage.entrySet()) {
            if (e.getValue() instanceof Storage.Work || e.getValue() instanceof Storage.Column) perSample += e.getKey().size();
        }
        return perSample == 0 ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE, Math.max(1, elements / perSample));
    }

    /** The forward defs the given tensors depend on, in order. */
    private static List<Def> needed(Graph g, Set<Tensor> wanted) {
        Set<Tensor> need = Collections.newSetFromMap(new IdentityHashMap<>());
        need.addAll(wanted);
        List<Def> out = new ArrayList<>();
        for (int k = g.forward().size() - 1; k >= 0; k--) {
            Def d = g.forward().get(k);
            if (!need.contains(d.tensor())) continue;
            out.add(d);
            need.addAll(Exprs.valueReads(d.body()));
        }
        Collections.reverse(out);
        return out;
    }

    /** Every tensor a block reads or writes. */
    public static Set<Tensor> touched(Block b) {
        Set<Tensor> out = new LinkedHashSet<>();
        switch (b) {
            case Block.Product p -> {
                out.add(p.a().t());
                out.add(p.b().t());
                out.add(p.c().t());
            }
            case Block.PerSample s -> out.addAll(touched(s.body()));
            case Block.Clear c -> out.addAll(c.tensors());
            case Block.Broadcast r -> {
                out.add(r.row());
                out.add(r.from());
            }
        }
        return out;
    }

    /** Every tensor these statements read or write. */
    public static Set<Tensor> touched(List<Stmt> body) {
        Set<Tensor> out = new LinkedHashSet<>();
        touched(body, out);
        return out;
    }

    /** Every tensor these statements write. */
    public static Set<Tensor> written(List<Stmt> body) {
        Set<Tensor> out = new LinkedHashSet<>();
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Loop l -> out.addAll(written(l.body()));
                case Stmt.Assign a -> out.add(a.t());
                case Stmt.Product p -> out.add(p.c().t());
                case Stmt.AddLoss l -> { }
            }
        }
        return out;
    }

    private static void touched(List<Stmt> body, Set<Tensor> out) {
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Loop l -> touched(l.body(), out);
                case Stmt.Assign a -> {
                    out.add(a.t());
                    out.addAll(Exprs.valueReads(a.value()));
                }
                case Stmt.Product p -> {
                    out.add(p.c().t());
                    out.add(p.a().t());
                    out.add(p.b().t());
                }
                case Stmt.AddLoss l -> out.add(l.loss());
            }
        }
    }
}
