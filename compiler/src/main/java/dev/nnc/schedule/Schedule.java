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

    /**
     * @param minProduct   a weighted sum or outer product becomes a matrix product from this many matrix
     *                     elements on (0: always; {@link Integer#MAX_VALUE}: never — tests use both)
     * @param unrollBudget a per-sample block is unrolled when it has at most this many operations written out
     */
    public record Options(long minProduct, long unrollBudget) {
        public static final Options DEFAULT = new Options(1024, 1000);
    }

    /** The most elements a nest of an unrolled block may have. */
    private static final int UNROLL_NEST = 32;

    /** The most elements a tensor may have to live in locals. */
    private static final int REGISTER_LIMIT = 256;

    public static LoopProgram of(Graph g, OptimizerIr optimizer, Options options) {
        return new Scheduler(g, options).program(optimizer);
    }

    /** A per-sample loop nest being built: loops over {@code vars}, these assignments inside. */
    private record Nest(List<IndexVar> vars, List<Stmt> body) {}

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
            Set<Tensor> read = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Def d : g.defs()) read.addAll(valueReads(d.body()));
            Map<Tensor, Integer> uses = new IdentityHashMap<>();
            for (Tensor t : g.gradients().values()) uses.merge(t, 1, Integer::sum);
            for (var e : g.gradients().entrySet()) {
                Tensor t = e.getValue();
                if (t.size() == e.getKey().size() && uses.get(t) == 1 && !read.contains(t) && !g.outputs().contains(t)
                        && t != g.loss() && g.backward().stream().anyMatch(d -> d.tensor() == t)) {
                    direct.put(t, sums.get(e.getKey()));
                }
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
                out.add(0, d);
                need.addAll(valueReads(d.body()));
            }
            return out;
        }

        private record Program(LoopProgram.Program program) {}

        /** One method's program: the defs as blocks, then where each tensor lives. */
        Program build(List<Def> defs, boolean gradients, boolean loss, Set<Tensor> outputs) {
            List<Object> items = new ArrayList<>(); // Nest, Stmt.AddLoss or Block.Product, in order
            for (Def d : defs) {
                boolean backward = g.backward().contains(d);
                Tensor sum = backward ? direct.get(d.tensor()) : null;
                if (sum != null) {
                    var outer = Contractions.outer(d, options.minProduct());
                    if (outer != null) items.add(outer.product(sum));
                    else items.add(new Nest(d.vars(), List.of(new Stmt.Assign(sum, vars(d.vars()), d.body(), true))));
                    continue;
                }
                var weighted = Contractions.weighted(d, options.minProduct());
                if (weighted != null) {
                    items.add(weighted.product(d.tensor()));
                    if (d.body() != weighted.sum()) {
                        Ex rest = replace(d.body(), weighted.sum(), new Ex.Load(d.tensor(), vars(d.vars())));
                        items.add(new Nest(d.vars(), List.of(new Stmt.Assign(d.tensor(), vars(d.vars()), rest, false))));
                    }
                } else {
                    items.add(new Nest(d.vars(), List.of(new Stmt.Assign(d.tensor(), vars(d.vars()), d.body(), false))));
                }
                if (loss && d.tensor() == g.loss()) items.add(new Stmt.AddLoss(g.loss()));
            }
            if (gradients) {
                for (var e : g.gradients().entrySet()) {
                    if (direct.containsKey(e.getValue())) continue;
                    Tensor t = e.getValue();
                    List<IndexVar> vs = new ArrayList<>();
                    for (int r : t.shape) vs.add(new IndexVar("i" + vs.size(), r));
                    items.add(new Nest(vs, List.of(new Stmt.Assign(sums.get(e.getKey()), vars(vs), new Ex.Load(t, vars(vs)), true))));
                }
            }
            // gradient sums that loops add into start at zero; a product writes its sum whole
            List<Tensor> cleared = new ArrayList<>();
            if (gradients) {
                Set<Tensor> byProduct = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Object item : items) if (item instanceof Block.Product p && sumOf.containsKey(p.c().t())) byProduct.add(p.c().t());
                for (Tensor sum : sums.values()) if (!byProduct.contains(sum)) cleared.add(sum);
            }
            // consecutive per-sample items form a block; products stand alone
            List<List<Object>> groups = new ArrayList<>();
            List<Object> current = null;
            for (Object item : items) {
                if (item instanceof Block.Product) {
                    groups.add(List.of(item));
                    current = null;
                } else {
                    if (current == null) groups.add(current = new ArrayList<>());
                    current.add(item);
                }
            }
            List<Boolean> unrolled = new ArrayList<>();
            for (List<Object> group : groups) unrolled.add(unrollable(group));
            Map<Tensor, Storage> storage = storage(groups, unrolled, outputs);
            List<Block> blocks = new ArrayList<>();
            if (!cleared.isEmpty()) {
                blocks.add(new Block.Clear(cleared));
                for (Tensor t : cleared) storage.putIfAbsent(t, new Storage.GradientSum(LoopProgram.GRADIENTS, offsets.get(sumOf.get(t))));
            }
            for (int k = 0; k < groups.size(); k++) {
                List<Object> group = groups.get(k);
                if (group.get(0) instanceof Block.Product p) blocks.add(p);
                else if (unrolled.get(k)) blocks.add(new Block.PerSample(Unroll.block(group), true));
                else blocks.add(new Block.PerSample(Fusion.loops(group, storage), false));
            }
            return new Program(new LoopProgram.Program(blocks, storage));
        }

        /**
         * Whether to write a group out in full: when it is small, and none of its nests is a vector loop (over more
         * than {@value #UNROLL_NEST} elements) that the JIT would rather vectorise than see written out.
         */
        boolean unrollable(List<Object> group) {
            if (group.get(0) instanceof Block.Product || Cost.unrolled(group) > options.unrollBudget()) return false;
            for (Object item : group) {
                if (!isNest(item)) continue;
                long elements = 1;
                for (IndexVar v : nestVars(item)) elements *= v.range();
                if (elements > UNROLL_NEST) return false;
            }
            return true;
        }

        /** Where each tensor lives: arrays for what crosses blocks or feeds a product, locals for the rest. */
        Map<Tensor, Storage> storage(List<List<Object>> groups, List<Boolean> unrolled, Set<Tensor> outputs) {
            Map<Tensor, Set<Integer>> blocksOf = new LinkedHashMap<>(); // in order of first use: slot numbers are reproducible
            Set<Tensor> mustBeArray = Collections.newSetFromMap(new IdentityHashMap<>());
            mustBeArray.addAll(outputs);
            for (int k = 0; k < groups.size(); k++) {
                int block = k;
                for (Object item : groups.get(k)) {
                    for (Tensor t : touched(item)) blocksOf.computeIfAbsent(t, x -> new LinkedHashSet<>()).add(block);
                    if (item instanceof Block.Product p) {
                        mustBeArray.add(p.a().t());
                        mustBeArray.add(p.b().t());
                        mustBeArray.add(p.c().t());
                    }
                }
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

        /** Every tensor an item reads or writes. */
        static Set<Tensor> touched(Object item) {
            Set<Tensor> out = new LinkedHashSet<>();
            switch (item) {
                case Block.Product p -> {
                    out.add(p.a().t());
                    out.add(p.b().t());
                    out.add(p.c().t());
                }
                case Nest n -> {
                    for (Stmt s : n.body()) {
                        if (s instanceof Stmt.Assign a) {
                            out.add(a.t());
                            out.addAll(valueReads(a.value()));
                        }
                    }
                }
                case Stmt.AddLoss l -> out.add(l.loss());
                default -> throw new IllegalStateException("internal: " + item);
            }
            return out;
        }
    }

    /** Every tensor a block reads or writes. */
    public static Set<Tensor> touched(Block b) {
        Set<Tensor> out = new LinkedHashSet<>();
        switch (b) {
            case Block.Product p -> out.addAll(Scheduler.touched(p));
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
                    out.addAll(valueReads(a.value()));
                }
                case Stmt.AddLoss l -> out.add(l.loss());
            }
        }
    }

    static List<Idx> vars(List<IndexVar> vs) { return vs.stream().map(Idx::of).toList(); }

    /** The tensors computing e reads: of a fused value, the value's (its partials are for DIFFERENTIATE). */
    static Set<Tensor> valueReads(Ex e) {
        Set<Tensor> out = new LinkedHashSet<>();
        valueReads(e, out);
        return out;
    }

    private static void valueReads(Ex e, Set<Tensor> out) {
        switch (e) {
            case Ex.Load l -> out.add(l.tensor());
            case Ex.Fused f -> valueReads(f.value(), out);
            default -> Exprs.mapChildren(e, c -> {
                valueReads(c, out);
                return c;
            });
        }
    }

    /** e with the node {@code target} (by identity) replaced. */
    static Ex replace(Ex e, Ex target, Ex with) {
        if (e == target) return with;
        return Exprs.mapChildren(e, c -> replace(c, target, with));
    }

    /** Nest's parts, for the other classes of this stage. */
    static List<IndexVar> nestVars(Object nest) { return ((Nest) nest).vars(); }

    static List<Stmt> nestBody(Object nest) { return ((Nest) nest).body(); }

    static boolean isNest(Object item) { return item instanceof Nest; }

    static Object nest(List<IndexVar> vars, List<Stmt> body) { return new Nest(vars, body); }
}
