package dev.nnc.schedule;

import dev.nnc.ir.Def;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EARLY (the training method's order of defs): a backward def that reads only forward values, and is smaller than
 * the ones it alone of the backward pass reads, is computed in the forward pass, right after the last value it
 * reads. A max pool's argmax ({@code argmax_z_a1[c,k,l] = argmax_{p,q} z_a1[…]}, hoisted by OPTIMIZE) then scans its
 * window while the window is in the cache, and the pre-activation it reads (z_a1, four times its size) is no longer
 * kept from the forward pass to the backward: a block's own value, in scratch. Where a def is computed is a
 * schedule's choice; the graph, and what {@code nnc explain} prints, keep it in the backward pass. The same
 * operations on the same values: the same bits.
 */
final class Early {
    private Early() {}

    static List<Def> of(Graph g) {
        Set<Tensor> forward = set();
        g.forward().forEach(d -> forward.add(d.tensor()));
        Map<Tensor, Integer> backwardReaders = new IdentityHashMap<>();
        for (Def d : g.backward()) for (Tensor t : Exprs.valueReads(d.body())) backwardReaders.merge(t, 1, Integer::sum);
        List<Def> out = new ArrayList<>(g.forward());
        List<Def> late = new ArrayList<>();
        for (Def d : g.backward()) {
            Set<Tensor> reads = Exprs.valueReads(d.body());
            long alone = 0;
            boolean onlyForward = true;
            int after = -1;
            for (Tensor t : reads) {
                if (!t.perSample()) continue; // a parameter is there all along
                if (!forward.contains(t)) {
                    onlyForward = false;
                    break;
                }
                if (backwardReaders.get(t) == 1) alone += t.size();
                for (int k = 0; k < out.size(); k++) if (out.get(k).tensor() == t) after = Math.max(after, k);
            }
            if (onlyForward && d.tensor().perSample() && d.tensor().size() < alone) {
                out.add(after + 1, d);
                forward.add(d.tensor()); // a forward value now, for the defs after it
            } else {
                late.add(d);
            }
        }
        out.addAll(late);
        return out;
    }

    private static Set<Tensor> set() { return Collections.newSetFromMap(new IdentityHashMap<>()); }
}
