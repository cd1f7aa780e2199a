package dev.nnc.opt;

import dev.nnc.ast.Expr.Compare;
import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OPTIMIZE, after DIFFERENTIATE: simplifies the backward pass, makes it reuse the forward values (σ′ reads
 * σ's output: {@code n5 · (1 - n5)}, ReLU′ reads ReLU's output: {@code [h[j] > 0]}), inlines the adjoints
 * that are only a step on the way (∂J/∂n5 into δn5), removes what no gradient needs, and computes each max
 * window's argmax once ({@link Argmax}).
 */
public final class Optimize {
    private Optimize() {}

    public static Graph run(Graph g) {
        var forms = new Forms(g.forward());
        List<Def> backward = new ArrayList<>();
        for (Def d : g.backward()) backward.add(d.withBody(reuse(Simplify.simplify(d.body()), g.forward(), forms)));
        backward = inline(backward, g);
        backward = dead(backward, g);
        List<Def> out = new ArrayList<>();
        for (Def d : backward) out.add(d.withBody(reuse(Simplify.simplify(d.body()), g.forward(), forms)));
        return g.withBackward(Argmax.hoist(out, g.names()), g.gradients());
    }

    // ─── Reusing forward values ───────────────────────────────────────────────────────────────────

    /** Replaces, top-down, every subterm that is a forward def's body by a read of that def. */
    static Ex reuse(Ex e, List<Def> forward) { return reuse(e, forward, new Forms(forward)); }

    private static Ex reuse(Ex e, List<Def> forward, Forms forms) {
        for (Def d : forms.candidates(e)) {
            Map<IndexVar, Idx> at = Match.match(d.body(), d.vars(), e);
            if (at != null) return new Ex.Load(d.tensor(), d.vars().stream().map(at::get).toList());
        }
        if (e instanceof Ex.Cmp c) {
            Ex r = reluOutput(c, forward);
            if (r != null) return r;
        }
        return Exprs.mapChildren(e, x -> reuse(x, forward, forms));
    }

    /**
     * The forward defs a term might be the body of, found by the term's form: a hash blind to subscripts and bound
     * names, so every term a body can match has the body's form. Each term's form is computed once, bottom-up; trying
     * every def's body at every term instead made a sum of n terms take n² steps.
     */
    private static final class Forms {
        private final Map<Integer, List<Def>> byForm = new HashMap<>();
        private final Map<Ex, Integer> known = new IdentityHashMap<>();

        Forms(List<Def> forward) {
            for (Def d : forward) {
                if (d.body() instanceof Ex.Load || d.body() instanceof Ex.Num || d.body() instanceof Ex.Fused) continue;
                byForm.computeIfAbsent(form(d.body()), k -> new ArrayList<>()).add(d);
            }
        }

        List<Def> candidates(Ex e) { return byForm.getOrDefault(form(e), List.of()); }

        private int form(Ex e) {
            Integer known = this.known.get(e);
            if (known != null) return known;
            int[] h = {e.getClass().hashCode() * 31 + switch (e) {
                case Ex.Num n -> Double.hashCode(n.value());
                case Ex.Load l -> l.tensor().id;
                case Ex.Binary b -> b.op().ordinal();
                case Ex.Call c -> c.f().ordinal();
                case Ex.Cmp c -> c.op().ordinal();
                case Ex.Apply a -> System.identityHashCode(a.f());
                case Ex.Arg a -> a.k();
                case Ex.Fused f -> f.rule().hashCode();
                default -> 0;
            }};
            Exprs.mapChildren(e, c -> {
                h[0] = h[0] * 31 + form(c);
                return c;
            });
            this.known.put(e, h[0]);
            return h[0];
        }
    }

