package dev.nnc.schedule;

import dev.nnc.ast.Expr.Compare;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.runtime.Primitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Writes a per-sample block out in full: one assignment per element, each Σ and max expanded into its terms
 * (added in the order the loop would add them), so every subscript is a constant and every value can live in a
 * local variable.
 */
final class Unroll {
    private Unroll() {}

    static List<Stmt> block(List<Nest> run) {
        List<Stmt> out = new ArrayList<>();
        for (Nest nest : run) {
            List<IndexVar> vars = nest.vars();
            int[] at = new int[vars.size()];
            for (long e = 0; e < nest.elements(); e++) {
                Map<IndexVar, Idx> fixed = new HashMap<>();
                for (int k = 0; k < vars.size(); k++) fixed.put(vars.get(k), new Idx.Fixed(at[k]));
                for (Stmt s : nest.body()) {
                    if (!(s instanceof Stmt.Assign a)) {
                        out.add(s); // adding the loss: no subscripts
                        continue;
                    }
                    List<Idx> idx = a.at().stream().map(i -> Idx.substitute(i, fixed)).toList();
                    out.add(new Stmt.Assign(a.t(), idx, expand(Exprs.substitute(a.value(), fixed)), a.add()));
                }
                for (int k = vars.size() - 1; k >= 0; k--) { // row-major odometer: the last index runs fastest
                    if (++at[k] < vars.get(k).range()) break;
                    at[k] = 0;
                }
            }
        }
        return out;
    }

    /** e with every Σ and max written out term by term; a fused value replaced by how it is computed. */
    static Ex expand(Ex e) {
        return switch (e) {
            case Ex.Sum s -> fold(s.i(), s.body(), Ex::add);
            case Ex.Max m -> fold(m.i(), m.body(), (a, b) -> Ex.call(Primitive.MAX, a, b));
            case Ex.Fused f -> expand(f.value());
            // a guard on a fixed subscript is decided here, so the branch not taken (a read outside) is never emitted
            case Ex.Select s when s.cond() instanceof Ex.InRange r && r.decided() != null -> expand(r.decided() ? s.then() : s.otherwise());
            // a max's subgradient at a fixed element of its window, [a = argmax_p …], as comparisons of the window's values
            case Ex.Cmp c when c.op() == Compare.EQ && c.a() instanceof Ex.Position p
                    && p.at().stream().allMatch(i -> i instanceof Idx.Fixed) && c.b() instanceof Ex.ArgMax m -> firstMax(m, fixed(p));
            case Ex.ArgMax m -> argMax(m);
            default -> Exprs.mapChildren(e, Unroll::expand);
        };
    }

    /** The row-major position of fixed subscripts in their window, −1 outside it. */
    private static int fixed(Ex.Position p) {
        int flat = 0;
        for (int k = 0; k < p.at().size(); k++) {
            int a = ((Idx.Fixed) p.at().get(k)).position(), n = p.shape().get(k);
            if (a < 0 || a >= n) return -1;
            flat = flat * n + a;
        }
        return flat;
    }

    /**
     * Whether window position a is the first maximum, written out: greater than each before it, and no later one
     * greater — what the loop's strict comparison decides.
     */
    private static Ex firstMax(Ex.ArgMax m, int a) {
        if (a < 0 || a >= m.size()) return new Ex.Num(0);
        Ex at = element(m, a);
        Ex all = null;
        for (int k = 0; k < m.size(); k++) {
            if (k == a) continue;
            Ex v = element(m, k);
            Ex holds = k < a ? new Ex.Cmp(Compare.GT, at, v) : Ex.sub(new Ex.Num(1), new Ex.Cmp(Compare.GT, v, at));
            all = all == null ? holds : Ex.mul(all, holds);
        }
        return all == null ? new Ex.Num(1) : all;
    }

    /** The position of the first maximum, written out: Σₖ k · [k is the first maximum], one term of which is not 0. */
    private static Ex argMax(Ex.ArgMax m) {
        Ex sum = new Ex.Num(0);
        for (int k = 1; k < m.size(); k++) sum = Ex.add(sum, Ex.mul(new Ex.Num(k), firstMax(m, k)));
        return sum;
    }

    /** The window's body at row-major position k, written out. */
    private static Ex element(Ex.ArgMax m, int k) {
        Map<IndexVar, Idx> at = new HashMap<>();
        for (int d = m.vars().size() - 1, rest = k; d >= 0; rest /= m.vars().get(d).range(), d--) {
            at.put(m.vars().get(d), new Idx.Fixed(rest % m.vars().get(d).range()));
        }
        return expand(Exprs.substitute(m.body(), at));
    }

    private static Ex fold(IndexVar i, Ex body, BinaryOperator<Ex> op) {
        Ex acc = null;
        for (int k = 0; k < i.range(); k++) {
            Ex term = expand(Exprs.substitute(body, Map.of(i, new Idx.Fixed(k))));
            acc = acc == null ? term : op.apply(acc, term);
        }
        return acc;
    }
}
