package dev.nnc.opt;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.ir.Windows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * IM2COL (for the CPU's schedule, before DIFFERENTIATE): a convolution's windows as a tensor of their own. In
 * {@code z[c,i,j] = Σₖ Σₚ Σ_q K[c,k,p,q] · x[k, i+p−1, j+q−1] + …} the read of x moves into
 * {@code col[k,p,q,i,j] = x[k, i+p−1, j+q−1]}, and z reads {@code col[k,p,q,i,j]}: the sum is then a matrix product
 * of K, a matrix of c × (k,p,q), and col, one of (k,p,q) × (i,j), which SCHEDULE hands to the matrix kernel. Derived
 * after this, the kernel's gradient and col's adjoint are products too, and x's adjoint from col (col2im) is a
 * solved adjoint's short guarded sum. The values are those of the convolution; only where they are computed changes.
 * {@code nnc explain}, gradcheck and the other backends see the network without it.
 */
public final class Im2col {
    private Im2col() {}

    /** Whether the network reads through an affine subscript at all (else IM2COL has nothing to do). */
    public static boolean applies(Graph g) { return Windows.used(g.forward()); }

    public static Graph run(Graph g) {
        List<Def> forward = new ArrayList<>();
        Set<String> names = g.names();
        boolean changed = false;
        for (Def d : g.forward()) {
            List<Def> cols = new ArrayList<>();
            Ex body = rewrite(d.body(), d, cols, names);
            forward.addAll(cols);
            forward.add(cols.isEmpty() ? d : new Def(d.tensor(), d.vars(), body));
            changed |= !cols.isEmpty();
        }
        return changed ? g.withForward(forward) : g;
    }

    /** The body with each convolution's window read replaced by a read of its col, whose defs go to {@code cols}. */
    private static Ex rewrite(Ex e, Def d, List<Def> cols, Set<String> names) {
        return switch (e) {
            case Ex.Sum top -> {
                Ex done = convolution(top, d, cols, names);
                yield done != null ? done : e; // another sum is left whole: its body's variables are its own
            }
            case Ex.Max m -> e;
            case Ex.ArgMax a -> e;
            default -> Exprs.mapChildren(e, c -> rewrite(c, d, cols, names));
        };
    }

    /**
     * The sum with its window read replaced by a read of a new col; null when it is not a convolution's: a chain of
     * Σs over a product of a parameter read by plain variables (the kernel, every summed variable among them) and a
     * per-sample tensor read through an affine subscript by the summed variables and the def's own.
     */
    private static Ex convolution(Ex.Sum top, Def d, List<Def> cols, Set<String> names) {
        List<IndexVar> chain = Exprs.sumChain(top);
        if (!(Exprs.underSums(top) instanceof Ex.Binary m) || m.op() != Ex.BinOp.MUL || !(m.a() instanceof Ex.Load x) || !(m.b() instanceof Ex.Load y)) {
            return null;
        }
        for (int order = 0; order < 2; order++) {
            Ex.Load kernel = order == 0 ? x : y, read = order == 0 ? y : x;
            List<IndexVar> kv = plain(kernel);
            if (kernel.tensor().role != Tensor.Role.PARAM || kv == null || !kv.containsAll(chain)) continue;
            if (!read.tensor().perSample() || read.idx().stream().noneMatch(i -> i instanceof Idx.Affine)) continue;
            Set<IndexVar> used = new HashSet<>();
            for (Idx i : read.idx()) for (Idx.Term t : Idx.terms(i)) used.add(t.v());
            if (!used.containsAll(chain)) continue;
            List<IndexVar> outs = new ArrayList<>();
            for (IndexVar v : d.vars()) if (used.contains(v)) outs.add(v);
            if (used.size() != chain.size() + outs.size()) continue; // a variable bound by neither
            // col's variables: the summed ones in the kernel's order, then the def's: K[c,(k,p,q)] · col[(k,p,q),(i,j)]
            List<IndexVar> order1 = new ArrayList<>();
            for (IndexVar v : kv) if (chain.contains(v)) order1.add(v);
            order1.addAll(outs);
            Map<IndexVar, Idx> fresh = new HashMap<>();
            List<IndexVar> vars = new ArrayList<>();
            List<Integer> shape = new ArrayList<>();
            for (IndexVar v : order1) {
                IndexVar f = v.fresh();
                fresh.put(v, Idx.of(f));
                vars.add(f);
                shape.add(v.range());
            }
            String name = "col_" + read.tensor().name;
            while (!names.add(name)) name = name + "′";
            Tensor col = new Tensor(name, Tensor.Role.VALUE, shape, null);
            cols.add(new Def(col, vars, Exprs.substitute(read, fresh)));
            Ex.Load windows = new Ex.Load(col, order1.stream().map(Idx::of).toList());
            return Exprs.transform(top, e -> e == read ? windows : e);
        }
        return null;
    }

    /** A read's variables, when every subscript is a different plain variable; else null. */
    private static List<IndexVar> plain(Ex.Load l) {
        List<IndexVar> out = new ArrayList<>();
        for (Idx i : l.idx()) {
            if (!(i instanceof Idx.Var v) || out.contains(v.v())) return null;
            out.add(v.v());
        }
        return out;
    }
}
