package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.diag.Key;
import dev.nnc.diag.Severity;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;
import dev.nnc.source.Span;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Functions and neurons are generic: a body is checked once on its own (names, indices, ranks,
 * recursion) and then again for each distinct set of argument shapes it is called with, which infers
 * the result's shape and catches calls that do not fit.
 */
final class Functions {
    private final Scope scope;
    private final Reporter reporter;
    private final Set<Decl.Fn> broken = new HashSet<>();
    private final Map<Decl.Fn, Boolean> checked = new HashMap<>();
    private final Map<String, Shape> instances = new HashMap<>();
    private final Deque<Decl.Fn> instantiating = new ArrayDeque<>();

    /** Every place an index variable is written, and its range as inferred ({@link CheckedProgram#ranges}). */
    final Map<Span, Integer> ranges = new HashMap<>();

    Functions(Scope scope, Reporter reporter) {
        this.scope = scope;
        this.reporter = reporter;
    }

    Scope scope() { return scope; }

    // ─── Functions ────────────────────────────────────────────────────────────────────────────────

    /** The generic check of a function, once. */
    void check(Decl.Fn fn) {
        if (checked.putIfAbsent(fn, true) != null) return;
        List<Decl.Fn> cycle = recursion(fn, new ArrayList<>(), new HashSet<>());
        if (cycle != null) {
            var names = cycle.stream().map(f -> f.name().name()).toList();
            reporter.error(Key.RECURSIVE_FUNCTION, fn.name().span(), fn.name().name() + " calls itself ("
                    + String.join(" → ", names) + ")", "functions are formulas: write the recursion out");
            broken.add(fn);
        }
        Locals locals = Locals.plain();
        declareParams(fn.params(), Kind.ARGUMENT, locals);
        var checker = new ExprChecker(this, locals, recording(fn));
        Map<String, InferredIndex> results = bindResultIndices(fn.resultIndices(), checker);
        checker.check(fn.body());
        for (var e : results.entrySet()) {
            if (!e.getValue().subscripts) {
                reporter.error(Key.UNKNOWN_RANGE, e.getValue().declared, "cannot tell the range of " + e.getKey()
                        + ": it subscripts nothing on the right side", "the result index must subscript an argument");
                broken.add(fn);
            }
        }
        for (var d : fn.derivatives()) statedDerivative(fn, d, locals);
        warnUnused(fn.params(), locals, "function " + fn.name().name());
    }

    private Reporter recording(Decl.Fn fn) {
        return d -> {
            if (d.severity() == Severity.ERROR) broken.add(fn);
            reporter.report(d);
        };
    }

    private void statedDerivative(Decl.Fn fn, Decl.StatedDerivative d, Locals locals) {
        if (!d.of().name().equals(fn.name().name())) {
            reporter.error(Key.BAD_DERIVATIVE, d.of().span(), "a stated derivative must be of " + fn.name().name()
                    + ", not of " + d.of().name(), "write ∂" + fn.name().name() + "/∂" + d.wrt().name());
        } else if (!locals.has(d.wrt().name())) {
            reporter.error(Key.BAD_DERIVATIVE, d.wrt().span(), d.wrt().name() + " is not a parameter of "
                    + fn.name().name(), null);
        } else if (!fn.resultIndices().isEmpty()) {
            reporter.error(Key.BAD_DERIVATIVE, d.span(), "only scalar functions may state their derivative; "
                    + fn.name().name() + " is vector-valued", null);
        }
        new ExprChecker(this, locals, recording(fn)).check(d.body());
    }

    private Map<String, InferredIndex> bindResultIndices(List<Ident> names, ExprChecker checker) {
        Map<String, InferredIndex> out = new LinkedHashMap<>();
        for (Ident i : names) {
            if (out.containsKey(i.name())) {
                reporter.error(Key.DUPLICATE_INDEX, i.span(), "the index " + i.name() + " appears twice on the left",
                        "each index of the left side is a different one");
                continue;
            }
            out.put(i.name(), checker.bindIndex(i.name(), i.span()));
        }
        return out;
    }

