package dev.nnc.schedule;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.LoopProgram.Slot;
import dev.nnc.schedule.LoopProgram.SlotKind;
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
 *       summed in locals across the samples — the notes' network becomes straight-line code.
 *   <li>Values another block reads live in per-sample workspace arrays; the batch is split into slices, one per
 *       core, by the runtime, each with its own workspace and gradient sums.
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
     */
    /** @param blockNodes the most nodes of code a per-sample block that is not unrolled may have ({@link Split}) */
    public record Options(long minProduct, long unrollBudget, Target target, long blockNodes) {
        public static final Options DEFAULT = new Options(1024, 1000);
        public static final Options GPU = new Options(1024, 1000, Target.GPU);
        static final long BLOCK_NODES = 1000;

        public Options(long minProduct, long unrollBudget) { this(minProduct, unrollBudget, Target.CPU); }

        public Options(long minProduct, long unrollBudget, Target target) { this(minProduct, unrollBudget, target, BLOCK_NODES); }

        public Options withUnrollBudget(long budget) { return new Options(minProduct, budget, target, blockNodes); }

        public Options withBlockNodes(long nodes) { return new Options(minProduct, unrollBudget, target, nodes); }

        public Options on(Target t) { return new Options(minProduct, unrollBudget, t, blockNodes); }
    }

    /** The most elements a nest of an unrolled block may have. */
    private static final int UNROLL_NEST = 32;

    /** The most elements a tensor may have to live in locals. */
    private static final int REGISTER_LIMIT = 256;

    public static LoopProgram of(Graph g, OptimizerIr optimizer, Options options) {
        return new Scheduler(Split.defs(g), options).program(optimizer);
    }

    private static final class Scheduler {
        final Graph g;
        final Options options;
        final List<Slot> slots = new ArrayList<>();
        final Map<Tensor, Integer> slotOf = new IdentityHashMap<>();
        final Map<Tensor, Tensor> sums = new LinkedHashMap<>();
        final Map<Tensor, Tensor> sumOf = new IdentityHashMap<>();
        final Map<Tensor, Integer> offsets = new LinkedHashMap<>();
        /** Gradient tensors summed straight into their parameter's sum as their def computes them. */
        final Map<Tensor, Tensor> direct = new IdentityHashMap<>();
        /** For each output no def computes (an input, a parameter): the workspace copy it is delivered in. */
        final Map<Tensor, Tensor> copies = new IdentityHashMap<>();

        Scheduler(Graph g, Options options) {
            this.g = g;
            this.options = options;
            int total = 0;
            for (Tensor p : g.params()) {
                offsets.put(p, total);
                total += p.size();
                Tensor sum = new Tensor("Σ∂" + g.loss().name + "/∂" + p.name, Tensor.Role.GRADIENT, p.shape, null);
                sums.put(p, sum);
                sumOf.put(sum, p);
            }
            slot(new Tensor("parameters", Tensor.Role.PARAM, List.of(total), null), SlotKind.PARAM, total);
            slot(new Tensor("gradients", Tensor.Role.GRADIENT, List.of(total), null), SlotKind.GRADIENT, total);
            for (Tensor t : g.inputs()) slot(t, SlotKind.INPUT, t.size());
            for (Tensor t : g.targets()) slot(t, SlotKind.TARGET, t.size());
            for (Tensor t : g.summedDirectly()) {
                for (var e : g.gradients().entrySet()) if (e.getValue() == t) direct.put(t, sums.get(e.getKey()));
            }
        }

        int slot(Tensor t, SlotKind kind, int size) {
            return slotOf.computeIfAbsent(t, x -> {
                slots.add(new Slot(kind, t, size));
                return slots.size() - 1;
            });
        }

        LoopProgram program(OptimizerIr optimizer) {
            Program train = build(g.defs(), true, true, Set.of());
            Set<Tensor> outputs = new LinkedHashSet<>(g.outputs());
            Program predict = build(needed(outputs), false, false, outputs);
            outputs.add(g.loss());
            Program evaluate = build(needed(outputs), false, true, new LinkedHashSet<>(g.outputs()));
            // the runtime reads the outputs of both from one list of slots
            if (!predict.program.outputs().equals(evaluate.program.outputs())) {
                throw new IllegalStateException("internal: predict and evaluate deliver the outputs in different slots");
            }
            long work = 0;
            for (Def d : g.defs()) work += (long) d.tensor().size() * dev.nnc.ir.Cost.of(d.body());
            return new LoopProgram(g, optimizer, slots, sums, offsets, train.program, predict.program, evaluate.program, Math.max(1, work));
        }

        /** The forward defs the given tensors depend on, in order. */
        List<Def> needed(Set<Tensor> wanted) {
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

        private record Program(LoopProgram.Program program) {}

        /**
         * One method's program: the defs as blocks, then where each tensor lives. Each of {@code outputs} ends in a
         * workspace array, where the runtime collects it: a computed one is kept there, and one that lives elsewhere
         * (an input's batch column, a parameter) is copied there by a nest at the end.
         */
        Program build(List<Def> defs, boolean gradients, boolean loss, Set<Tensor> outputs) {
            List<Item> items = new ArrayList<>(); // nests and products, in order
            Map<Tensor, Tensor> delivered = new LinkedHashMap<>(); // output → the tensor the runtime reads it from
            Set<Tensor> defined = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Def d : defs) defined.add(d.tensor());
            for (Tensor o : outputs) {
                delivered.put(o, defined.contains(o) ? o : copies.computeIfAbsent(o,
                        x -> new Tensor(x.name + " (output)", Tensor.Role.VALUE, x.shape, x.span)));
            }
            // by identity: a list's contains compares defs whole, every def against every other (n² for n defs)
            Set<Def> backwardDefs = Collections.newSetFromMap(new IdentityHashMap<>());
            backwardDefs.addAll(g.backward());
            for (Def d : defs) {
                boolean backward = backwardDefs.contains(d);
                Tensor sum = backward ? direct.get(d.tensor()) : null;
                if (sum != null) {
                    var outer = Contractions.outer(d, options.minProduct());
                    if (outer != null) items.add(new Item.Product(outer.product(sum)));
                    else items.add(new Item.Nest(d.vars(), List.of(new Stmt.Assign(sum, vars(d.vars()), d.body(), true))));
                    continue;
                }
                var weighted = Contractions.weighted(d, options.minProduct());
                if (weighted != null) {
                    items.add(new Item.Product(weighted.product(d.tensor())));
                    if (d.body() != weighted.sum()) {
                        Ex rest = replace(d.body(), weighted.sum(), new Ex.Load(d.tensor(), vars(d.vars())));
                        items.add(new Item.Nest(d.vars(), List.of(new Stmt.Assign(d.tensor(), vars(d.vars()), rest, false))));
                    }
                } else {
                    items.add(new Item.Nest(d.vars(), List.of(new Stmt.Assign(d.tensor(), vars(d.vars()), d.body(), false))));
                }
                if (loss && d.tensor() == g.loss()) items.add(new Item.Nest(List.of(), List.of(new Stmt.AddLoss(g.loss()))));
            }
            if (gradients) {
                for (var e : g.gradients().entrySet()) {
                    if (direct.containsKey(e.getValue())) continue;
                    Tensor t = e.getValue();
                    List<IndexVar> vs = new ArrayList<>();
                    for (int r : t.shape) vs.add(new IndexVar("i" + vs.size(), r));
                    items.add(new Item.Nest(vs, List.of(new Stmt.Assign(sums.get(e.getKey()), vars(vs), new Ex.Load(t, vars(vs)), true))));
                }
            }
            for (var e : delivered.entrySet()) {
                if (e.getKey() == e.getValue()) continue;
                List<IndexVar> vs = new ArrayList<>();
                for (int r : e.getKey().shape) vs.add(new IndexVar("i" + vs.size(), r));
                items.add(new Item.Nest(vs, List.of(new Stmt.Assign(e.getValue(), vars(vs), new Ex.Load(e.getKey(), vars(vs)), false))));
            }
            // gradient sums that loops add into start at zero; a product writes its sum whole
            List<Tensor> cleared = new ArrayList<>();
            if (gradients) {
                Set<Tensor> byProduct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Item item : items) if (item instanceof Item.Product p && sumOf.containsKey(p.product().c().t())) byProduct.add(p.product().c().t());
                for (Tensor sum : sums.values()) if (!byProduct.contains(sum)) cleared.add(sum);
            }
            // consecutive per-sample items form a block; products stand alone
            List<Item> groups = new ArrayList<>();
            List<Item.Nest> run = new ArrayList<>();
            for (Item item : items) {
                switch (item) {
                    case Item.Nest n -> run.add(n);
                    case Item.Product p -> {
                        if (!run.isEmpty()) groups.add(new Item.Run(run));
                        run.clear();
                        groups.add(p);
                    }
                    case Item.Run r -> throw new IllegalStateException("internal: a run before grouping");
                }
            }
            if (!run.isEmpty()) groups.add(new Item.Run(run));
            List<Boolean> unrolled = new ArrayList<>();
            for (Item group : groups) unrolled.add(group instanceof Item.Run r && unrollable(r));
            if (options.target() == Target.GPU) split(groups, unrolled);
            Split.runs(groups, unrolled, options.blockNodes());
            Map<Tensor, Storage> storage = storage(groups, unrolled, new LinkedHashSet<>(delivered.values()));
            List<Block> blocks = new ArrayList<>();
            if (!cleared.isEmpty()) {
                blocks.add(new Block.Clear(cleared));
                for (Tensor t : cleared) storage.putIfAbsent(t, new Storage.GradientSum(LoopProgram.GRADIENTS, offsets.get(sumOf.get(t))));
            }
            for (int k = 0; k < groups.size(); k++) {
                blocks.add(switch (groups.get(k)) {
                    case Item.Product p -> p.product();
                    case Item.Run r -> unrolled.get(k) ? new Block.PerSample(Unroll.block(r), true) : new Block.PerSample(Fusion.loops(r), false);
                    case Item.Nest n -> throw new IllegalStateException("internal: a nest outside a run");
                });
            }
            Map<Tensor, Storage.Work> outputSlots = new LinkedHashMap<>();
            for (var e : delivered.entrySet()) {
                if (!(storage.get(e.getValue()) instanceof Storage.Work w)) {
                    throw new IllegalStateException("internal: the output " + e.getKey() + " is not delivered in workspace");
                }
                outputSlots.put(e.getKey(), w);
            }
            return new Program(new LoopProgram.Program(blocks, storage, outputSlots));
        }

        /** Each run that is not unrolled cut before and after every nest that adds into a gradient sum. */
        void split(List<Item> groups, List<Boolean> unrolled) {
            for (int k = groups.size() - 1; k >= 0; k--) {
                if (!(groups.get(k) instanceof Item.Run r) || unrolled.get(k)) continue;
                List<Item> parts = new ArrayList<>();
                List<Item.Nest> part = new ArrayList<>();
                for (Item.Nest n : r.nests()) {
                    if (sumsOnly(n)) {
                        if (!part.isEmpty()) parts.add(new Item.Run(part));
                        part.clear();
                        parts.add(new Item.Run(List.of(n)));
                    } else {
                        part.add(n);
                    }
                }
                if (!part.isEmpty()) parts.add(new Item.Run(part));
                groups.remove(k);
                unrolled.remove(k);
                groups.addAll(k, parts);
                for (int i = 0; i < parts.size(); i++) unrolled.add(k, false);
            }
        }

        /** A nest whose every statement adds into a gradient sum. */
        boolean sumsOnly(Item.Nest n) {
            return n.body().stream().allMatch(s -> s instanceof Stmt.Assign a && a.add() && sumOf.containsKey(a.t()));
        }

        /**
         * Whether to write a group out in full: when it is small, and none of its nests is a vector loop (over more
         * than {@value #UNROLL_NEST} elements) that the JIT would rather vectorise than see written out.
         */
        boolean unrollable(Item.Run run) {
            return run.unrolledCost() <= options.unrollBudget() && run.nests().stream().allMatch(n -> n.elements() <= UNROLL_NEST);
        }

        /**
         * Where each tensor lives: arrays for what crosses blocks or feeds a product, locals for the rest; workspace
         * for what the runtime reads.
         */
        Map<Tensor, Storage> storage(List<Item> groups, List<Boolean> unrolled, Set<Tensor> delivered) {
            Map<Tensor, Set<Integer>> blocksOf = new LinkedHashMap<>(); // in order of first use: slot numbers are reproducible
            Set<Tensor> mustBeArray = Collections.newSetFromMap(new IdentityHashMap<>());
            mustBeArray.addAll(delivered);
            for (int k = 0; k < groups.size(); k++) {
                int block = k;
                Set<Tensor> touched = switch (groups.get(k)) {
                    case Item.Product p -> touched(p.product());
                    case Item.Run r -> touched(new Block.PerSample(r.nests().stream().flatMap(n -> n.body().stream()).toList(), false));
                    case Item.Nest n -> throw new IllegalStateException("internal: a nest outside a run");
                };
                for (Tensor t : touched) blocksOf.computeIfAbsent(t, x -> new LinkedHashSet<>()).add(block);
                if (groups.get(k) instanceof Item.Product p) mustBeArray.addAll(touched(p.product()));
            }
            Map<Tensor, Storage> storage = new LinkedHashMap<>();
            for (var e : blocksOf.entrySet()) {
                Tensor t = e.getKey();
                Storage s = switch (t.role) {
                    case PARAM -> new Storage.Param(LoopProgram.PARAMETERS, offsets.get(t));
                    case INPUT, TARGET -> new Storage.Column(slotOf.get(t));
                    default -> {
                        if (sumOf.containsKey(t)) yield new Storage.GradientSum(LoopProgram.GRADIENTS, offsets.get(sumOf.get(t)));
                        boolean local = !mustBeArray.contains(t) && e.getValue().size() == 1
                                && (t.rank() == 0 || unrolled.get(e.getValue().iterator().next()) && t.size() <= REGISTER_LIMIT);
                        yield local ? new Storage.Registers() : new Storage.Work(slot(t, SlotKind.WORK, t.size()));
                    }
                };
                storage.put(t, s);
            }
            return storage;
        }
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
            case Block.PerSample s -> touched(s.body(), out);
            case Block.Clear c -> out.addAll(c.tensors());
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
                case Stmt.AddLoss l -> out.add(l.loss());
            }
        }
    }

    static List<Idx> vars(List<IndexVar> vs) { return vs.stream().map(Idx::of).toList(); }

    /** e with the node {@code target} (by identity) replaced. */
    static Ex replace(Ex e, Ex target, Ex with) {
        if (e == target) return with;
        return Exprs.mapChildren(e, c -> replace(c, target, with));
    }
}
