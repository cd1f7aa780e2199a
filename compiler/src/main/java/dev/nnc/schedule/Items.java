package dev.nnc.schedule;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ITEMS: one method's defs as loop nests and matrix products, in order. The weighted sum of a dense layer
 * becomes a product, what its def computes around the sum a nest after it; a weight's gradient summed straight
 * into its sum becomes a product into the sum; then the loss added up, gradients summed over the samples, and
 * outputs that lie elsewhere copied to where the runtime collects them.
 */
final class Items {
    private Items() {}

    /**
     * @param gradients whether the method sums the parameters' gradients (training)
     * @param loss      whether it adds up the loss
     * @param delivered each output and the tensor the runtime reads it from (itself, or its workspace copy)
     * @param cpu       for a CPU: a sample's own products, and defs over the windows that tile them ({@link Tiles})
     */
    static List<Item> of(Graph g, Layout layout, List<Def> defs, boolean gradients, boolean loss, Map<Tensor, Tensor> delivered,
                         long minProduct, boolean cpu) {
        List<Item> items = new ArrayList<>();
        // by identity: a list's contains compares defs whole, every def against every other (n² for n defs)
        Set<Def> backward = Collections.newSetFromMap(new IdentityHashMap<>());
        backward.addAll(g.backward());
        for (Def d : defs) {
            Tensor sum = backward.contains(d) ? layout.direct.get(d.tensor()) : null;
            // a sample's own product (a convolution after IM2COL) on a CPU, from PER_PRODUCT times the products' threshold
            var each = cpu && minProduct != Integer.MAX_VALUE ? Contractions.perSample(d, minProduct * PER_PRODUCT) : null;
            if (sum != null) {
                var outer = Contractions.outer(d, minProduct);
                if (outer == null && each != null && d.body() == each.sum()) {
                    items.add(new Nest(List.of(), List.of(each.into(sum, true)))); // the sample's share, added into the sum
                    continue;
                }
                items.add(outer != null ? outer.product(sum) : assign(d.vars(), sum, d.body(), true));
                continue;
            }
            var weighted = Contractions.weighted(d, minProduct);
            if (weighted == null && each != null) {
                items.add(new Nest(List.of(), List.of(each.into(d.tensor(), false))));
                if (d.body() != each.sum()) {
                    Ex rest = Exprs.replace(d.body(), each.sum(), new Ex.Load(d.tensor(), Subscripts.of(d.vars())));
                    items.add(assign(d.vars(), d.tensor(), rest, false));
                }
            } else if (weighted != null) {
                items.add(weighted.product(d.tensor()));
                if (d.body() != weighted.sum()) {
                    Ex rest = Exprs.replace(d.body(), weighted.sum(), new Ex.Load(d.tensor(), Subscripts.of(d.vars())));
                    items.add(assign(d.vars(), d.tensor(), rest, false));
                }
            } else {
                Nest tiles = cpu ? Tiles.of(d) : null;
                items.add(tiles != null ? tiles : assign(d.vars(), d.tensor(), d.body(), false));
            }
            if (loss && d.tensor() == g.loss()) items.add(new Nest(List.of(), List.of(new Stmt.AddLoss(g.loss()))));
        }
        if (gradients) {
            for (var e : g.gradients().entrySet()) {
                if (layout.direct.containsKey(e.getValue())) continue;
                List<IndexVar> vs = vars(e.getValue());
                items.add(assign(vs, layout.sums.get(e.getKey()), new Ex.Load(e.getValue(), Subscripts.of(vs)), true));
            }
        }
        for (var e : delivered.entrySet()) {
            if (e.getKey() == e.getValue()) continue;
            List<IndexVar> vs = vars(e.getKey());
            items.add(assign(vs, e.getValue(), new Ex.Load(e.getKey(), Subscripts.of(vs)), false));
        }
        return items;
    }

    /**
     * A sample's product goes to the matrix kernel from this many multiply-adds per matrix element of the products'
     * threshold (4096 by default): below it the call and the kernel's packing cost more than the loops.
     */
    static final long PER_PRODUCT = 4;

    /** The nest {@code t[vars] = value} (or {@code +=}). */
    private static Nest assign(List<IndexVar> vars, Tensor t, Ex value, boolean add) {
        return new Nest(vars, List.of(new Stmt.Assign(t, Subscripts.of(vars), value, add)));
    }

    /** Fresh variables i0, i1, … over a tensor's shape. */
    private static List<IndexVar> vars(Tensor t) {
        List<IndexVar> vs = new ArrayList<>();
        for (int r : t.shape) vs.add(new IndexVar("i" + vs.size(), r));
        return vs;
    }
}
