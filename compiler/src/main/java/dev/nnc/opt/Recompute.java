package dev.nnc.opt;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RECOMPUTE (for the CPU's kernels, after OPTIMIZE): a forward value that only copies a smaller one, and that the
 * backward pass reads, is copied again in the backward pass instead of kept from one to the other. A convolution's
 * windows ({@code col_m1[k,p,q,i,j] = m1[k,i+p−1,j+q−1]}, 25 times m1 for a 5 × 5 kernel) are read by its kernel's
 * gradient: kept, a training slice's windows (60 KB a sample for LeNet's second convolution) went out of the cache
 * to memory in the forward pass and came back in the backward; copied again ({@code col_m1_again}, defined just
 * before its first backward reader), each pass's copy is one sample's, used while it is in the cache, and m1 is kept
 * instead (LeNet's steps 3–4 % faster at batch 64 and 256, once the copies ran on vectors; 3 % slower before). The
 * same values: a copy is exact.
 *
 * <p>The copy is laid out for its reader. A kernel's gradient sums over the output positions, {@code Σᵢ Σⱼ δ[c,i,j] ·
 * col[k,p,q,i,j]}: laid out as the forward pass wrote it, both operands run along (i, j) and every gradient element
 * is a dot product that ends in a reduction across a vector's lanes. Where the window ({@code k·p·q}) is at least as
 * large as the positions summed over, the copy is written positions first, {@code col_again[i,j,k,p,q]}: the product
 * then broadcasts δ and runs along the window, with no reduction (LeNet's second convolution: 100 positions, a window
 * of 150; its kernel's gradient 10.2 → 6.3 µs a sample, the copy, in rows of 5, 2.7 → 4.9). Its first convolution
 * (784 positions, a window of 25) keeps the forward layout: there the dot products are long and the rows short.
 */
public final class Recompute {
    private Recompute() {}

    public static Graph run(Graph g) {
        Set<Tensor> readBack = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Def d : g.backward()) readBack.addAll(Exprs.valueReads(d.body()));
        Set<String> names = g.names();
        Map<Tensor, Def> again = new IdentityHashMap<>();
        Map<Tensor, int[]> orders = new IdentityHashMap<>(); // the copy's dimension a is the value's dimension order[a]
        for (Def d : g.forward()) {
            Ex.Load source = copied(d.body());
            if (source == null || !readBack.contains(d.tensor()) || !source.tensor().perSample()) continue;
            if (d.tensor().size() <= source.tensor().size() || g.outputs().contains(d.tensor())) continue;
            String name = d.tensor().name + "_again";
            for (int k = 2; !names.add(name); k++) name = d.tensor().name + "_again_" + k;
            int[] order = order(d.tensor(), g.backward());
            List<Integer> shape = new ArrayList<>();
            for (int a : order) shape.add(d.tensor().shape.get(a));
            var t = new Tensor(name, Tensor.Role.VALUE, shape, d.tensor().span);
            List<IndexVar> fresh = new ArrayList<>();
            Map<IndexVar, Idx> rename = new HashMap<>();
            for (IndexVar v : d.vars()) {
                fresh.add(v.fresh());
                rename.put(v, Idx.of(fresh.getLast()));
            }
            List<IndexVar> vars = new ArrayList<>();
            for (int a : order) vars.add(fresh.get(a));
            again.put(d.tensor(), new Def(t, vars, Exprs.substitute(d.body(), rename)));
            orders.put(d.tensor(), order);
        }
        if (again.isEmpty()) return g;
        List<Def> backward = new ArrayList<>();
        Set<Tensor> placed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Def d : g.backward()) {
            for (Tensor read : Exprs.valueReads(d.body())) {
                Def copy = again.get(read);
                if (copy != null && placed.add(read)) backward.add(copy);
            }
            backward.add(d.withBody(Exprs.transform(d.body(), x -> x instanceof Ex.Load l && again.containsKey(l.tensor())
                    ? new Ex.Load(again.get(l.tensor()).tensor(), permuted(l.idx(), orders.get(l.tensor()))) : x)));
        }
        return g.withBackward(backward, g.gradients());
    }

    /**
     * The order of the copy's dimensions: where the value's one backward reader reads it by plain index variables and
     * sums over some of them, over no more elements than the rest span, those first; else the value's own order.
     */
    private static int[] order(Tensor value, List<Def> backward) {
        int rank = value.shape.size();
        int[] same = new int[rank];
        for (int a = 0; a < rank; a++) same[a] = a;
        List<Def> readers = backward.stream().filter(d -> Exprs.valueReads(d.body()).contains(value)).toList();
        if (readers.size() != 1) return same;
        Def reader = readers.get(0);
        List<List<Idx>> reads = new ArrayList<>();
        Exprs.visit(reader.body(), x -> {
            if (x instanceof Ex.Load l && l.tensor() == value) reads.add(l.idx());
        });
        if (reads.size() != 1) return same;
        List<Integer> summed = new ArrayList<>(), free = new ArrayList<>();
        long summedSize = 1, freeSize = 1;
        for (int a = 0; a < rank; a++) {
            if (!(reads.get(0).get(a) instanceof Idx.Var(IndexVar v))) return same;
            boolean isFree = reader.vars().contains(v);
            (isFree ? free : summed).add(a);
            if (isFree) freeSize *= value.shape.get(a);
            else summedSize *= value.shape.get(a);
        }
        if (summed.isEmpty() || free.isEmpty() || summedSize > freeSize) return same;
        int[] order = new int[rank];
        int k = 0;
        for (int a : summed) order[k++] = a;
        for (int a : free) order[k++] = a;
        return order;
    }

    private static List<Idx> permuted(List<Idx> idx, int[] order) {
        List<Idx> out = new ArrayList<>();
        for (int a : order) out.add(idx.get(a));
        return out;
    }

    /** The read a body copies: a load, under guards with 0 elsewhere; else null. */
    private static Ex.Load copied(Ex body) {
        Ex e = body;
        while (e instanceof Ex.Select s && s.cond() instanceof Ex.InRange && Exprs.isNum(s.otherwise(), 0)) e = s.then();
        return e instanceof Ex.Load l ? l : null;
    }
}
