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
 */
public final class Recompute {
    private Recompute() {}

    public static Graph run(Graph g) {
        Set<Tensor> readBack = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Def d : g.backward()) readBack.addAll(Exprs.valueReads(d.body()));
        Set<String> names = g.names();
        Map<Tensor, Def> again = new IdentityHashMap<>();
        for (Def d : g.forward()) {
            Ex.Load source = copied(d.body());
            if (source == null || !readBack.contains(d.tensor()) || !source.tensor().perSample()) continue;
            if (d.tensor().size() <= source.tensor().size() || g.outputs().contains(d.tensor())) continue;
            String name = d.tensor().name + "_again";
            for (int k = 2; !names.add(name); k++) name = d.tensor().name + "_again_" + k;
            var t = new Tensor(name, Tensor.Role.VALUE, d.tensor().shape, d.tensor().span);
            List<IndexVar> fresh = new ArrayList<>();
            Map<IndexVar, Idx> rename = new HashMap<>();
            for (IndexVar v : d.vars()) {
                fresh.add(v.fresh());
                rename.put(v, Idx.of(fresh.getLast()));
            }
            again.put(d.tensor(), new Def(t, fresh, Exprs.substitute(d.body(), rename)));
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
                    ? new Ex.Load(again.get(l.tensor()).tensor(), l.idx()) : x)));
        }
        return g.withBackward(backward, g.gradients());
    }

    /** The read a body copies: a load, under guards with 0 elsewhere; else null. */
    private static Ex.Load copied(Ex body) {
        Ex e = body;
        while (e instanceof Ex.Select s && s.cond() instanceof Ex.InRange && Exprs.isNum(s.otherwise(), 0)) e = s.then();
        return e instanceof Ex.Load l ? l : null;
    }
}
