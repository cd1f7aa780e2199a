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
            case Ex.FirstMax m when m.at() instanceof Idx.Fixed f -> firstMax(m, f.position());
            default -> Exprs.mapChildren(e, Unroll::expand);
        };
    }

    /**
     * Whether window element a is the first maximum, written out: greater than each before it, and no later one
     * greater — what the loop's strict comparison decides.
     */
    private static Ex firstMax(Ex.FirstMax m, int a) {
        if (a < 0 || a >= m.i().range()) return new Ex.Num(0);
        Ex at = expand(Exprs.substitute(m.body(), Map.of(m.i(), new Idx.Fixed(a))));
        Ex all = null;
        for (int k = 0; k < m.i().range(); k++) {
            if (k == a) continue;
            Ex v = expand(Exprs.substitute(m.body(), Map.of(m.i(), new Idx.Fixed(k))));
            Ex holds = k < a ? new Ex.Cmp(Compare.GT, at, v) : Ex.sub(new Ex.Num(1), new Ex.Cmp(Compare.GT, v, at));
            all = all == null ? holds : Ex.mul(all, holds);
        }
        return all == null ? new Ex.Num(1) : all;
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
