package dev.nnc.ir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Generic operations on IR expressions: rebuilding, substitution, free variables, structural keys. */
public final class Exprs {
    private Exprs() {}

    /** Rebuilds e with f applied to each direct child (not recursively). */
    public static Ex mapChildren(Ex e, UnaryOperator<Ex> f) {
        return switch (e) {
            case Ex.Num n -> n;
            case Ex.Load l -> l;
            case Ex.Arg a -> a;
            case Ex.Same s -> s;
            case Ex.InRange r -> r;
            case Ex.Position p -> p;
            case Ex.ArgMax m -> new Ex.ArgMax(m.vars(), f.apply(m.body()));
            case Ex.Neg u -> new Ex.Neg(f.apply(u.a()));
            case Ex.Binary b -> new Ex.Binary(b.op(), f.apply(b.a()), f.apply(b.b()));
            case Ex.Call c -> new Ex.Call(c.f(), c.args().stream().map(f).toList());
            case Ex.Cmp c -> new Ex.Cmp(c.op(), f.apply(c.a()), f.apply(c.b()));
            case Ex.Select s -> new Ex.Select(f.apply(s.cond()), f.apply(s.then()), f.apply(s.otherwise()));
            case Ex.Sum s -> new Ex.Sum(s.i(), f.apply(s.body()));
            case Ex.Max m -> new Ex.Max(m.i(), f.apply(m.body()));
            case Ex.NoGrad n -> new Ex.NoGrad(f.apply(n.a()));
            case Ex.Apply a -> new Ex.Apply(a.f(), a.args().stream().map(f).toList());
            case Ex.Fused fu -> new Ex.Fused(fu.rule(), f.apply(fu.value()), fu.partials().stream()
                    .map(p -> new Ex.Partial(p.vars(), p.target(), f.apply(p.derivative()))).toList());
        };
    }

    /** Rewrites bottom-up: children first, then f on the rebuilt node. */
    public static Ex transform(Ex e, UnaryOperator<Ex> f) {
        return f.apply(mapChildren(e, c -> transform(c, f)));
    }

    /** e with the node {@code target} (by identity, found from the top down) replaced. */
    public static Ex replace(Ex e, Ex target, Ex with) {
        if (e == target) return with;
        return mapChildren(e, c -> replace(c, target, with));
    }

    /** Visits every node, parents before children (function bodies are not entered). */
    public static void visit(Ex e, Consumer<Ex> f) {
        f.accept(e);
        switch (e) {
            case Ex.Fused fu -> {
                visit(fu.value(), f);
                for (var p : fu.partials()) {
                    visit(p.target(), f);
                    visit(p.derivative(), f);
                }
            }
            default -> mapChildren(e, c -> {
                visit(c, f);
                return c;
            });
        }
    }

    /** Every tensor e reads. */
    public static Set<Tensor> reads(Ex e) {
        Set<Tensor> out = new LinkedHashSet<>();
        visit(e, x -> {
            if (x instanceof Ex.Load l) out.add(l.tensor());
        });
        return out;
    }

    /** Replaces index variables (free occurrences) by subscripts; binders inside are copied fresh. */
    public static Ex substitute(Ex e, Map<IndexVar, Idx> map) {
        return switch (e) {
            case Ex.Load l -> new Ex.Load(l.tensor(), l.idx().stream().map(i -> sub(i, map)).toList());
            case Ex.Same s -> new Ex.Same(sub(s.a(), map), sub(s.b(), map));
            case Ex.InRange r -> new Ex.InRange(sub(r.at(), map), r.size());
            case Ex.Position p -> new Ex.Position(p.at().stream().map(i -> sub(i, map)).toList(), p.shape());
            case Ex.ArgMax m -> {
                var inner = new HashMap<>(map);
                List<IndexVar> fresh = new ArrayList<>();
                for (IndexVar v : m.vars()) {
                    fresh.add(v.fresh());
                    inner.put(v, Idx.of(fresh.getLast()));
                }
                yield new Ex.ArgMax(fresh, substitute(m.body(), inner));
            }
            case Ex.Sum s -> {
                var fresh = s.i().fresh();
                var inner = new HashMap<>(map);
                inner.put(s.i(), Idx.of(fresh));
                yield new Ex.Sum(fresh, substitute(s.body(), inner));
            }
            case Ex.Max m -> {
                var fresh = m.i().fresh();
                var inner = new HashMap<>(map);
                inner.put(m.i(), Idx.of(fresh));
                yield new Ex.Max(fresh, substitute(m.body(), inner));
            }
            case Ex.Fused fu -> {
                List<Ex.Partial> ps = new ArrayList<>();
                for (var p : fu.partials()) {
                    var inner = new HashMap<>(map);
                    List<IndexVar> vars = new ArrayList<>();
                    for (var v : p.vars()) {
                        var fresh = v.fresh();
                        vars.add(fresh);
                        inner.put(v, Idx.of(fresh));
                    }
                    ps.add(new Ex.Partial(vars, (Ex.Load) substitute(p.target(), inner), substitute(p.derivative(), inner)));
                }
                yield new Ex.Fused(fu.rule(), substitute(fu.value(), map), ps);
            }
            default -> mapChildren(e, c -> substitute(c, map));
        };
    }

