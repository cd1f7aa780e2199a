package dev.nnc.ir;

import dev.nnc.runtime.compiled.GeneratedNetwork;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The loop bounds a sum's guards imply. A solved adjoint sums over every value of a variable but keeps only those
 * its bounds guards let through ({@code Σₖ [1 ≤ i−2k+2 ≤ 2] …}, max pooling's backward pass); run over all of them,
 * a 2×2 pool's adjoint would visit all 14 windows of a row for each element. Every evaluator (the interpreter, the
 * JVM and CUDA generators) narrows the loop to the values the guards allow instead, from the same analysis here.
 * Only the terms whose guard is 0 are skipped, and each of those adds an exact 0, so the sum is the same.
 */
public final class Guards {
    private Guards() {}

    /** A guard 0 ≤ coefficient·i + rest < size on the summed variable i. */
    public record Bound(int coefficient, Idx rest, int size) {}

    /** The guards on i in the chain of guarded selects that begins the body ({@code [g₁] · [g₂] · …}). */
    public static List<Bound> of(IndexVar i, Ex body) {
        List<Bound> out = new ArrayList<>();
        Ex e = body;
        while (e instanceof Ex.Select s && Exprs.isNum(s.otherwise(), 0) && s.cond() instanceof Ex.InRange r) {
            int a = Idx.coefficient(r.at(), i);
            List<Idx.Term> rest = new ArrayList<>();
            for (Idx.Term t : Idx.terms(r.at())) if (t.v() != i) rest.add(t);
            if (a != 0) out.add(new Bound(a, Idx.affine(rest, Idx.constant(r.at())), r.size()));
            e = s.then();
        }
        return out;
    }

    /**
     * The body without the guards {@link #of} found: a loop narrowed to the values they let through runs only where
     * they hold (the values they allow of an affine subscript are an interval), so testing them again is waste — in
     * col2im, two tests for every term added.
     */
    public static Ex withoutGuards(IndexVar i, Ex body) {
        if (!(body instanceof Ex.Select s && Exprs.isNum(s.otherwise(), 0) && s.cond() instanceof Ex.InRange r)) return body;
        Ex rest = withoutGuards(i, s.then());
        return Idx.coefficient(r.at(), i) != 0 ? rest : new Ex.Select(r, rest, s.otherwise());
    }

    /**
     * Whether at most one value gets through: a guard whose coefficient is at least its size as large (consecutive
     * values move a·i + rest by |a| ≥ size, past a window of size values). So it is for a pool whose stride is its
     * window: an element is in one window only, and the sum over windows is a test, not a loop.
     */
    public static boolean atMostOne(List<Bound> bounds) {
        return bounds.stream().anyMatch(b -> Math.abs(b.coefficient()) >= b.size());
    }

    /**
     * Whether a subscript s stays in 0 … dim − 1 wherever the guard 0 ≤ at < size holds: s = at + d, d over its
     * variables' ranges, at over 0 … size − 1. (Where a subscript alone may leave its tensor, a guard that keeps it is
     * what makes the read safe: the verifier checks each such read, a pass that moves one checks its guards.)
     */
    public static boolean keeps(Idx at, int size, Idx s, int dim) {
        List<Idx.Term> terms = new ArrayList<>(Idx.terms(s));
        for (Idx.Term t : Idx.terms(at)) terms.add(new Idx.Term(t.v(), -t.coefficient()));
        Idx d = Idx.affine(terms, Idx.constant(s) - Idx.constant(at));
        return Idx.min(d) >= 0 && size - 1 + Idx.max(d) < dim;
    }

    /** Whether the subscript stays in 0 … dim − 1 by itself, or where one of the guards holds. */
    public static boolean inside(Idx s, int dim, Collection<Ex.InRange> guards) {
        if (Idx.min(s) >= 0 && Idx.max(s) < dim) return true;
        for (Ex.InRange g : guards) if (keeps(g.at(), g.size(), s, dim)) return true;
        return false;
    }

    /** The smallest value of i the guard allows, given rest's value r (it may exceed the largest: no values). */
    public static int lowest(Bound b, int r) { return GeneratedNetwork.lowest(b.coefficient(), b.size(), r); }

    /** The largest value of i the guard allows. */
    public static int highest(Bound b, int r) { return GeneratedNetwork.highest(b.coefficient(), b.size(), r); }
}
