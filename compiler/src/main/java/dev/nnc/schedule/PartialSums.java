package dev.nnc.schedule;

import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.GpuSchedule.Kernel;
import dev.nnc.schedule.GpuSchedule.Partial;
import dev.nnc.schedule.GpuSchedule.Partials;
import dev.nnc.schedule.GpuSchedule.Range;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * COLUMNS and CLEARS: how a program's sums over the samples come together. Each value that threads sum in
 * registers takes a partial-sum column; every other writer of a gradient sum (a product, a {@link Form.Sums})
 * writes it directly, so a sum is zeroed first unless its first writer overwrites it whole, or its columns alone
 * make it. The forms then become kernels.
 */
final class PartialSums {
    private PartialSums() {}

    /** The kernels of one program, its partial columns, and its storage with the cleared sums placed. */
    static GpuSchedule.KernelEntry of(LoopProgram loops, List<Form> forms, Map<Tensor, Storage> storage, boolean gradients) {
        Map<Tensor, Tensor> paramOf = new IdentityHashMap<>();
        for (var e : loops.sums().entrySet()) paramOf.put(e.getValue(), e.getKey());
        // COLUMNS: one per gradient element that threads sum in registers, in the order of the array of all
        // gradients (so that a parameter's elements take consecutive columns), then the loss
        TreeMap<Integer, Integer> columnOf = new TreeMap<>();
        boolean loss = false;
        for (Form f : forms) {
            if (!(f instanceof Form.Samples s)) continue;
            for (Accumulator a : s.block().accumulators()) {
                switch (a) {
                    case Accumulator.Loss l -> loss = true;
                    case Accumulator.Element el -> columnOf.put(at(loops, paramOf, el), 0);
                }
            }
        }
        int c = 0;
        for (var e : columnOf.entrySet()) e.setValue(c++);
        int lossColumn = loss ? c++ : -1;

        // who writes each gradient sum other than through partial columns, in order; which elements columns make
        Map<Tensor, List<Form>> writers = new LinkedHashMap<>();
        Map<Tensor, Set<Integer>> partialElements = new IdentityHashMap<>();
        for (Form f : forms) {
            switch (f) {
                case Form.Samples s -> {
                    for (Accumulator a : s.block().accumulators()) {
                        if (a instanceof Accumulator.Element el) partialElements.computeIfAbsent(el.sum(), x -> new HashSet<>()).add(el.element());
                    }
                }
                case Form.Sums s -> {
                    for (var a : s.adds()) writers.computeIfAbsent(a.t(), x -> new ArrayList<>()).add(f);
                }
                case Kernel.Product m -> {
                    if (paramOf.containsKey(m.product().c().t())) writers.computeIfAbsent(m.product().c().t(), x -> new ArrayList<>()).add(f);
                }
                case Kernel.Elements e -> { }
                case Kernel.Chain ch -> { } // its products write workspace, never a gradient sum
            }
        }
        // CLEARS: a sum is alone in its partial columns when nothing else writes it and they cover it; otherwise it
        // must hold what the other writers give: overwritten by the first of them when it writes the sum whole, else zeroed
        List<Tensor> cleared = new ArrayList<>();
        Set<Tensor> alone = Collections.newSetFromMap(new IdentityHashMap<>());
        if (gradients) {
            for (Tensor sum : loops.sums().values()) {
                List<Form> w = writers.getOrDefault(sum, List.of());
                Set<Integer> parts = partialElements.getOrDefault(sum, Set.of());
                if (w.isEmpty() && parts.size() == sum.size()) {
                    alone.add(sum);
                } else if (w.isEmpty() || !overwrites(w.get(0), sum)) {
                    cleared.add(sum);
                }
            }
        }

        // the kernels: accumulators numbered (the first kernel to write a column sets it), sums' first writers overwriting
        List<Kernel> kernels = new ArrayList<>();
        if (!cleared.isEmpty()) kernels.add(new Kernel.Clear(cleared));
        Set<Integer> written = new HashSet<>();
        for (Form f : forms) {
            kernels.add(switch (f) {
                case Form.Samples s -> {
                    List<Partial> numbered = new ArrayList<>();
                    for (Accumulator a : s.block().accumulators()) {
                        int col = switch (a) {
                            case Accumulator.Loss l -> lossColumn;
                            case Accumulator.Element el -> columnOf.get(at(loops, paramOf, el));
                        };
                        numbered.add(new Partial(a, col, written.add(col)));
                    }
                    yield new Kernel.Samples(s.block().body(), s.block().unrolled(), numbered);
                }
                case Form.Sums s -> {
                    List<Boolean> over = new ArrayList<>();
                    for (var a : s.adds()) over.add(gradients && !cleared.contains(a.t()) && writers.get(a.t()).get(0) == s && overwrites(s, a.t()));
                    yield new Kernel.SampleSums(s.vars(), s.adds(), over);
                }
                case Kernel.Elements e -> e;
                case Kernel.Product m -> m;
                case Kernel.Chain ch -> ch;
            });
        }
        Map<Tensor, Storage> placed = new LinkedHashMap<>(storage);
        for (Tensor t : cleared) placed.putIfAbsent(t, new Storage.GradientSum(LoopProgram.GRADIENTS, loops.offsets().get(paramOf.get(t))));
        return new GpuSchedule.KernelEntry(kernels, new Partials(c, lossColumn, ranges(loops, paramOf, columnOf, alone)), placed);
    }

    /** An accumulated element, as an index into the array of all gradient sums. */
    private static int at(LoopProgram loops, Map<Tensor, Tensor> paramOf, Accumulator.Element a) {
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

    /** Whether a writer sets every element of {@code sum} without reading it. */
    private static boolean overwrites(Form f, Tensor sum) {
        return switch (f) {
            case Kernel.Product m -> !m.product().accumulate() && m.product().c().t() == sum;
            case Form.Sums s -> s.adds().stream().anyMatch(a -> a.t() == sum && covers(s.vars(), a));
            default -> false;
        };
    }

    /** Whether the nest over {@code vars} writes every element of the assignment's tensor once. */
    private static boolean covers(List<IndexVar> vars, Stmt.Assign a) {
        return Subscripts.own(vars, a.at()) && Subscripts.count(vars) == a.t().size();
    }
}
