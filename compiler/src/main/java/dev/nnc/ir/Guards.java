package dev.nnc.ir;

import dev.nnc.runtime.compiled.GeneratedNetwork;
import java.util.ArrayList;
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
            int a = 0;
            List<Idx.Term> rest = new ArrayList<>();
            for (Idx.Term t : Idx.terms(r.at())) {
                if (t.v() == i) a += t.coefficient();
                else rest.add(t);
            }
            if (a != 0) out.add(new Bound(a, Idx.affine(rest, Idx.constant(r.at())), r.size()));
            e = s.then();
        }
        return out;
    }

    /** The smallest value of i the guard allows, given rest's value r (it may exceed the largest: no values). */
    public static int lowest(Bound b, int r) { return GeneratedNetwork.lowest(b.coefficient(), b.size(), r); }

    /** The largest value of i the guard allows. */
    public static int highest(Bound b, int r) { return GeneratedNetwork.highest(b.coefficient(), b.size(), r); }
}
