package dev.nnc.ir;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the IR's invariants; {@code driver.Compile} runs it after every stage of every compilation (one linear
 * walk, cheap beside the stages), so a broken pass is caught where it broke. A failure is a compiler bug:
 * every read is of a tensor known at that point (forward defs never read the backward pass) with as many
 * subscripts as it has dimensions, each variable bound and ranging over that dimension, fixed subscripts in
 * range, names unique, no function argument outside a function, every parameter with a gradient.
 */
public final class Verifier {
    private Verifier() {}

    public static Graph verify(Graph g, String stage) {
        Set<Tensor> known = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (List<Tensor> ts : List.of(g.inputs(), g.targets(), g.params())) {
            for (Tensor t : ts) {
                known.add(t);
                unique(t, names, stage);
            }
        }
        for (Def d : g.forward()) {
            if (!d.tensor().perSample() && d.tensor().role != Tensor.Role.VALUE) fail(stage, d, "a forward def of a " + d.tensor().role);
            check(d, known, stage);
            unique(d.tensor(), names, stage);
            known.add(d.tensor());
        }
        if (!known.contains(g.loss()) || g.loss().rank() != 0) throw new IllegalStateException("internal: after " + stage + ": bad loss");
        for (Tensor o : g.outputs()) if (!known.contains(o)) throw new IllegalStateException("internal: after " + stage + ": output " + o + " undefined");
        for (Def d : g.backward()) {
            check(d, known, stage);
            unique(d.tensor(), names, stage);
            known.add(d.tensor());
        }
        if (!g.backward().isEmpty()) {
            for (Tensor p : g.params()) {
                Tensor grad = g.gradients().get(p);
                if (grad == null || !known.contains(grad) || !grad.shape.equals(p.shape)) {
                    throw new IllegalStateException("internal: after " + stage + ": no gradient for " + p);
                }
            }
        }
        return g;
    }

    private static void unique(Tensor t, Set<String> names, String stage) {
        if (!names.add(t.name)) throw new IllegalStateException("internal: after " + stage + ": two tensors named " + t.name);
    }

    /** The variables bound where an expression stands, and the guards ([0 ≤ at < size]) that hold there. */
    private record Scope(Set<IndexVar> vars, Set<Guard> guards) {
        Scope with(IndexVar i) {
            var inner = new HashSet<>(vars);
            inner.add(i);
            return new Scope(inner, guards);
        }
    }

    /** [0 ≤ at < size] holds. */
    private record Guard(Idx at, int size) {
        /**
         * Whether a subscript s stays in 0 … dim − 1 where the guard holds: s = at + d, d over its variables'
         * ranges, at over 0 … size − 1.
         */
        boolean keeps(Idx s, int dim) { return Guards.keeps(at, size, s, dim); }
    }

    private static void check(Def d, Set<Tensor> known, String stage) {
        for (int k = 0; k < d.vars().size(); k++) {
            if (d.vars().get(k).range() != d.tensor().shape.get(k)) fail(stage, d, "variable " + d.vars().get(k) + " has the wrong range");
        }
        Set<IndexVar> vars = new HashSet<>(d.vars());
        if (vars.size() != d.vars().size()) fail(stage, d, "a variable repeats on the left");
        ex(d.body(), new Scope(vars, Set.of()), known, d, stage);
    }

