package dev.nnc.schedule;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Guards;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TILES (on a CPU): a def whose sums each pick the one window that holds the element, over windows that tile its
 * dimension exactly, as a nest over the windows instead. A 2×2 max pool's adjoint is
 * {@code δa[c,i,j] = Σₖ Σₗ [0 ≤ i−2k < 2] [0 ≤ j−2l < 2] v(k, l, i, j)}: for each element its window (k, l) is
 * found again, at run time, from i and j. Written with i = 2k + p and j = 2l + q instead,
 * {@code δa[c, 2k+p, 2l+q] = 0 + v(k, l, 2k+p, 2l+q)} over (c, k, p, l, q) sets every element once — the windows
 * tile the map — with the same value: the guards hold, the sums had one term, and 0 + v is what they added (so a −0
 * still comes out +0). The window's values (its δ, its argmax) are read by its elements one after another.
 */
final class Tiles {
    private Tiles() {}

    /** The def as a nest over its windows, or null when it holds no such chain of sums. */
    static Nest of(Def d) {
        Ex.Sum top = top(d.body());
        if (top == null) return null;
        List<IndexVar> outer = new ArrayList<>(d.vars());
        Map<IndexVar, IndexVar> within = new HashMap<>(); // a window's variable → the element's place in it
        Map<IndexVar, Idx> tiled = new HashMap<>();
        Ex body = top;
        while (body instanceof Ex.Sum s) {
            // one guard on the sum's variable, 0 ≤ v − w·s < w, with v of the def's whose range the windows tile
            var bounds = Guards.of(s.i(), s.body());
            if (bounds.size() != 1) break;
            Guards.Bound b = bounds.get(0);
            IndexVar v = exactly(b.rest());
            int w = b.size();
            if (v == null || b.coefficient() != -w || !outer.contains(v) || tiled.containsKey(v) || v.range() != (long) s.i().range() * w) break;
            IndexVar p = new IndexVar(v.name + "′", w);
            outer.set(outer.indexOf(v), s.i());
            within.put(s.i(), p);
            tiled.put(v, Idx.affine(List.of(new Idx.Term(s.i(), w), new Idx.Term(p, 1)), 0));
            body = Guards.withoutGuards(s.i(), s.body()); // it holds for every (s, p)
        }
        if (tiled.isEmpty()) return null;
        Ex term = Ex.add(new Ex.Num(0), body);
        Ex whole = Exprs.replace(d.body(), top, term);
        Ex value = Exprs.transform(Exprs.substitute(whole, tiled), e -> e instanceof Ex.Select s && s.cond() instanceof Ex.InRange r
                && Boolean.TRUE.equals(r.decided()) ? s.then() : e);
        // each window's variable followed by the element's place in it: the elements in the order they lie in memory,
        // a row's (l, q) one run of its elements (a loop on vectors writes it as two vectors interleaved)
        List<IndexVar> vars = new ArrayList<>();
        for (IndexVar v : outer) {
            vars.add(v);
            if (within.containsKey(v)) vars.add(within.get(v));
        }
        List<Idx> at = d.vars().stream().map(v -> tiled.getOrDefault(v, Idx.of(v))).toList();
        return new Nest(vars, List.of(new Stmt.Assign(d.tensor(), at, value, false)));
    }

    /** The first Σ of e that no binder encloses (a ReLU's derivative may stand around it), or null. */
    private static Ex.Sum top(Ex e) {
        return switch (e) {
            case Ex.Sum s -> s;
            case Ex.Max m -> null;
            case Ex.ArgMax m -> null;
            case Ex.Fused f -> null;
            default -> {
                Ex.Sum[] found = {null};
                Exprs.mapChildren(e, c -> {
                    if (found[0] == null) found[0] = top(c);
                    return c;
                });
                yield found[0];
            }
        };
    }

    /** v where the subscript is v alone (coefficient 1, constant 0), else null. */
    private static IndexVar exactly(Idx i) {
        var terms = Idx.terms(i);
        return terms.size() == 1 && terms.get(0).coefficient() == 1 && Idx.constant(i) == 0 ? terms.get(0).v() : null;
    }
}
