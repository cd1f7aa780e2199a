package dev.nnc.opt;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Guards;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OPTIMIZE's last step: each window's argmax computed once. A max pool's subgradient is
 * {@code δa[c,i,j] = Σₖ Σₗ δm[c,k,l] · [(i−2k+2, j−2l+2) = argmax_{p,q} a[c,2k+p−2,2l+q−2]] · …}, and its argmax
 * depends on the window (c, k, l) only, yet it stood in the def of every element of a: each of a window's four
 * elements scanned the whole window again. An argmax whose variables are fewer than those it is evaluated under
 * becomes a tensor of its own over them ({@code argmax_a[c,k,l] = argmax_{p,q} a[c,2k+p−2,2l+q−2]}), defined just
 * before its reader and read there.
 */
final class Argmax {
    /** The most elements such a tensor may have, per sample: beyond it, scanning again beats storing. */
    static final long MAX_ELEMENTS = 1 << 24;

    private final Set<String> names;
    private final List<Def> hoisted = new ArrayList<>();
    /** The defs so far, each hoisted argmax before the def it came from. */
    private final List<Def> out = new ArrayList<>();

    private Argmax(Set<String> names) { this.names = names; }

    /** The backward defs with their argmaxes hoisted; {@code names}: every tensor name the graph has. */
    static List<Def> hoist(List<Def> backward, Set<String> names) {
        var a = new Argmax(names);
        for (Def d : backward) a.out.add(d.withBody(a.walk(d.body(), d.vars(), List.of())));
        return a.out;
    }

    /** e with its argmaxes hoisted; scope: the variables bound where it stands, guards: the guards that hold there. */
    private Ex walk(Ex e, List<IndexVar> scope, List<Ex.InRange> guards) {
        return switch (e) {
            case Ex.ArgMax m -> {
                Ex read = read(m, scope, guards);
                if (read != null) yield read;
                var inner = new ArrayList<>(scope);
                inner.addAll(m.vars());
                yield new Ex.ArgMax(m.vars(), walk(m.body(), inner, guards));
            }
            case Ex.Sum s -> new Ex.Sum(s.i(), walk(s.body(), with(scope, s.i()), guards));
            case Ex.Max m -> new Ex.Max(m.i(), walk(m.body(), with(scope, m.i()), guards));
            case Ex.Select s when s.cond() instanceof Ex.InRange r -> {
                var held = new ArrayList<>(guards);
                held.add(r);
                yield new Ex.Select(r, walk(s.then(), scope, held), walk(s.otherwise(), scope, guards));
            }
            default -> Exprs.mapChildren(e, c -> walk(c, scope, guards));
        };
    }

    /**
     * A read of m's tensor, made or found; null when m is evaluated once per assignment of its variables anyway, or its
     * window reads safely only under a guard on other variables (it stays where it is).
     */
    private Ex read(Ex.ArgMax m, List<IndexVar> scope, List<Ex.InRange> guards) {
        Set<IndexVar> free = Exprs.freeVars(m);
        List<IndexVar> vars = scope.stream().filter(free::contains).toList();
        if (vars.size() == scope.size()) return null;
        long size = 1;
        for (IndexVar v : vars) size *= v.range();
        if (size > MAX_ELEMENTS) return null;
        // the guards on its variables alone go with it: where they fail, its position is never read (0 stands there)
        List<Ex.InRange> own = guards.stream().filter(g -> vars.containsAll(Exprs.freeVars(g))).toList();
        boolean[] unsafe = {false};
        Exprs.visit(m.body(), x -> {
            if (x instanceof Ex.Load l) {
                for (int k = 0; k < l.idx().size(); k++) unsafe[0] |= !Guards.inside(l.idx().get(k), l.tensor().shape.get(k), own);
            }
        });
        if (unsafe[0]) return null;
        for (Def h : hoisted) {
            Map<IndexVar, Idx> at = Match.match(h.body(), h.vars(), guarded(m, own));
            if (at != null) return new Ex.Load(h.tensor(), h.vars().stream().map(at::get).toList());
        }
        List<IndexVar> fresh = new ArrayList<>();
        Map<IndexVar, Idx> rename = new HashMap<>();
        for (IndexVar v : vars) {
            fresh.add(v.fresh());
            rename.put(v, Idx.of(fresh.getLast()));
        }
        var t = new Tensor(name(m), Tensor.Role.VALUE, vars.stream().map(IndexVar::range).toList(), null);
        Def def = new Def(t, fresh, Exprs.substitute(guarded(m, own), rename));
        hoisted.add(def);
        out.add(def); // before the def being walked, which is added after
        return new Ex.Load(t, vars.stream().map(Idx::of).toList());
    }

    /** m under the guards, innermost last. */
    private static Ex guarded(Ex m, List<Ex.InRange> guards) {
        Ex e = m;
        for (int k = guards.size() - 1; k >= 0; k--) e = new Ex.Select(guards.get(k), e, new Ex.Num(0));
        return e;
    }

    /** argmax_ and the first tensor the window reads (argmax_a1), made unique. */
    private String name(Ex.ArgMax m) {
        Tensor[] first = {null};
        Exprs.visit(m.body(), x -> {
            if (first[0] == null && x instanceof Ex.Load l) first[0] = l.tensor();
        });
        String base = "argmax_" + (first[0] == null ? "window" : first[0].name);
        String name = base;
        for (int k = 2; !names.add(name); k++) name = base + "_" + k;
        return name;
    }

    private static List<IndexVar> with(List<IndexVar> scope, IndexVar v) {
        var inner = new ArrayList<>(scope);
        inner.add(v);
        return inner;
    }
}