    private static void ex(Ex e, Scope scope, Set<Tensor> known, Def d, String stage) {
        switch (e) {
            case Ex.Load l -> {
                if (!known.contains(l.tensor())) fail(stage, d, "reads " + l.tensor() + " before it is defined");
                if (l.idx().size() != l.tensor().rank()) fail(stage, d, "reads " + l.tensor() + " with " + l.idx().size() + " subscripts");
                for (int k = 0; k < l.idx().size(); k++) idx(l.idx().get(k), l.tensor().shape.get(k), scope, d, stage);
            }
            case Ex.Same s -> {
                idx(s.a(), Integer.MAX_VALUE, scope, d, stage);
                idx(s.b(), Integer.MAX_VALUE, scope, d, stage);
            }
            case Ex.InRange r -> idx(r.at(), Integer.MAX_VALUE, scope, d, stage);
            case Ex.Position p -> p.at().forEach(i -> idx(i, Integer.MAX_VALUE, scope, d, stage));
            case Ex.ArgMax m -> {
                var inner = scope;
                for (IndexVar v : m.vars()) {
                    if (!v.bound()) fail(stage, d, "argmax over " + v + " has no range");
                    if (inner.vars().contains(v)) fail(stage, d, v + " is bound twice");
                    inner = inner.with(v);
                }
                ex(m.body(), inner, known, d, stage);
            }
            case Ex.Select s when Ex.Annotated.strip(s.cond()) instanceof Ex.InRange r -> {
                // the guard keeps the reads of its subscript within their tensor, where the subscript alone may leave it
                ex(s.cond(), scope, known, d, stage);
                var guarded = new HashSet<>(scope.guards());
                guarded.add(new Guard(r.at(), r.size()));
                ex(s.then(), new Scope(scope.vars(), guarded), known, d, stage);
                ex(s.otherwise(), scope, known, d, stage);
            }
            case Ex.Arg a -> fail(stage, d, "a function argument outside a function");
            case Ex.Sum s -> binder(s.i(), s.body(), scope, known, d, stage);
            case Ex.Max m -> binder(m.i(), m.body(), scope, known, d, stage);
            case Ex.Apply a -> {
                if (a.args().size() != a.f().arity) fail(stage, d, a.f() + " applied to " + a.args().size() + " arguments");
                a.args().forEach(x -> ex(x, scope, known, d, stage));
            }
            case Ex.Fused f -> {
                ex(f.value(), scope, known, d, stage);
                for (var p : f.partials()) {
                    var inner = scope;
                    for (IndexVar v : p.vars()) inner = inner.with(v);
                    ex(p.target(), inner, known, d, stage);
                    ex(p.derivative(), inner, known, d, stage);
                }
            }
            default -> Exprs.mapChildren(e, c -> {
                ex(c, scope, known, d, stage);
                return c;
            });
        }
    }

    private static void binder(IndexVar i, Ex body, Scope scope, Set<Tensor> known, Def d, String stage) {
        if (!i.bound()) fail(stage, d, "Σ over " + i + " has no range");
        if (scope.vars().contains(i)) fail(stage, d, i + " is bound twice");
        ex(body, scope.with(i), known, d, stage);
    }

    private static void idx(Idx i, int size, Scope scope, Def d, String stage) {
        switch (i) {
            case Idx.Fixed f -> {
                if (f.position() < 0 || f.position() >= size) fail(stage, d, "fixed subscript " + (f.position() + 1) + " out of range");
            }
            case Idx.Var v -> {
                if (!scope.vars().contains(v.v())) fail(stage, d, "free variable " + v.v());
                if (size != Integer.MAX_VALUE && v.v().range() != size) fail(stage, d, v.v() + " ranges over " + v.v().range() + ", not " + size);
            }
            case Idx.Affine a -> {
                for (Idx.Term t : a.terms()) if (!scope.vars().contains(t.v())) fail(stage, d, "free variable " + t.v());
                if (size != Integer.MAX_VALUE && (Idx.min(a) < 0 || Idx.max(a) >= size)
                        && scope.guards().stream().noneMatch(g -> g.keeps(a, size))) {
                    fail(stage, d, "the subscript " + a + " leaves a dimension of " + size + " unguarded");
                }
            }
        }
    }

    private static void fail(String stage, Def d, String what) {
        throw new IllegalStateException("internal: after " + stage + ", in " + IrPrinter.def(d, IrPrinter.Style.UNICODE) + ": " + what);
    }
}
