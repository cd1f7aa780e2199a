package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * SCHEDULE for a GPU: the loop programs of {@link Schedule.Options#GPU} (the same blocks as for the CPU, with
 * every sum over the samples in a block of its own), each block mapped onto CUDA threads. The whole batch is one
 * slice. A kernel form says who computes what:
 *
 * <ul>
 *   <li>{@link Kernel.Samples}: a thread per sample runs the block — the notes' network, unrolled, runs entirely in
 *       registers. What a thread adds into fixed elements of gradient sums, and its loss, it keeps in registers;
 *       the threads of each CUDA block then add theirs up (warp shuffles, then shared memory) into a column of
 *       partial sums, one row per CUDA block, which the step's finishing kernel adds up in a fixed order. No
 *       atomics, so a result depends only on the batch.
 *   <li>{@link Kernel.Elements}: a block that is one loop nest writing each element from that element alone (a
 *       bias and activation after a matrix product) runs a thread per sample and element.
 *   <li>{@link Kernel.SampleSums}: a nest adding per-sample values into a gradient sum (a bias's gradient) runs a
 *       thread per element, the samples split over a few lanes and added in a fixed order.
 *   <li>{@link Kernel.Product}: a tiled matrix product, or cuBLAS, as the runtime is told.
 *   <li>{@link Kernel.Chain}: consecutive products of mid-width layers (weights of at most
 *       {@value #CHAIN_WEIGHTS} elements) and the element-wise work between them, which all compute a sample from
 *       that sample alone, fused into one kernel that takes a tile of {@value #CHAIN_TILE} samples per CUDA block
 *       through every stage — tiny-cuda-nn's fully fused MLP in spirit, for any width, without tensor cores.
 *   <li>{@link Kernel.Clear}: gradient sums that several kernels add into, zeroed first; a sum that one kernel
 *       writes whole is overwritten instead.
 * </ul>
 *
 * A network whose training program is one {@link Kernel.Samples} kernel and whose parameters are few
 * ({@link #FUSED_STEP_LIMIT}) finishes each training step in that kernel: its last CUDA block to finish adds up
 * the partial sums and takes the optimizer's step, so a training step is one launch.
 */
public final class GpuSchedule {
    private GpuSchedule() {}

    /** Threads per CUDA block of the kernels over samples and elements; partial sums are per such block. */
    public static final int THREADS = 256;

    /** The most parameter elements a kernel's last block steps through itself (a thread per element otherwise). */
    public static final int FUSED_STEP_LIMIT = 4096;

    /** The largest weight matrix of a product in a {@link Kernel.Chain} (256 × 256): mid-width layers. */
    public static final int CHAIN_WEIGHTS = 256 * 256;

    /** Samples a CUDA block of a {@link Kernel.Chain} takes through its stages. */
    public static final int CHAIN_TILE = 16;

    /** @param fusedStep whether the training program's one kernel also finishes the step (see the class comment) */
    public record Plan(LoopProgram loops, Program train, Program predict, Program evaluate, boolean fusedStep) {
        public Graph graph() { return loops.graph(); }

        public OptimizerIr optimizer() { return loops.optimizer(); }

        /** Elements of the array of all parameters (and of all gradient sums). */
        public int parameterCount() { return loops.slots().get(LoopProgram.PARAMETERS).size(); }
    }

    /** One program's kernels in launch order, its partial-sum columns, and where each tensor lives. */
    public record Program(List<Kernel> kernels, Partials partials, Map<Tensor, Storage> storage) {
        public Program {
            kernels = List.copyOf(kernels);
            storage = Collections.unmodifiableMap(new LinkedHashMap<>(storage));
        }
    }

    public sealed interface Kernel {
        /**
         * A thread per sample runs {@code body}; {@code accumulators} are the values it sums in registers. An add
         * into a gradient sum at a subscript that is not fixed (which SCHEDULE does not make) is an atomic add.
         */
        record Samples(List<Stmt> body, boolean unrolled, List<Accumulator> accumulators) implements Kernel {
            public Samples {
                body = List.copyOf(body);
                accumulators = List.copyOf(accumulators);
            }
        }

        /** A thread per sample and element of the nest over {@code vars}: {@code body} writes only that element. */
        record Elements(List<IndexVar> vars, List<Stmt.Assign> body) implements Kernel {
            public Elements {
                vars = List.copyOf(vars);
                body = List.copyOf(body);
            }

            public long elements() { return count(vars); }
        }

        /**
         * A thread per element of the nest over {@code vars} sums each of {@code adds} over the samples; the
         * {@code overwrite}n ones set their sum rather than add to it (they are its first writer and write it whole).
         */
        record SampleSums(List<IndexVar> vars, List<Stmt.Assign> adds, List<Boolean> overwrite) implements Kernel {
            public SampleSums {
                vars = List.copyOf(vars);
                adds = List.copyOf(adds);
                overwrite = List.copyOf(overwrite);
            }

            public long elements() { return count(vars); }
        }

        record Product(Block.Product product) implements Kernel {}

        record Clear(List<Tensor> tensors) implements Kernel {
            public Clear { tensors = List.copyOf(tensors); }
        }

        /**
         * Stages that each compute a sample's values from that sample's alone (products over the samples' rows,
         * element-wise nests), run by one kernel: each CUDA block takes {@link #CHAIN_TILE} samples through every
         * stage in turn, with a barrier between stages.
         */
        record Chain(List<Kernel> stages) implements Kernel {
            public Chain { stages = List.copyOf(stages); }
        }
    }

    /**
     * A value each thread of a {@link Kernel.Samples} kernel sums: element {@code element} of gradient sum
     * {@code sum} (null: the sample's loss), kept in the register {@code register} and added into partial-sum
     * column {@code column}; {@code first} when no kernel before this one writes that column.
     */
    public record Accumulator(Tensor sum, int element, int column, boolean first) {
        public boolean loss() { return sum == null; }
    }

    /**
     * The partial-sum columns of a program: {@code columns} in all, the loss's {@code lossColumn} (−1 if the
     * program has no loss), and which gradient elements the others belong to.
     */
    public record Partials(int columns, int lossColumn, List<Range> ranges) {
        public Partials { ranges = List.copyOf(ranges); }

        public static final Partials NONE = new Partials(0, -1, List.of());
    }

    /**
     * Elements {@code at} … {@code at + length − 1} of the array of all gradient sums take partial columns
     * {@code column} … {@code column + length − 1}; {@code alone}: nothing else writes them, so their sum is the
     * columns' alone (otherwise the columns are added to what the other kernels wrote).
     */
    public record Range(int at, int column, int length, boolean alone) {}

    public static Plan of(Graph g, OptimizerIr optimizer) { return of(g, optimizer, Schedule.Options.GPU, true); }

    /** @param chains whether to fuse mid-width layers into {@link Kernel.Chain}s */
    public static Plan of(Graph g, OptimizerIr optimizer, Schedule.Options options, boolean chains) {
        LoopProgram loops = Schedule.of(g, optimizer, options.on(Schedule.Target.GPU));
        Program train = program(loops, loops.train(), true, chains);
        Program predict = program(loops, loops.predict(), false, chains);
        Program evaluate = program(loops, loops.evaluate(), false, chains);
        boolean fused = optimizer != null && train.kernels().size() == 1 && train.kernels().get(0) instanceof Kernel.Samples
                && loops.slots().get(LoopProgram.PARAMETERS).size() <= FUSED_STEP_LIMIT
                && train.partials().ranges().stream().allMatch(Range::alone)
                && train.partials().ranges().stream().mapToInt(Range::length).sum() == loops.slots().get(LoopProgram.PARAMETERS).size();
        return new Plan(loops, train, predict, evaluate, fused);
    }

    private static long count(List<IndexVar> vars) {
        long n = 1;
        for (IndexVar v : vars) n *= v.range();
        return n;
    }

    // ─── Mapping one program ────────────────────────────────────────────────────────────────────────────

    private static Program program(LoopProgram loops, LoopProgram.Program p, boolean gradients, boolean chains) {
        Map<Tensor, Tensor> paramOf = new IdentityHashMap<>();
        for (var e : loops.sums().entrySet()) paramOf.put(e.getValue(), e.getKey());
        // the kernels, accumulators not yet numbered
        List<Kernel> kernels = new ArrayList<>();
        for (Block b : p.blocks()) {
            switch (b) {
                case Block.Clear c -> { } // decided below, from who writes each sum
                case Block.Product m -> kernels.add(new Kernel.Product(m));
                case Block.PerSample s -> kernels.add(perSample(s, p.storage(), paramOf));
            }
        }
        if (chains) kernels = chains(kernels, p.storage());
        // partial columns: one per gradient element that threads sum in registers, in the order of the array of all
        // gradients (so that a parameter's elements take consecutive columns), then the loss
        TreeMap<Integer, Integer> columnOf = new TreeMap<>();
        boolean loss = false;
        for (Kernel k : kernels) {
            if (!(k instanceof Kernel.Samples s)) continue;
            for (Accumulator a : s.accumulators()) {
                if (a.loss()) loss = true;
                else columnOf.put(at(loops, paramOf, a), 0);
            }
        }
        int c = 0;
        for (var e : columnOf.entrySet()) e.setValue(c++);
        int lossColumn = loss ? c++ : -1;
        // number the accumulators; the first kernel to write a column sets it
        Set<Integer> written = new java.util.HashSet<>();
        // who writes each gradient sum other than through partial columns, in order
        Map<Tensor, List<Kernel>> writers = new LinkedHashMap<>();
        Map<Tensor, Set<Integer>> partialElements = new IdentityHashMap<>();
        for (int k = 0; k < kernels.size(); k++) {
            Kernel kernel = kernels.get(k);
            switch (kernel) {
                case Kernel.Samples s -> {
                    List<Accumulator> numbered = new ArrayList<>();
                    for (Accumulator a : s.accumulators()) {
                        int col = a.loss() ? lossColumn : columnOf.get(at(loops, paramOf, a));
                        numbered.add(new Accumulator(a.sum(), a.element(), col, written.add(col)));
                        if (!a.loss()) partialElements.computeIfAbsent(a.sum(), x -> new java.util.HashSet<>()).add(a.element());
                    }
                    for (Tensor t : atomicTargets(s.body(), paramOf)) writers.computeIfAbsent(t, x -> new ArrayList<>()).add(kernel);
                    kernels.set(k, new Kernel.Samples(s.body(), s.unrolled(), numbered));
                }
                case Kernel.SampleSums s -> {
                    for (Stmt.Assign a : s.adds()) writers.computeIfAbsent(a.t(), x -> new ArrayList<>()).add(kernel);
                }
                case Kernel.Product m -> {
                    if (paramOf.containsKey(m.product().c().t())) writers.computeIfAbsent(m.product().c().t(), x -> new ArrayList<>()).add(kernel);
                }
                case Kernel.Elements e -> { }
                case Kernel.Chain ch -> { } // its products write workspace, never a gradient sum
                case Kernel.Clear x -> throw new IllegalStateException("internal: a clear before it is decided");
            }
        }
        // a sum is alone in its partial columns when nothing else writes it and they cover it; otherwise it must
        // hold what the other writers give: overwritten by the first of them when it writes the sum whole, else zeroed
        List<Tensor> cleared = new ArrayList<>();
        Set<Tensor> alone = Collections.newSetFromMap(new IdentityHashMap<>());
        if (gradients) {
            for (Tensor sum : loops.sums().values()) {
                List<Kernel> w = writers.getOrDefault(sum, List.of());
                Set<Integer> parts = partialElements.getOrDefault(sum, Set.of());
                if (w.isEmpty() && parts.size() == sum.size()) {
                    alone.add(sum);
                } else if (w.isEmpty() || !overwrites(w.get(0), sum)) {
                    cleared.add(sum);
                }
            }
            for (int k = 0; k < kernels.size(); k++) {
                if (kernels.get(k) instanceof Kernel.SampleSums s) {
                    List<Boolean> over = new ArrayList<>();
                    for (Stmt.Assign a : s.adds()) over.add(!cleared.contains(a.t()) && writers.get(a.t()).get(0) == s && overwrites(s, a.t()));
                    kernels.set(k, new Kernel.SampleSums(s.vars(), s.adds(), over));
                }
            }
        }
        if (!cleared.isEmpty()) kernels.add(0, new Kernel.Clear(cleared));
        Map<Tensor, Storage> storage = new LinkedHashMap<>(p.storage());
        for (Tensor t : cleared) storage.putIfAbsent(t, new Storage.GradientSum(LoopProgram.GRADIENTS, loops.offsets().get(paramOf.get(t))));
        return new Program(kernels, new Partials(c, lossColumn, ranges(loops, paramOf, columnOf, alone)), storage);
    }

    /** Maximal runs of consecutive chainable kernels with a product among them, each become one chain. */
    private static List<Kernel> chains(List<Kernel> kernels, Map<Tensor, Storage> storage) {
        List<Kernel> out = new ArrayList<>(), run = new ArrayList<>();
        for (Kernel k : kernels) {
            if (chainable(k, storage)) {
                run.add(k);
                continue;
            }
            close(run, out);
            out.add(k);
        }
        close(run, out);
        return out;
    }

    private static void close(List<Kernel> run, List<Kernel> out) {
        if (run.size() >= 2 && run.stream().anyMatch(k -> k instanceof Kernel.Product)) out.add(new Kernel.Chain(run));
        else out.addAll(run);
        run.clear();
    }

    /**
     * A product over the samples' rows (row i of the result from row i of A alone) with weights of a mid-width
     * layer, its result in workspace; or an element-wise nest.
     */
    private static boolean chainable(Kernel k, Map<Tensor, Storage> storage) {
        return switch (k) {
            case Kernel.Product m -> {
                var b = m.product();
                yield b.m() == Block.Product.SAMPLES && b.n() != Block.Product.SAMPLES && b.k() != Block.Product.SAMPLES
                        && (long) b.n() * b.k() <= CHAIN_WEIGHTS && !b.accumulate() && storage.get(b.c().t()) instanceof Storage.Work
                        && b.b().t().role == Tensor.Role.PARAM;
            }
            case Kernel.Elements e -> true;
            default -> false;
        };
    }

    /** Element {@code a.element()} of its sum, as an index into the array of all gradient sums. */
    private static int at(LoopProgram loops, Map<Tensor, Tensor> paramOf, Accumulator a) {
        return loops.offsets().get(paramOf.get(a.sum())) + a.element();
    }

    /** Consecutive gradient elements with consecutive columns, one range at most per sum. */
    private static List<Range> ranges(LoopProgram loops, Map<Tensor, Tensor> paramOf, TreeMap<Integer, Integer> columnOf, Set<Tensor> alone) {
        List<Range> out = new ArrayList<>();
        for (Tensor sum : loops.sums().values()) {
            int offset = loops.offsets().get(paramOf.get(sum));
            Range open = null;
            for (int e = 0; e < sum.size(); e++) {
                Integer col = columnOf.get(offset + e);
                if (col == null) {
                    if (open != null) out.add(open);
                    open = null;
                } else if (open != null && open.column() + open.length() == col) {
                    open = new Range(open.at(), open.column(), open.length() + 1, open.alone());
                } else {
                    if (open != null) out.add(open);
                    open = new Range(offset + e, col, 1, alone.contains(sum));
                }
            }
            if (open != null) out.add(open);
        }
        return out;
    }

    /** Whether a kernel sets every element of {@code sum} without reading it. */
    private static boolean overwrites(Kernel k, Tensor sum) {
        return switch (k) {
            case Kernel.Product m -> !m.product().accumulate() && m.product().c().t() == sum;
            case Kernel.SampleSums s -> {
                for (Stmt.Assign a : s.adds()) if (a.t() == sum && covers(s.vars(), a)) yield true;
                yield false;
            }
            default -> false;
        };
    }

    /** Whether the nest over {@code vars} writes every element of the assignment's tensor once. */
    private static boolean covers(List<IndexVar> vars, Stmt.Assign a) {
        if (a.at().size() != vars.size() || count(vars) != a.t().size()) return false;
        for (int k = 0; k < vars.size(); k++) if (!(a.at().get(k) instanceof Idx.Var v) || v.v() != vars.get(k)) return false;
        return true;
    }

    // ─── The kernel form of a per-sample block ─────────────────────────────────────────────────────────

    private static Kernel perSample(Block.PerSample s, Map<Tensor, Storage> storage, Map<Tensor, Tensor> paramOf) {
        if (!s.unrolled() && s.body().size() == 1) {
            List<IndexVar> vars = new ArrayList<>();
            List<Stmt> body = s.body();
            while (body.size() == 1 && body.get(0) instanceof Stmt.Loop l) {
                vars.add(l.v());
                body = l.body();
            }
            List<Stmt.Assign> assigns = new ArrayList<>();
            for (Stmt st : body) if (st instanceof Stmt.Assign a) assigns.add(a);
            if (assigns.size() == body.size() && !assigns.isEmpty()) {
                boolean sums = assigns.stream().allMatch(a -> a.add() && paramOf.containsKey(a.t()) && ownElement(vars, a.at()));
                if (sums) return new Kernel.SampleSums(vars, assigns, assigns.stream().map(a -> false).toList());
                if (!vars.isEmpty() && elementwise(vars, assigns, storage)) return new Kernel.Elements(vars, assigns);
            }
        }
        List<Accumulator> acc = new ArrayList<>();
        for (var a : s.accumulators()) {
            acc.add(switch (a) {
                case dev.nnc.schedule.Accumulator.Loss l -> new Accumulator(null, 0, -1, false);
                case dev.nnc.schedule.Accumulator.Element el -> new Accumulator(el.sum(), el.element(), -1, false);
            });
        }
        return new Kernel.Samples(s.body(), s.unrolled(), acc);
    }

    /** Every statement sets its own element, in arrays, and reads what the nest writes only at that element. */
    private static boolean elementwise(List<IndexVar> vars, List<Stmt.Assign> body, Map<Tensor, Storage> storage) {
        Set<Tensor> written = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Stmt.Assign a : body) {
            if (a.add() || !ownElement(vars, a.at())) return false;
            Storage st = storage.get(a.t());
            if (st == null || st instanceof Storage.Registers) return false;
            written.add(a.t());
        }
        List<Idx> own = Subscripts.of(vars);
        boolean[] ok = {true};
        for (Stmt.Assign a : body) {
            Exprs.visit(a.value(), e -> {
                if (e instanceof Ex.Load l && written.contains(l.tensor()) && !l.idx().equals(own)) ok[0] = false;
                if (e instanceof Ex.Load l && storage.get(l.tensor()) instanceof Storage.Registers) ok[0] = false;
            });
        }
        return ok[0];
    }

    private static boolean ownElement(List<IndexVar> vars, List<Idx> at) {
        if (at.size() != vars.size()) return false;
        for (int k = 0; k < vars.size(); k++) if (!(at.get(k) instanceof Idx.Var v) || v.v() != vars.get(k)) return false;
        return true;
    }

    /** The flat element of a subscript list that is all fixed, or null. */
    public static Integer fixedElement(Tensor t, List<Idx> at) {
        int element = 0;
        for (int k = 0; k < at.size(); k++) {
            if (!(at.get(k) instanceof Idx.Fixed f)) return null;
            element = element * t.shape.get(k) + f.position();
        }
        return element;
    }

    /** Sums a Samples kernel adds into at subscripts that are not fixed: atomically, into the array of all gradient sums. */
    private static Set<Tensor> atomicTargets(List<Stmt> body, Map<Tensor, Tensor> paramOf) {
        Set<Tensor> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Stmt st : body) {
            switch (st) {
                case Stmt.Loop l -> out.addAll(atomicTargets(l.body(), paramOf));
                case Stmt.Assign a -> {
                    if (a.add() && paramOf.containsKey(a.t()) && fixedElement(a.t(), a.at()) == null) out.add(a.t());
                }
                case Stmt.AddLoss l -> { }
            }
        }
        return out;
    }
}
