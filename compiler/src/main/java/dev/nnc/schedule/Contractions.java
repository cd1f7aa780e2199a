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

    /**
     * {@code sum} = Σ_{s…} W[o…, s…]·x[s…] inside def d ({@code transposed}: W[s…, o…]), every group of variables
     * flattened: W is a matrix of |o| × k (or k × |o|), x a vector of k per sample.
     */
    record Weighted(Ex.Sum sum, Tensor w, boolean transposed, Tensor x, int k) {
        Block.Product product(Tensor out) {
            var b = transposed ? new Block.Operand(w, out.size(), 1) : new Block.Operand(w, 1, k);
            return new Block.Product(new Block.Operand(out, out.size(), 1), new Block.Operand(x, x.size(), 1), b,
                    Block.Product.SAMPLES, out.size(), k, false);
        }
    }

    /** {@code g[o…, f…] = a[o…]·b[f…]} (per sample): summed over samples into {@code sum}, Σ_b a[b,(o)]·b[b,(f)]. */
    record Outer(Tensor a, Tensor b) {
        /** The sum's only writer: it overwrites the sum rather than adding to a zeroed one (a pass less over it). */
        Block.Product product(Tensor sum) {
            return new Block.Product(new Block.Operand(sum, b.size(), 1), new Block.Operand(a, 1, a.size()),
                    new Block.Operand(b, b.size(), 1), a.size(), b.size(), Block.Product.SAMPLES, false);
        }
    }

    /**
     * The weighted sum a def computes (a dense layer: every variable of the def a row of W, the summed ones the rest,
     * x read by exactly the summed ones in W's order), if its matrix has at least {@code min} elements.
     */
    static Weighted weighted(Def d, long min) {
        if (d.tensor().rank() == 0) return null;
        for (Ex.Sum top : freeSums(d.body())) {
            List<IndexVar> chain = Exprs.sumChain(top);
            if (!(Exprs.underSums(top) instanceof Ex.Binary m) || m.op() != Ex.BinOp.MUL) continue;
            for (int order = 0; order < 2; order++) {
                Ex first = order == 0 ? m.a() : m.b(), second = order == 0 ? m.b() : m.a();
                if (!(first instanceof Ex.Load w) || !(second instanceof Ex.Load x)) continue;
                if (w.tensor().role != Tensor.Role.PARAM || !x.tensor().perSample()) continue;
                List<IndexVar> wv = plainVars(w), xv = plainVars(x);
                if (wv == null || xv == null || xv.size() != chain.size() || !xv.containsAll(chain)) continue;
                int k = count(xv);
                if ((long) d.tensor().size() * k < min) continue;
                if (wv.equals(concat(d.vars(), xv))) return new Weighted(top, w.tensor(), false, x.tensor(), k);
                if (wv.equals(concat(xv, d.vars()))) return new Weighted(top, w.tensor(), true, x.tensor(), k);
            }
        }
        return null;
    }

    /** The outer product a weight's gradient def computes, if the weight has at least {@code min} elements. */
    static Outer outer(Def d, long min) {
        if (d.tensor().rank() < 2 || d.tensor().size() < min) return null;
        if (!(d.body() instanceof Ex.Binary m) || m.op() != Ex.BinOp.MUL) return null;
        for (int order = 0; order < 2; order++) {
            Ex first = order == 0 ? m.a() : m.b(), second = order == 0 ? m.b() : m.a();
            if (!(first instanceof Ex.Load a) || !(second instanceof Ex.Load b)) continue;
            if (!a.tensor().perSample() || !b.tensor().perSample()) continue;
            List<IndexVar> av = plainVars(a), bv = plainVars(b);
            if (av == null || bv == null || av.isEmpty() || bv.isEmpty()) continue;
            if (concat(av, bv).equals(d.vars())) return new Outer(a.tensor(), b.tensor());
        }
        return null;
    }

    /**
     * {@code t[o…, f…] = Σ_{s…} A[o…, s…]·B[s…, f…]} (each operand's groups in either order): one sample's matrix
     * product C[(o),(f)] = A[(o),(s)]·B[(s),(f)], every group of variables flattened into one index — a convolution's
     * weighted sum over (k, p, q) after IM2COL, its weight gradient over (i, j), its input gradient over the maps.
     *
     * @param sum  the Σ chain's outermost Σ (the part of the body the product computes)
     */
    record PerSample(Ex.Sum sum, Block.Operand a, Block.Operand b, int m, int n, int k) {
        Stmt.Product into(Tensor c, boolean accumulate) {
            return new Stmt.Product(new Block.Operand(c, n, 1), a, b, m, n, k, accumulate);
        }
    }

    /** The per-sample product a def of a per-sample tensor (or a gradient, into {@code out}) computes, if it has {@code min} multiply-adds. */
    static PerSample perSample(Def d, long min) {
        for (Ex.Sum top : freeSums(d.body())) {
            List<IndexVar> chain = Exprs.sumChain(top);
            if (!(Exprs.underSums(top) instanceof Ex.Binary m) || m.op() != Ex.BinOp.MUL || !(m.a() instanceof Ex.Load x)
                    || !(m.b() instanceof Ex.Load y)) continue;
            for (int order = 0; order < 2; order++) {
                Ex.Load a = order == 0 ? x : y, b = order == 0 ? y : x;
                PerSample p = perSample(d, top, chain, a, b);
                if (p != null && (long) p.m * p.n * p.k >= min) return p;
            }
        }
        return null;
    }

    private static PerSample perSample(Def d, Ex.Sum top, List<IndexVar> chain, Ex.Load a, Ex.Load b) {
        List<IndexVar> av = plainVars(a), bv = plainVars(b);
        if (av == null || bv == null || !a.tensor().perSample() && !b.tensor().perSample()) return null;
        List<IndexVar> rows = new ArrayList<>(), cols = new ArrayList<>();
        for (IndexVar v : d.vars()) {
            if (av.contains(v) && !bv.contains(v)) rows.add(v);
            else if (bv.contains(v) && !av.contains(v)) cols.add(v);
            else return null;
        }
        if (rows.isEmpty() || cols.isEmpty() || !concat(rows, cols).equals(d.vars())) return null;
        // the summed variables in the order A holds them, which B must hold them in too
        List<IndexVar> summed = new ArrayList<>();
        for (IndexVar v : av) if (chain.contains(v)) summed.add(v);
        if (summed.size() != chain.size() || av.size() != rows.size() + summed.size() || bv.size() != cols.size() + summed.size()) return null;
        Block.Operand left = matrix(a.tensor(), av, rows, summed), right = matrix(b.tensor(), bv, summed, cols);
        if (left == null || right == null) return null;
        return new PerSample(top, left, right, count(rows), count(cols), count(summed));
    }

    /**
     * The tensor as a matrix of {@code first} × {@code second} (each group's variables adjacent, in order, the two groups
     * in either order): element (i, j) at i·row + j·col; null when its variables are not laid out so.
     */
    private static Block.Operand matrix(Tensor t, List<IndexVar> vars, List<IndexVar> first, List<IndexVar> second) {
        if (vars.equals(concat(first, second))) return new Block.Operand(t, count(second), 1);
        if (vars.equals(concat(second, first))) return new Block.Operand(t, 1, count(first));
        return null;
    }

    static List<IndexVar> plainVars(Ex.Load l) {
        List<IndexVar> out = new ArrayList<>();
        for (Idx i : l.idx()) {
            if (!(i instanceof Idx.Var v) || out.contains(v.v())) return null;
            out.add(v.v());
        }
        return out;
    }

    private static List<IndexVar> concat(List<IndexVar> x, List<IndexVar> y) {
        List<IndexVar> out = new ArrayList<>(x);
        out.addAll(y);
        return out;
    }

    private static int count(List<IndexVar> vars) {
        long n = 1;
        for (IndexVar v : vars) n *= v.range();
        return (int) n;
    }

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