    private static Idx sub(Idx i, Map<IndexVar, Idx> map) {
        return map.isEmpty() ? i : Idx.substitute(i, map);
    }

    /** A copy of e with every binder fresh, so it can be placed beside or inside the original. */
    public static Ex copy(Ex e) { return substitute(e, Map.of()); }

    /** The body of a def instantiated at the given subscripts. */
    public static Ex instantiate(Def d, List<Idx> at) {
        Map<IndexVar, Idx> map = new HashMap<>();
        for (int k = 0; k < d.vars().size(); k++) map.put(d.vars().get(k), at.get(k));
        return substitute(d.body(), map);
    }

    /** A function's body (or derivative) with its arguments put in. */
    public static Ex bindArgs(Ex body, List<Ex> args) {
        return transform(copy(body), x -> x instanceof Ex.Arg a ? args.get(a.k()) : x);
    }

    /** The index variables e uses without binding them. */
    public static Set<IndexVar> freeVars(Ex e) {
        Set<IndexVar> out = new LinkedHashSet<>();
        free(e, new HashSet<>(), out);
        return out;
    }

    private static void free(Ex e, Set<IndexVar> bound, Set<IndexVar> out) {
        switch (e) {
            case Ex.Load l -> l.idx().forEach(i -> idxFree(i, bound, out));
            case Ex.Same s -> {
                idxFree(s.a(), bound, out);
                idxFree(s.b(), bound, out);
            }
            case Ex.InRange r -> idxFree(r.at(), bound, out);
            case Ex.Position p -> p.at().forEach(i -> idxFree(i, bound, out));
            case Ex.ArgMax m -> {
                var inner = new HashSet<>(bound);
                inner.addAll(m.vars());
                free(m.body(), inner, out);
            }
            case Ex.Sum s -> {
                var inner = new HashSet<>(bound);
                inner.add(s.i());
                free(s.body(), inner, out);
            }
            case Ex.Max m -> {
                var inner = new HashSet<>(bound);
                inner.add(m.i());
                free(m.body(), inner, out);
            }
            case Ex.Fused fu -> {
                free(fu.value(), bound, out);
                for (var p : fu.partials()) {
                    var inner = new HashSet<>(bound);
                    inner.addAll(p.vars());
                    free(p.target(), inner, out);
                    free(p.derivative(), inner, out);
                }
            }
            default -> mapChildren(e, c -> {
                free(c, bound, out);
                return c;
            });
        }
    }

    private static void idxFree(Idx i, Set<IndexVar> bound, Set<IndexVar> out) {
        for (Idx.Term t : Idx.terms(i)) if (!bound.contains(t.v())) out.add(t.v());
    }

    /**
     * A structural key: equal for expressions that are equal up to the names of bound index variables.
     * Free variables and tensors count by identity. Used for common subexpressions and pattern matching.
     */
    public static String key(Ex e) {
        var sb = new StringBuilder();
        key(e, new IdentityHashMap<>(), sb);
        return sb.toString();
    }

