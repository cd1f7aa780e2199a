package dev.nnc.schedule;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The two shapes of a dense layer that become matrix products over a slice's samples:
 *
 * <ul>
 *   <li>a weighted sum, {@code z[j] = f(Σ_p W[j,p]·x[p], …)} (or {@code W[p,j]}): for all samples at once,
 *       Z = X·Wᵀ, after which {@code f} runs per element on Z ({@link Weighted});
 *   <li>a weight's per-sample gradient, {@code g[i,j] = a[i]·b[j]}: summed over the samples it is Aᵀ·B
 *       ({@link Outer}).
 * </ul>
 */
final class Contractions {
    private Contractions() {}

    /** {@code sum} = Σ_p W[…]·x[p] inside def d, with W's subscripts [j, p] ({@code transposed} false) or [p, j]. */
    record Weighted(Ex.Sum sum, Tensor w, boolean transposed, Tensor x) {
        Block.Product product(Tensor out) {
            IndexVar p = sum.i();
            int cols = w.shape.get(1);
            var b = transposed ? new Block.Operand(w, cols, 1) : new Block.Operand(w, 1, cols);
            return new Block.Product(new Block.Operand(out, out.size(), 1), new Block.Operand(x, x.size(), 1), b,
                    Block.Product.SAMPLES, out.size(), p.range(), false);
        }
    }

    /** {@code g[i,j] = a[i]·b[j]} (per sample): summed over samples into {@code sum}, Σ_b a[b,i]·b[b,j]. */
    record Outer(Tensor a, Tensor b) {
        /** The sum's only writer: it overwrites the sum rather than adding to a zeroed one (a pass less over it). */
        Block.Product product(Tensor sum) {
            return new Block.Product(new Block.Operand(sum, b.size(), 1), new Block.Operand(a, 1, a.size()),
                    new Block.Operand(b, b.size(), 1), a.size(), b.size(), Block.Product.SAMPLES, false);
        }
    }

    /** The weighted sum a def of a vector computes, if its matrix has at least {@code min} elements. */
    static Weighted weighted(Def d, long min) {
        if (d.tensor().rank() != 1) return null;
        IndexVar j = d.vars().get(0);
        for (Ex.Sum s : freeSums(d.body())) {
            if (!(s.body() instanceof Ex.Binary m) || m.op() != Ex.BinOp.MUL) continue;
            for (int order = 0; order < 2; order++) {
                Ex first = order == 0 ? m.a() : m.b(), second = order == 0 ? m.b() : m.a();
                if (!(first instanceof Ex.Load w) || !(second instanceof Ex.Load x)) continue;
                if (w.tensor().role != Tensor.Role.PARAM || w.tensor().rank() != 2) continue;
                if (!x.tensor().perSample() || x.tensor().rank() != 1 || !isVar(x.idx().get(0), s.i())) continue;
                if ((long) j.range() * s.i().range() < min) continue;
                if (isVar(w.idx().get(0), j) && isVar(w.idx().get(1), s.i())) return new Weighted(s, w.tensor(), false, x.tensor());
                if (isVar(w.idx().get(0), s.i()) && isVar(w.idx().get(1), j)) return new Weighted(s, w.tensor(), true, x.tensor());
            }
        }
        return null;
    }

    /** The outer product a matrix's gradient def computes, if the matrix has at least {@code min} elements. */
    static Outer outer(Def d, long min) {
        if (d.tensor().rank() != 2 || d.tensor().size() < min) return null;
        if (!(d.body() instanceof Ex.Binary m) || m.op() != Ex.BinOp.MUL) return null;
        IndexVar i = d.vars().get(0), j = d.vars().get(1);
        for (int order = 0; order < 2; order++) {
            Ex first = order == 0 ? m.a() : m.b(), second = order == 0 ? m.b() : m.a();
            if (first instanceof Ex.Load a && second instanceof Ex.Load b && vector(a, i) && vector(b, j)) {
                return new Outer(a.tensor(), b.tensor());
            }
        }
        return null;
    }

    private static boolean vector(Ex.Load l, IndexVar v) {
        return l.tensor().perSample() && l.tensor().rank() == 1 && isVar(l.idx().get(0), v);
    }

    private static boolean isVar(Idx i, IndexVar v) { return i instanceof Idx.Var x && x.v() == v; }

    /** The Σs of e that are not inside another Σ or max (whose variables they might use). */
    private static List<Ex.Sum> freeSums(Ex e) {
        List<Ex.Sum> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Ex e, List<Ex.Sum> out) {
        switch (e) {
            case Ex.Sum s -> out.add(s);
            case Ex.Max m -> { }
            case Ex.Fused f -> collect(f.value(), out);
            default -> Exprs.mapChildren(e, c -> {
                collect(c, out);
                return c;
            });
        }
    }
}