    /**
     * [z > 0] and [z ≤ 0] where h = max(0, z): the same as [h > 0] and [h ≤ 0], and z need not be kept. z may be any
     * term: a pool fused with its ReLU tests [max_p max_q z[…] > 0], which is [m[c,k,l] > 0].
     */
    private static Ex reluOutput(Ex.Cmp c, List<Def> forward) {
        if (!(c.op() == Compare.GT || c.op() == Compare.LE) || !Exprs.isNum(c.b(), 0)) return null;
        Ex z = c.a();
        for (Def d : forward) {
            if (!(d.body() instanceof Ex.Call b) || b.f() != Primitive.MAX) continue;
            Ex arg = Exprs.isNum(b.a(), 0) ? b.b() : Exprs.isNum(b.b(), 0) ? b.a() : null;
            if (arg == null) continue;
            Map<IndexVar, Idx> at = Match.match(arg, d.vars(), z);
            if (at != null) return new Ex.Cmp(c.op(), new Ex.Load(d.tensor(), d.vars().stream().map(at::get).toList()), c.b());
        }
        return null;
    }

    // ─── Inlining ─────────────────────────────────────────────────────────────────────────────────

    /**
     * Inlines an adjoint into its one reader when that read is not under a Σ (so nothing is computed more
     * often): the ∂J/∂h of an activation's output, and adjoints that are mere copies.
     */
    private static List<Def> inline(List<Def> defs, Graph g) {
        // Inlining an adjoint read once, not under a binder, moves its reads into that one reader at the same depth
        // of binders: the counts below hold throughout, so one pass in order (a def before its readers) inlines
        // every one, chains included, where re-counting after each would take steps quadratic in the defs.
        Map<Tensor, Integer> uses = new HashMap<>();
        Set<Tensor> underBinder = new HashSet<>();
        for (Def d : defs) count(d.body(), false, uses, underBinder);
        Map<Tensor, Def> inlined = new IdentityHashMap<>();
        List<Def> out = new ArrayList<>();
        for (Def d : defs) {
            Def rewritten = inlined.isEmpty() ? d : d.withBody(Exprs.transform(d.body(), x -> x instanceof Ex.Load l
                    && inlined.containsKey(l.tensor()) ? Exprs.instantiate(inlined.get(l.tensor()), l.idx()) : x));
            Tensor t = d.tensor();
            boolean step = t.name.startsWith("∂J/∂") || rewritten.body() instanceof Ex.Load || rewritten.body() instanceof Ex.Num;
            if (t.role == Tensor.Role.ADJOINT && uses.getOrDefault(t, 0) == 1 && !underBinder.contains(t) && step) {
                inlined.put(t, rewritten);
            } else {
                out.add(rewritten);
            }
        }
        return out;
    }

    private static void count(Ex e, boolean binder, Map<Tensor, Integer> uses, Set<Tensor> underBinder) {
        switch (e) {
            case Ex.Load l -> {
                uses.merge(l.tensor(), 1, Integer::sum);
                if (binder) underBinder.add(l.tensor());
            }
            case Ex.Sum s -> count(s.body(), true, uses, underBinder);
            case Ex.Max m -> count(m.body(), true, uses, underBinder);
            case Ex.ArgMax m -> count(m.body(), true, uses, underBinder);
            default -> Exprs.mapChildren(e, c -> {
                count(c, binder, uses, underBinder);
                return c;
            });
        }
    }

    // ─── Dead code ────────────────────────────────────────────────────────────────────────────────

    private static List<Def> dead(List<Def> defs, Graph g) {
        Set<Tensor> live = new HashSet<>(g.gradients().values());
        for (Def d : defs) if (d.tensor().role == Tensor.Role.ADJOINT && d.tensor().adjointOf.role == Tensor.Role.INPUT) live.add(d.tensor());
        for (int k = defs.size() - 1; k >= 0; k--) {
            if (live.contains(defs.get(k).tensor())) live.addAll(Exprs.reads(defs.get(k).body()));
        }
        return defs.stream().filter(d -> live.contains(d.tensor())).toList();
    }
}