    private static void key(Ex e, Map<IndexVar, Integer> bound, StringBuilder sb) {
        switch (e) {
            case Ex.Num n -> sb.append(Double.doubleToLongBits(n.value())).append('n');
            case Ex.Load l -> {
                sb.append("L").append(l.tensor().id).append('[');
                for (Idx i : l.idx()) idxKey(i, bound, sb);
                sb.append(']');
            }
            case Ex.Arg a -> sb.append("A").append(a.k());
            case Ex.Same s -> {
                sb.append("S(");
                idxKey(s.a(), bound, sb);
                idxKey(s.b(), bound, sb);
                sb.append(')');
            }
            case Ex.InRange r -> {
                sb.append("R").append(r.size()).append('(');
                idxKey(r.at(), bound, sb);
                sb.append(')');
            }
            case Ex.Position p -> {
                sb.append("P").append(p.shape()).append('(');
                p.at().forEach(i -> idxKey(i, bound, sb));
                sb.append(')');
            }
            case Ex.ArgMax m -> binderKey("AM", m.vars(), m.body(), bound, sb);
            case Ex.Neg u -> {
                sb.append("NEG(");
                key(u.a(), bound, sb);
                sb.append(')');
            }
            case Ex.Call c -> {
                sb.append(c.f()).append('(');
                for (int k = 0; k < c.args().size(); k++) {
                    if (k > 0) sb.append(',');
                    key(c.args().get(k), bound, sb);
                }
                sb.append(')');
            }
            case Ex.Binary b -> {
                sb.append(b.op()).append('(');
                key(b.a(), bound, sb);
                sb.append(',');
                key(b.b(), bound, sb);
                sb.append(')');
            }
            case Ex.Cmp c -> {
                sb.append(c.op()).append('(');
                key(c.a(), bound, sb);
                sb.append(',');
                key(c.b(), bound, sb);
                sb.append(')');
            }
            case Ex.Select s -> {
                sb.append("?(");
                key(s.cond(), bound, sb);
                sb.append(',');
                key(s.then(), bound, sb);
                sb.append(',');
                key(s.otherwise(), bound, sb);
                sb.append(')');
            }
            case Ex.Sum s -> binderKey("Σ", List.of(s.i()), s.body(), bound, sb);
            case Ex.Max m -> binderKey("M", List.of(m.i()), m.body(), bound, sb);
            case Ex.NoGrad n -> {
                sb.append("NG(");
                key(n.a(), bound, sb);
                sb.append(')');
            }
            case Ex.Apply a -> {
                sb.append("F").append(System.identityHashCode(a.f())).append('(');
                for (Ex x : a.args()) {
                    key(x, bound, sb);
                    sb.append(',');
                }
                sb.append(')');
            }
            case Ex.Fused fu -> {
                sb.append("FU").append(fu.rule()).append('(');
                key(fu.value(), bound, sb);
                sb.append(')');
            }
        }
    }

    private static void binderKey(String tag, List<IndexVar> vars, Ex body, Map<IndexVar, Integer> bound, StringBuilder sb) {
        sb.append(tag);
        for (IndexVar i : vars) {
            bound.put(i, bound.size());
            sb.append(i.range()).append(',');
        }
        sb.append('(');
        key(body, bound, sb);
        sb.append(')');
        vars.forEach(bound::remove);
    }

    /** A subscript's key, its variables by identity: equal for equal subscripts. */
    public static String idxKey(Idx i) {
        var sb = new StringBuilder();
        idxKey(i, Map.of(), sb);
        return sb.toString();
    }

    private static void idxKey(Idx i, Map<IndexVar, Integer> bound, StringBuilder sb) {
        switch (i) {
            case Idx.Fixed f -> sb.append('#').append(f.position());
            case Idx.Var v -> varKey(v.v(), bound, sb);
            case Idx.Affine a -> {
                for (Idx.Term t : a.terms()) {
                    sb.append(t.coefficient()).append('*');
                    varKey(t.v(), bound, sb);
                    sb.append('+');
                }
                sb.append(a.constant());
            }
        }
        sb.append(';');
    }

    private static void varKey(IndexVar v, Map<IndexVar, Integer> bound, StringBuilder sb) {
        Integer b = bound.get(v);
        if (b != null) sb.append('b').append(b);
        else sb.append('v').append(v.id);
    }

    public static boolean isNum(Ex e, double v) { return e instanceof Ex.Num n && n.value() == v; }

    /** The variables of Σs nested directly in one another from {@code top} on: Σₖ Σₚ Σ_q … gives k, p, q. */
    public static List<IndexVar> sumChain(Ex.Sum top) {
        List<IndexVar> out = new ArrayList<>();
        for (Ex e = top; e instanceof Ex.Sum s; e = s.body()) out.add(s.i());
        return out;
    }

    /** What the innermost of those Σs sums. */
    public static Ex underSums(Ex.Sum top) {
        Ex e = top;
        while (e instanceof Ex.Sum s) e = s.body();
        return e;
    }

    /** The tensors computing e reads: of a fused value, the value's (its partials are for DIFFERENTIATE). */
    public static Set<Tensor> valueReads(Ex e) {
        Set<Tensor> out = new LinkedHashSet<>();
        valueReads(e, out);
        return out;
    }

    private static void valueReads(Ex e, Set<Tensor> out) {
        switch (e) {
            case Ex.Load l -> out.add(l.tensor());
            case Ex.Fused f -> valueReads(f.value(), out);
            default -> Exprs.mapChildren(e, c -> {
                valueReads(c, out);
                return c;
            });
        }
    }
}
