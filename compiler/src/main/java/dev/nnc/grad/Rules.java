package dev.nnc.grad;

import dev.nnc.ast.Expr.Compare;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Function;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The derivative rules, one per primitive operation, all in this one table. {@link #backprop} pushes the
 * adjoint {@code g} of an expression down to its operands: for {@code a · b}, a receives {@code g · b}
 * and b receives {@code g · a}. Where a rule needs the operation's own value (exp, √, a/b, aⁿ) it uses
 * the node itself, so OPTIMIZE can find it among the forward values.
 */
final class Rules {
    private Rules() {}

    /** Receives {@code target += g} for every assignment of the variables in scope. */
    interface Contributions {
        void add(Ex.Load target, Ex g, List<IndexVar> scope);
    }

    /** The tensors e's value depends on (a fused value: its partials' targets, not their derivatives). */
    static Set<Tensor> dependencies(Ex e) {
        Set<Tensor> out = new LinkedHashSet<>();
        collect(e, out);
        return out;
    }

    private static void collect(Ex e, Set<Tensor> out) {
        switch (e) {
            case Ex.Load l -> out.add(l.tensor());
            case Ex.Fused f -> {
                collect(f.value(), out);
                for (var p : f.partials()) out.add(p.target().tensor());
            }
            default -> Exprs.mapChildren(e, c -> {
                collect(c, out);
                return c;
            });
        }
    }

    /**
     * Whether e reads an active tensor, each node decided once and remembered: the walk asks it of every
     * subterm on its way down, and asking afresh each time made a sum of n terms take n² steps.
     */
    private static boolean varies(Ex e, Set<Tensor> active, Map<Ex, Boolean> known) {
        Boolean k = known.get(e);
        if (k != null) return k;
        boolean v = switch (e) {
            case Ex.Load l -> active.contains(l.tensor());
            case Ex.Fused f -> varies(f.value(), active, known)
                    || f.partials().stream().anyMatch(p -> active.contains(p.target().tensor()));
            default -> {
                boolean[] any = {false};
                Exprs.mapChildren(e, c -> {
                    any[0] |= varies(c, active, known);
                    return c;
                });
                yield any[0];
            }
        };
        known.put(e, v);
        return v;
    }

    static void backprop(Ex e, Ex g, List<IndexVar> scope, Contributions out, Set<Tensor> active) {
        new Walk(out, active, null).go(e, g, scope);
    }

    /** ∂f/∂(argument k), over the function's arguments: stated, or derived from the body by these rules. */
    static Ex partial(Function f, int k) {
        Ex stated = f.stated(k);
        if (stated != null) return stated;
        return DERIVED.computeIfAbsent(f, x -> new IdentityHashMap<>()).computeIfAbsent(k, x -> {
            List<Ex> parts = new ArrayList<>();
            new Walk(null, Set.of(), (arg, g) -> {
                if (arg.k() == k) parts.add(g);
            }).go(f.body(), new Ex.Num(1), new ArrayList<>());
            if (parts.isEmpty()) return new Ex.Num(0);
            Ex sum = parts.get(0);
            for (int p = 1; p < parts.size(); p++) sum = Ex.add(sum, parts.get(p));
            return sum;
        });
    }

    private static final Map<Function, Map<Integer, Ex>> DERIVED = Collections.synchronizedMap(new IdentityHashMap<>());

    private record Walk(Contributions out, Set<Tensor> active, BiConsumer<Ex.Arg, Ex> args, Map<Ex, Boolean> known) {
        Walk(Contributions out, Set<Tensor> active, BiConsumer<Ex.Arg, Ex> args) {
            this(out, active, args, new IdentityHashMap<>());
        }

        /** Whether e can carry a derivative: it reads an active tensor, or (in a function body) an argument. */
        private boolean live(Ex e) {
            if (args != null) {
                boolean[] any = {false};
                Exprs.visit(e, x -> {
                    if (x instanceof Ex.Arg) any[0] = true;
                });
                return any[0];
            }
            return varies(e, active, known);
        }

        void go(Ex e, Ex g, List<IndexVar> scope) {
            if (!live(e)) return;
            switch (e) {
                case Ex.Num n -> { }
                case Ex.Cmp c -> { }      // piecewise constant
                case Ex.Same s -> { }
                case Ex.InRange r -> { }  // a guard: piecewise constant
                case Ex.Position p -> { }
                case Ex.ArgMax a -> { }
                case Ex.NoGrad n -> { }   // a shift whose effect cancels out
                case Ex.Max m -> {
                    // the subgradient goes to the window's first maximum (in row-major order over a chain of maxes,
                    // max_p max_q), as PyTorch's max pooling sends it
                    List<IndexVar> window = new ArrayList<>();
                    Ex body = m;
                    while (body instanceof Ex.Max inner) {
                        window.add(inner.i());
                        body = inner.body();
                    }
                    var inner = new ArrayList<>(scope);
                    inner.addAll(window);
                    Map<IndexVar, Idx> rename = new HashMap<>();
                    List<IndexVar> others = new ArrayList<>();
                    for (IndexVar v : window) {
                        others.add(v.fresh());
                        rename.put(v, Idx.of(others.getLast()));
                    }
                    var argmax = new Ex.ArgMax(others, Exprs.substitute(body, rename));
                    Ex at = new Ex.Position(window.stream().map(Idx::of).toList(), argmax.shape());
                    go(body, new Ex.Select(new Ex.Cmp(Compare.EQ, at, argmax), g, new Ex.Num(0)), inner);
                }
                case Ex.Arg a -> args.accept(a, g);
                case Ex.Load l -> out.add(l, g, scope);
                case Ex.Neg u -> go(u.a(), Ex.neg(g), scope);
                case Ex.Binary b -> binary(b, g, scope);
                case Ex.Call c -> call(c, g, scope);
                case Ex.Select s -> {
                    go(s.then(), new Ex.Select(s.cond(), g, new Ex.Num(0)), scope);
                    go(s.otherwise(), new Ex.Select(s.cond(), new Ex.Num(0), g), scope);
                }
                case Ex.Sum s -> {
                    var inner = new ArrayList<>(scope);
                    inner.add(s.i());
                    go(s.body(), g, inner);
                }
                case Ex.Apply a -> {
                    for (int k = 0; k < a.args().size(); k++) {
                        Ex arg = a.args().get(k);
                        if (!live(arg)) continue;
                        go(arg, Ex.mul(g, Exprs.bindArgs(partial(a.f(), k), a.args())), scope);
                    }
                }
                case Ex.Fused f -> {
                    for (var p : f.partials()) {
                        var inner = new ArrayList<>(scope);
                        inner.addAll(p.vars());
                        go(p.target(), Ex.mul(g, p.derivative()), inner);
                    }
                }
            }
        }

        private void binary(Ex.Binary b, Ex g, List<IndexVar> scope) {
            Ex a = b.a(), c = b.b();
            switch (b.op()) {
                case ADD -> {
                    go(a, g, scope);
                    go(c, g, scope);
                }
                case SUB -> {
                    go(a, g, scope);
                    go(c, Ex.neg(g), scope);
                }
                case MUL -> {
                    go(a, Ex.mul(g, c), scope);
                    go(c, Ex.mul(g, a), scope);
                }
                case DIV -> {
                    go(a, Ex.div(g, c), scope);
                    go(c, Ex.neg(Ex.div(Ex.mul(g, b), c)), scope);
                }
                case POW -> {
                    if (c instanceof Ex.Num n) {
                        Ex power = n.value() == 2 ? a : new Ex.Binary(Ex.BinOp.POW, a, new Ex.Num(n.value() - 1));
                        go(a, Ex.mul(g, Ex.mul(new Ex.Num(n.value()), power)), scope);
                    } else {
                        go(a, Ex.mul(g, Ex.mul(c, new Ex.Binary(Ex.BinOp.POW, a, Ex.sub(c, new Ex.Num(1))))), scope);
                        go(c, Ex.mul(g, Ex.mul(b, Ex.call(Primitive.LOG, a))), scope);
                    }
                }
            }
        }

        /** The rule of each primitive: its partial derivatives, applied to the adjoint g. */
        private void call(Ex.Call e, Ex g, List<IndexVar> scope) {
            Ex a = e.a();
            switch (e.f()) {
                case EXP -> go(a, Ex.mul(g, e), scope);
                case LOG -> go(a, Ex.div(g, a), scope);
                case SQRT -> go(a, Ex.div(g, Ex.mul(new Ex.Num(2), e)), scope);
                // at 0 the right-hand derivative, as docs/language.md says
                case ABS -> go(a, new Ex.Select(new Ex.Cmp(Compare.GE, a, new Ex.Num(0)), g, Ex.neg(g)), scope);
                // at a tie the first operand's side, one of the one-sided derivatives
                case MAX -> {
                    Ex first = new Ex.Cmp(Compare.GE, a, e.b());
                    go(a, new Ex.Select(first, g, new Ex.Num(0)), scope);
                    go(e.b(), new Ex.Select(first, new Ex.Num(0), g), scope);
                }
                case MIN -> {
                    Ex first = new Ex.Cmp(Compare.LE, a, e.b());
                    go(a, new Ex.Select(first, g, new Ex.Num(0)), scope);
                    go(e.b(), new Ex.Select(first, new Ex.Num(0), g), scope);
                }
                // 2/√π · e^(−x²)
                case ERF -> go(a, Ex.mul(g, Ex.mul(new Ex.Num(2 / Math.sqrt(Math.PI)),
                        Ex.call(Primitive.EXP, Ex.neg(new Ex.Binary(Ex.BinOp.POW, a, new Ex.Num(2)))))), scope);
            }
        }
    }
}