    void declareParams(List<Decl.Param> params, Kind kind, Locals locals) {
        for (var p : params) {
            String name = p.name().name();
            if (locals.has(name)) {
                reporter.error(Key.DUPLICATE_DEFINITION, p.name().span(), "the parameter " + name + " is declared twice",
                        null, locals.get(name).span(), "first declared here");
                continue;
            }
            if (p.defaultValue() != null) Constants.eval(p.defaultValue(), reporter, "the default of " + name);
            locals.put(new Value.Generic(name, kind, p.name().span()));
        }
    }

    void warnUnused(List<Decl.Param> params, Locals locals, String owner) {
        for (var p : params) {
            if (locals.get(p.name().name()) instanceof Value.Generic g && !g.used && !locals.isUsed(g.name)) {
                reporter.error(Key.UNUSED, p.name().span(), "the parameter " + g.name + " of " + owner + " is never used", null);
            }
        }
    }

    /** A path of calls from fn back to itself, or null. Stated derivatives may call their function. */
    private List<Decl.Fn> recursion(Decl.Fn fn, List<Decl.Fn> path, Set<Decl.Fn> done) {
        path.add(fn);
        for (String callee : callees(fn.body())) {
            if (!(scope.lookup(callee) instanceof Symbol s) || !(s.target() instanceof Symbol.Fn f)) continue;
            if (f.decl() == path.get(0)) {
                var cycle = new ArrayList<>(path);
                cycle.add(f.decl());
                return cycle;
            }
            if (path.contains(f.decl()) || !done.add(f.decl())) continue;
            var found = recursion(f.decl(), path, done);
            if (found != null) return found;
        }
        path.remove(path.size() - 1);
        return null;
    }

    private static Set<String> callees(Expr e) {
        Set<String> out = new HashSet<>();
        collectCallees(e, out);
        return out;
    }

    private static void collectCallees(Expr e, Set<String> out) {
        switch (e) {
            case Expr.Call c -> {
                out.add(c.callee().name());
                c.args().forEach(a -> collectCallees(a.value(), out));
            }
            case Expr.Neg n -> collectCallees(n.operand(), out);
            case Expr.Binary b -> {
                collectCallees(b.left(), out);
                collectCallees(b.right(), out);
            }
            case Expr.Sum s -> collectCallees(s.body(), out);
            case Expr.Iverson i -> {
                collectCallees(i.left(), out);
                collectCallees(i.right(), out);
            }
            case Expr.Num n -> { }
            case Expr.Ref r -> { }
            case Expr.Derivative d -> { }
        }
    }

    /** The shape of a call with these argument shapes; shape mistakes are reported at the call. */
    Shape instantiate(Symbol.Fn symbol, List<Shape> args, Span call, String calledAs, Reporter outer) {
        Decl.Fn fn = symbol.decl();
        check(fn);
        if (broken.contains(fn) || instantiating.contains(fn)) return null;
        String key = System.identityHashCode(fn) + ":" + args;
        Shape cached = instances.get(key);
        if (cached != null) return cached;

        Locals locals = Locals.plain();
        for (int i = 0; i < fn.params().size(); i++) {
            var p = fn.params().get(i);
            locals.put(new Value.Tensor(p.name().name(), Kind.ARGUMENT, args.get(i), p.name().span()));
        }
        boolean[] failed = new boolean[1];
        Reporter atCall = Reporter.atCall(outer, call, calledAs);
        Reporter watching = d -> {
            failed[0] = true;
            atCall.report(d);
        };
        var checker = new ExprChecker(this, locals, watching);
        Map<String, InferredIndex> results = new LinkedHashMap<>();
        for (Ident i : fn.resultIndices()) results.putIfAbsent(i.name(), checker.bindIndex(i.name(), i.span()));
        instantiating.push(fn);
        Shape body;
        try {
            body = checker.check(fn.body());
        } finally {
            instantiating.pop();
        }
        Shape result = body;
        if (!results.isEmpty() && body != null) {
            if (!body.isScalar()) {
                watching.error(Key.SHAPE_MISMATCH, fn.body().span(), "each element of " + fn.name().name()
                        + " must be a scalar, but the right side has " + body.describe(), null);
                return null;
            }
            List<Integer> dims = new ArrayList<>();
            for (InferredIndex iv : results.values()) {
                if (iv.range == null) return null;
                dims.add(iv.range);
            }
            result = Shape.of(dims);
        }
        if (!failed[0] && result != null) instances.put(key, result);
        return failed[0] ? null : result;
    }
}
