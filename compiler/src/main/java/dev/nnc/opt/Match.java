package dev.nnc.opt;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a def's body, with the def's variables as holes, against a term: {@code σ(z_n5)} matches n5's
 * body, {@code σ(z_h[k])} matches {@code h[j] = σ(z_h[j])} with j := k. Bound variables correspond by
 * position (alpha-equivalence). Returns the subscripts the holes take, or null.
 */
final class Match {
    private final List<IndexVar> holes;
    private final Map<IndexVar, Idx> bound = new HashMap<>();
    private final Map<IndexVar, IndexVar> alpha = new HashMap<>();

    private Match(List<IndexVar> holes) { this.holes = holes; }

    static Map<IndexVar, Idx> match(Ex pattern, List<IndexVar> holes, Ex term) {
        var m = new Match(holes);
        if (!m.ex(pattern, term)) return null;
        for (IndexVar h : holes) if (!m.bound.containsKey(h)) return null;
        return m.bound;
    }

    private boolean ex(Ex p, Ex t) {
        return switch (p) {
            case Ex.Num n -> t instanceof Ex.Num m && Double.compare(n.value(), m.value()) == 0;
            case Ex.Arg a -> t instanceof Ex.Arg b && a.k() == b.k();
            case Ex.Load l -> t instanceof Ex.Load m && l.tensor() == m.tensor() && idx(l.idx(), m.idx());
            case Ex.Same s -> t instanceof Ex.Same u && idx(List.of(s.a(), s.b()), List.of(u.a(), u.b()));
            case Ex.InRange r -> t instanceof Ex.InRange u && r.size() == u.size() && idx(List.of(r.at()), List.of(u.at()));
            case Ex.Position q -> t instanceof Ex.Position u && q.shape().equals(u.shape()) && idx(q.at(), u.at());
            case Ex.ArgMax m -> t instanceof Ex.ArgMax u && binder(m.vars(), u.vars(), m.body(), u.body());
            case Ex.Neg u -> t instanceof Ex.Neg v && ex(u.a(), v.a());
            case Ex.Call c -> t instanceof Ex.Call d && c.f() == d.f() && all(c.args(), d.args());
            case Ex.Binary b -> t instanceof Ex.Binary c && b.op() == c.op() && ex(b.a(), c.a()) && ex(b.b(), c.b());
            case Ex.Cmp c -> t instanceof Ex.Cmp d && c.op() == d.op() && ex(c.a(), d.a()) && ex(c.b(), d.b());
            case Ex.Select s -> t instanceof Ex.Select u && ex(s.cond(), u.cond()) && ex(s.then(), u.then())
                    && ex(s.otherwise(), u.otherwise());
            case Ex.NoGrad n -> t instanceof Ex.NoGrad m && ex(n.a(), m.a());
            case Ex.Apply a -> t instanceof Ex.Apply b && a.f() == b.f() && all(a.args(), b.args());
            case Ex.Sum s -> t instanceof Ex.Sum u && binder(List.of(s.i()), List.of(u.i()), s.body(), u.body());
            case Ex.Max s -> t instanceof Ex.Max u && binder(List.of(s.i()), List.of(u.i()), s.body(), u.body());
            case Ex.Fused f -> false;
        };
    }

    private boolean all(List<Ex> ps, List<Ex> ts) {
        for (int k = 0; k < ps.size(); k++) if (!ex(ps.get(k), ts.get(k))) return false;
        return true;
    }

    private boolean binder(List<IndexVar> ps, List<IndexVar> ts, Ex pb, Ex tb) {
        if (ps.size() != ts.size()) return false;
        for (int k = 0; k < ps.size(); k++) if (ps.get(k).range() != ts.get(k).range()) return false;
        for (int k = 0; k < ps.size(); k++) alpha.put(ps.get(k), ts.get(k));
        boolean ok = ex(pb, tb);
        ps.forEach(alpha::remove);
        return ok;
    }

    private boolean idx(List<Idx> ps, List<Idx> ts) {
        for (int k = 0; k < ps.size(); k++) {
            Idx p = ps.get(k), t = ts.get(k);
            switch (p) {
                case Idx.Fixed f -> {
                    if (!f.equals(t)) return false;
                }
                case Idx.Var v -> {
                    if (alpha.containsKey(v.v())) {
                        if (!(t instanceof Idx.Var w) || w.v() != alpha.get(v.v())) return false;
                    } else if (holes.contains(v.v())) {
                        Idx prev = bound.putIfAbsent(v.v(), t);
                        if (prev != null && !prev.equals(t)) return false;
                    } else if (!p.equals(t)) {
                        return false;
                    }
                }
                case Idx.Affine a -> {
                    // the same coefficients and constant, term by term; a hole only ever stands for a variable here
                    if (!(t instanceof Idx.Affine b) || a.constant() != b.constant() || a.terms().size() != b.terms().size()) return false;
                    for (int j = 0; j < a.terms().size(); j++) {
                        var pt = a.terms().get(j);
                        var tt = b.terms().get(j);
                        if (pt.coefficient() != tt.coefficient()) return false;
                        if (!idx(List.of(Idx.of(pt.v())), List.of(Idx.of(tt.v())))) return false;
                    }
                }
            }
        }
        return true;
    }
}
