package dev.nnc.opt;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POOL (for the CPU's schedule, before IM2COL): a ReLU fused into the max pool that reads it. With
 * {@code a = max(0, z)}, the pool {@code m[c,k,l] = max_p max_q a[c,2k+p−2,2l+q−2]} is {@code max(0, max_p max_q
 * z[c,2k+p−2,2l+q−2])}: max(0, ·) does not decrease, so it commutes with a max, and the values are the same to the
 * bit. The ReLU then runs once per window instead of once per element, a is computed only if something else reads
 * it, and its derivative is tested once per window too ({@code [m > 0]}). The subgradient is the same as well: where
 * the window's largest z is positive its first maximum is a's, and where it is not both send 0 (the ReLU's derivative
 * at its kink is 0). {@code nnc explain}, gradcheck and the other backends see the network as written.
 */
public final class Pool {
    private Pool() {}

    public static Graph run(Graph g) {
        Map<Tensor, Ex.Call> relus = new IdentityHashMap<>();
        for (Def d : g.forward()) {
            Ex.Call relu = relu(d);
            if (relu != null) relus.put(d.tensor(), relu);
        }
        if (relus.isEmpty()) return g;
        List<Def> forward = new ArrayList<>();
        boolean changed = false;
        for (Def d : g.forward()) {
            Ex fused = fuse(d.body(), relus);
            changed |= fused != null;
            forward.add(fused == null ? d : d.withBody(fused));
        }
        return changed ? g.withForward(unread(forward, g)) : g;
    }

    /** The body of an elementwise ReLU, {@code a[c,i,j] = max(0, z[c,i,j])}; else null. */
    private static Ex.Call relu(Def d) {
        if (!(d.body() instanceof Ex.Call c) || c.f() != Primitive.MAX) return null;
        Ex z = Exprs.isNum(c.a(), 0) ? c.b() : Exprs.isNum(c.b(), 0) ? c.a() : null;
        if (!(z instanceof Ex.Load l) || !l.idx().equals(d.vars().stream().map(Idx::of).toList())) return null;
        return c;
    }

    /** A max pool of a ReLU's output, {@code max_p max_q a[…]}, as the ReLU of the pool of its input; else null. */
    private static Ex fuse(Ex body, Map<Tensor, Ex.Call> relus) {
        if (!(body instanceof Ex.Max)) return null;
        Ex e = body;
        while (e instanceof Ex.Max m) e = m.body();
        if (!(e instanceof Ex.Load read) || !relus.containsKey(read.tensor())) return null;
        Ex.Call relu = relus.get(read.tensor());
        Ex.Load z = (Ex.Load) (Exprs.isNum(relu.a(), 0) ? relu.b() : relu.a());
        Ex pooled = Exprs.transform(body, x -> x == read ? new Ex.Load(z.tensor(), read.idx()) : x);
        // the 0 on the side it was written: at a tie max takes its first operand, in value and in derivative
        return Exprs.isNum(relu.a(), 0) ? Ex.call(Primitive.MAX, relu.a(), pooled) : Ex.call(Primitive.MAX, pooled, relu.b());
    }

    /** The defs without the ReLUs nothing reads any more (not a def, the loss or an output). */
    private static List<Def> unread(List<Def> defs, Graph g) {
        Set<Tensor> read = new HashSet<>(g.outputs());
        read.add(g.loss());
        for (Def d : defs) read.addAll(Exprs.reads(d.body()));
        return defs.stream().filter(d -> read.contains(d.tensor()) || relu(d) == null).toList();
    }
}
