package dev.nnc.check;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Index;
import dev.nnc.diag.Key;
import dev.nnc.diag.Products;
import dev.nnc.ir.Windows;
import dev.nnc.resolve.Builtins;
import dev.nnc.runtime.Sizes;
import dev.nnc.resolve.Suggest;
import dev.nnc.resolve.Symbol;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Binds the names of one body and infers shapes and index ranges, reporting what does not fit.
 * Returns each expression's shape; null means "unknown" — after an error, or for a generic argument —
 * and silences the checks that would only repeat it.
 */
final class ExprChecker {
    private final Functions functions;
    private final Locals locals;
    private final Reporter reporter;
    private final Map<String, InferredIndex> indices = new HashMap<>();

    ExprChecker(Functions functions, Locals locals, Reporter reporter) {
        this.functions = functions;
        this.locals = locals;
        this.reporter = reporter;
    }

    /** Puts an index from a left side (or a vector function's result) in scope. */
    InferredIndex bindIndex(String name, Span span) {
        var v = new InferredIndex(name, span);
        indices.put(name, v);
        written.put(span, v);
        return v;
    }

    /** Where the body writes each index, published with its range once the body is checked ({@link CheckedProgram#ranges}). */
    private final Map<Span, InferredIndex> written = new HashMap<>();

    /** Nesting of {@link #check}: a whole body is at depth 0, where its constant parts are checked to be finite. */
    private int depth;

    Shape check(Expr e) {
        boolean whole = depth++ == 0;
        if (whole) Constants.checkFinite(e, reporter);
        try {
            Shape shape = switch (e) {
                case Expr.Num n -> Shape.SCALAR;
                case Expr.Ref r -> ref(r);
                case Expr.Call c -> call(c);
                case Expr.Neg n -> check(n.operand());
                case Expr.Binary b -> binary(b);
                case Expr.Sum s -> sum(s);
                case Expr.Derivative d -> derivative(d);
                case Expr.Iverson i -> broadcast(i.span(), check(i.left()), i.left(), check(i.right()), i.right());
            };
            if (whole) {
                windows();
                written.forEach((span, iv) -> {
                    if (iv.range != null) functions.ranges.put(span, iv.range);
                });
                written.clear();
            }
            return shape;
        } finally {
            depth--;
        }
    }

    // ─── Names ────────────────────────────────────────────────────────────────────────────────────

    private Shape ref(Expr.Ref r) {
        String name = r.name().name();
        Value v = locals.get(name);
        if (v == null && Builtins.CONSTANTS.containsKey(name)) return indexed(r, Shape.SCALAR);
        if (v == null && !(locals.freeNames != null && !name.contains(".") && functions.scope().lookup(name) == null)) {
            touch(r.indices());
        }
        if (v == null && indices.containsKey(name)) {
            reporter.error(Key.NOT_A_VALUE, r.span(), name + " is an index, not a value",
                    "indices only subscript: x[" + name + "]");
            return null;
        }
        if (v == null) {
            Symbol global = functions.scope().lookup(name);
            if (global != null) {
                reporter.error(Key.NOT_A_VALUE, r.name().span(), name + " is a " + global.kind() + ", not a value",
                        global instanceof Symbol.Network ? null : "call it: " + name + "(…)");
                return null;
            }
            if (locals.freeNames != null && !name.contains(".")) {
                v = locals.freeNames.apply(name);
            }
        }
        if (v == null) {
            var candidates = new ArrayList<>(locals.names());
            candidates.addAll(Builtins.CONSTANTS.keySet());
            String guess = Suggest.closest(name, candidates);
            reporter.error(Key.UNDEFINED_NAME, r.name().span(), "undefined name " + name,
                    guess != null ? "did you mean " + guess + "?" : null);
            return null;
        }
        locals.markUsed(name);
        return switch (v) {
            case Value.Tensor t -> indexed(r, t.shape());
            case Value.Generic g -> generic(r, g);
            case Value.Free f -> free(r, f);
        };
    }

    /** Subscripts a value of known shape: every index in scope, ranges consistent, constants in range. */
    private Shape indexed(Expr.Ref r, Shape shape) {
        return subscript(r.name().name(), r.indices(), shape, r.span(), r.span().text());
    }

    private Shape subscript(String name, List<Index> subs, Shape shape, Span where, String shown) {
        if (subs.isEmpty()) return shape;
        if (shape == null) {
            // Unknown after an earlier error: the indices still count as used, or a cascade follows.
            for (Index i : subs) if (bound(i) instanceof InferredIndex iv) iv.subscripts = true;
            return null;
        }
        if (shape.isScalar() || shape.rank() != subs.size()) touch(subs);
        if (shape.isScalar()) {
            reporter.error(Key.NOT_INDEXABLE, where, name + " is a scalar, so it has no indices", "write " + name);
            return null;
        }
        if (shape.rank() != subs.size()) {
            reporter.error(Key.INDEX_COUNT, where, name + " has " + shape.rank() + (shape.rank() == 1 ? " index" : " indices")
                    + " (shape " + shape + ") but " + shown + " gives " + subs.size(), null);
            return null;
        }
        boolean ok = true;
        for (int k = 0; k < subs.size(); k++) {
            int size = shape.dims().get(k);
            switch (subs.get(k)) {
                case Index.Var v -> {
                    InferredIndex iv = bound(v);
                    if (iv == null) ok = false;
                    else constrain(iv, size, where, shown);
                }
                case Index.Broken b -> {
                    // reported where it was read; its names count as used, values and indices alike
                    touch(List.of(b));
                    for (Ident n : b.names()) if (locals.has(n.name())) locals.markUsed(n.name());
                    ok = false;
                }
                case Index.Affine a -> {
                    List<Windows.Term<InferredIndex>> terms = new ArrayList<>();
                    for (Index.Term t : a.terms()) {
                        InferredIndex iv = bound(new Index.Var(t.name()));
                        if (iv == null) {
                            ok = false;
                            continue;
                        }
                        iv.subscripts = true;
                        terms.add(new Windows.Term<>(iv, t.coefficient()));
                    }
                    if (terms.size() == a.terms().size()) {
                        affine.add(new Windows.Use<>(terms, a.constant(), size, new Read(name, a, k, subs.size(), shown, where)));
                    }
                }
                case Index.Const c -> {
                    if (c.value() < 1 || c.value() > size) {
                        reporter.error(Key.INDEX_OUT_OF_RANGE, c.span(), "index " + c.value() + " is out of range for "
                                + name + ", whose " + ordinal(k, subs.size()) + "index runs from 1 to " + size,
                                c.value() == 0 ? "indices start at 1" : null);
                        ok = false;
                    }
                }
            }
        }
        return ok ? Shape.SCALAR : null;
    }

    /** Marks the indices of a reference that failed for another reason as used, without reporting them. */
    private void touch(List<Index> subs) {
        for (Index i : subs) {
            for (Ident n : names(i)) if (indices.get(n.name()) instanceof InferredIndex iv) iv.subscripts = true;
        }
    }

    private static List<Ident> names(Index i) {
        return switch (i) {
            case Index.Var v -> List.of(v.name());
            case Index.Const c -> List.of();
            case Index.Affine a -> a.terms().stream().map(Index.Term::name).toList();
            case Index.Broken b -> b.names();
        };
    }

    // ─── Index arithmetic ─────────────────────────────────────────────────────────────────────────

    /** An affine subscript as read: for messages. */
    private record Read(String tensor, Index.Affine subscript, int k, int of, String shown, Span where) {}

    /** The affine subscripts of the body being checked, settled when it has been checked whole. */
    private final List<Windows.Use<InferredIndex, Read>> affine = new ArrayList<>();

    /**
     * The ranges affine subscripts imply (an index that subscripts only through them gets the largest range that
     * reads inside; {@link Windows}), then every affine read checked to stay inside its tensor.
     */
    private void windows() {
        if (affine.isEmpty()) return;
        var uses = List.copyOf(affine);
        affine.clear();
        var found = Windows.solve(uses, iv -> iv.range);
        found.forEach((iv, n) -> iv.range = (int) Math.max(1, n)); // an empty range is reported below; quiet from there
        Set<InferredIndex> empty = new HashSet<>();
        for (var e : found.entrySet()) {
            InferredIndex iv = e.getKey();
            var limit = Windows.limiting(uses, iv, v -> v == iv ? null : v.range);
            Read r = limit.where();
            if (e.getValue() < 1) {
                reporter.error(Key.EMPTY_RANGE, r.where(), "no value of " + iv.name + " keeps " + r.shown() + " inside "
                        + r.tensor() + ", whose " + ordinal(r.k(), r.of()) + "dimension has " + limit.extent()
                        + (limit.extent() == 1 ? " element" : " elements"), "a window cannot be wider than what it slides over");
                empty.add(iv);
            }
            iv.rangeSpan = r.where();
            iv.rangeWhat = r.shown();
        }
        boolean unknown = false;
        for (var u : uses) {
            for (var t : u.terms()) {
                InferredIndex iv = t.v();
                if (iv.range != null) continue;
                if (!unknown) {
                    reporter.error(Key.UNKNOWN_RANGE, u.where().where(), "cannot tell the range of " + iv.name + " from "
                            + u.where().shown() + ": every index in " + subscript(u.where().subscript())
                            + " is without a range of its own", "give one of them its range: a bounded sum Σ_{" + iv.name
                            + "=1}^{5} …, or a read such as K[" + iv.name + "] where it stands alone", iv.declared,
                            iv.name + " is bound here");
                }
                unknown = true;
                iv.range = 1; // reported once; quiet from here
            }
        }
        if (unknown) return;
        for (var u : uses) {
            long lo = Windows.min(u, v -> v.range), hi = Windows.max(u, v -> v.range);
            if (lo >= 1 && hi <= u.extent() || u.terms().stream().anyMatch(t -> empty.contains(t.v()))) continue;
            Read r = u.where();
            InferredIndex blame = u.terms().get(0).v();
            for (var t : u.terms()) if (t.v().rangeSpan != null && t.v().rangeSpan != r.where()) blame = t.v();
            String span = lo == hi ? "is " + lo : "runs from " + lo + " to " + hi;
            reporter.error(Key.OUT_OF_BOUNDS, r.where(), r.shown() + " reads outside " + r.tensor() + ": its "
                            + ordinal(r.k(), r.of()) + "subscript " + subscript(r.subscript()) + " " + span + ", but "
                            + r.tensor() + " has " + u.extent() + " there",
                    "pad it to read zeros outside (pad(" + r.tensor() + ", …)), or let the index's range come from the read",
                    blame.rangeSpan != null ? blame.rangeSpan : blame.declared, blame.name + " ranges over " + blame.range
                            + (blame.rangeWhat != null ? " from " + blame.rangeWhat : "") + " here");
        }
    }

    private static String subscript(Index.Affine a) { return a.span().text(); }

    private static String indices(int n) { return n == 1 ? "1 index" : n + " indices"; }

    private static String ordinal(int k, int of) {
        if (of == 1) return "";
        return switch (k) {
            case 0 -> "first ";
            case 1 -> "second ";
            case 2 -> "third ";
            default -> (k + 1) + "th ";
        };
    }

    private InferredIndex bound(Index index) {
        if (!(index instanceof Index.Var v)) return null;
        InferredIndex iv = indices.get(v.name().name());
        if (iv != null) written.put(v.span(), iv);
        if (iv == null) {
            String n = v.name().name();
            reporter.error(Key.UNBOUND_INDEX, v.span(), "the index " + n + " is neither on the left side nor summed over",
                    "sum over it (Σ_" + n + " …) or put it on the left (h[" + n + "] = …); nnc never sums implicitly");
        }
        return iv;
    }

    private void constrain(InferredIndex iv, int size, Span where, String what) {
        iv.subscripts = true;
        if (iv.range == null) {
            iv.range = size;
            iv.rangeSpan = where;
            iv.rangeWhat = what;
        } else if (iv.range != size) {
            reporter.error(Key.INDEX_RANGE, where, iv.name + " ranges over " + iv.range + " in " + iv.rangeWhat
                            + " but over " + size + " in " + what, null,
                    iv.rangeSpan, iv.name + " ranges over " + iv.range + " here");
        }
    }

    private Shape generic(Expr.Ref r, Value.Generic g) {
        g.used = true;
        if (r.indices().isEmpty()) return null;
        if (g.rank >= 0 && g.rank != r.indices().size()) {
            reporter.error(Key.RANK_CONFLICT, r.span(), g.name + " is used with " + indices(r.indices().size())
                    + " here but with " + indices(g.rank) + " before", null, g.rankSpan, "used like this first");
        } else if (g.rank < 0) {
            g.rank = r.indices().size();
            g.rankSpan = r.span();
        }
        for (Index i : r.indices()) {
            InferredIndex iv = bound(i);
            if (iv != null) iv.subscripts = true;
        }
        return Shape.SCALAR;
    }

    private Shape free(Expr.Ref r, Value.Free f) {
        List<InferredIndex> use = new ArrayList<>();
        for (Index i : r.indices()) {
            if (i instanceof Index.Const c) {
                reporter.error(Key.NOT_INDEXABLE, c.span(), "a neuron's own parameter is indexed by index variables, not "
                        + c.value(), "its shape comes from the ranges of its indices");
                return null;
            }
            InferredIndex iv = bound(i);
            if (iv == null) return null;
            use.add(iv);
        }
        if (!f.uses.isEmpty() && f.uses.get(0).size() != use.size()) {
            reporter.error(Key.RANK_CONFLICT, r.span(), f.name + " is used with " + indices(use.size()) + " here but with "
                    + indices(f.uses.get(0).size()) + " before", null, f.useSpans.get(0), "used like this first");
            return null;
        }
        f.uses.add(use);
        f.useSpans.add(r.span());
        return Shape.SCALAR;
    }

    // ─── Operators ────────────────────────────────────────────────────────────────────────────────

    /** Element-wise: equal shapes, or a scalar with anything. */
    Shape broadcast(Span where, Shape a, Expr left, Shape b, Expr right) {
        if (a == null || b == null) return null;
        if (a.equals(b) || b.isScalar()) return a;
        if (a.isScalar()) return b;
        String hint = a.isOneElement() ? oneElement(left, a) : b.isOneElement() ? oneElement(right, b)
                : "index them to say which elements meet: a[i]·b[i]";
        reporter.error(Key.SHAPE_MISMATCH, where, "cannot combine " + a.describe() + " with " + b.describe()
                        + " element by element", hint, right.span(), right.span().text() + " has " + b.describe());
        return null;
    }

    /** {@code W x} of a matrix and a vector is no product in .nn, nor {@code W^T} a transpose: say which sum it means. */
    private Shape binary(Expr.Binary b) {
        if (b.op() == Expr.Op.MUL && transposed(b.left()) instanceof Expr.Ref w) {
            Shape ws = check(w), xs = check(b.right());
            if (ws == null || !ws.isScalar()) {
                int rank = ws == null ? 2 : ws.rank();
                var c = b.right() instanceof Expr.Ref x && x.indices().isEmpty() && (xs == null || !xs.isScalar())
                        ? new Products.Contraction(w.name().name(), rank, 0, x.name().name(), xs == null ? 1 : xs.rank(), 0)
                        : new Products.Contraction(w.name().name(), rank, 0, "x", 1, 0);
                reporter.error(Key.TRANSPOSE, b.left().span(), "there is no transpose in .nn", Products.hint(c, taken()));
                return null;
            }
        }
        if (b.op() == Expr.Op.POW && transposed(b) instanceof Expr.Ref w) {
            Shape ws = check(w);
            if (ws == null || !ws.isScalar()) { // a function's argument, whose shape is not known yet, included
                reporter.error(Key.TRANSPOSE, b.span(), "there is no transpose in .nn", ws != null && ws.rank() == 1
                        ? "a vector needs none: the dot product " + w.name().name() + "ᵀ y is Σᵢ " + w.name().name() + "[i] y[i]"
                        : "swap the indices instead: " + w.name().name() + "ᵀ[j,i] is " + w.name().name() + "[i,j]");
                return null;
            }
            return broadcast(b.span(), ws, b.left(), check(b.right()), b.right());
        }
        Shape l = check(b.left()), r = check(b.right());
        if (b.op() == Expr.Op.MUL && l != null && r != null && !l.isScalar() && !r.isScalar() && !l.equals(r)
                && (l.rank() > 1 || r.rank() > 1) && b.left() instanceof Expr.Ref x && x.indices().isEmpty()
                && b.right() instanceof Expr.Ref y && y.indices().isEmpty()) {
            var c = contraction(x.name().name(), l, y.name().name(), r);
            if (c != null) {
                reporter.error(Key.MATRIX_PRODUCT, b.span(), "there is no implicit matrix product: " + x.name().name()
                        + " is " + tensor(l) + " and " + y.name().name() + " " + tensor(r), Products.hint(c, taken()));
                return null;
            }
        }
        return broadcast(b.span(), l, b.left(), r, b.right());
    }

    /** W for {@code W^T} (or {@code W^t}, {@code Wᵗ}) where no T or t is defined: a transpose as written on paper. */
    private Expr transposed(Expr e) {
        if (e instanceof Expr.Binary p && p.op() == Expr.Op.POW && p.left() instanceof Expr.Ref w && w.indices().isEmpty()
                && p.right() instanceof Expr.Ref t && t.indices().isEmpty()) {
            String n = t.name().name();
            if ((n.equals("T") || n.equals("t")) && !locals.has(n) && !indices.containsKey(n)) return w;
        }
        return null;
    }

    /** Names a suggested sum's indices must not take: the indices and values in scope. */
    private Set<String> taken() {
        var taken = new HashSet<>(indices.keySet());
        taken.addAll(locals.names());
        return taken;
    }

    /** The sum a product of these shapes most likely means: W[m,n]·x[n] over n, else a transpose's. */
    private static Products.Contraction contraction(String a, Shape l, String b, Shape r) {
        int[][] tries = {{l.rank() - 1, 0}, {0, 0}, {l.rank() - 1, r.rank() - 1}, {0, r.rank() - 1}};
        for (int[] t : tries) {
            if (l.dims().get(t[0]).equals(r.dims().get(t[1]))) return new Products.Contraction(a, l.rank(), t[0], b, r.rank(), t[1]);
        }
        return null;
    }

    private static String tensor(Shape s) {
        return switch (s.rank()) {
            case 1 -> "a vector " + s;
            case 2 -> "a matrix " + s;
            default -> "a tensor " + s;
        };
    }

    /** A [1] where a number was meant: say where it comes from. */
    private String oneElement(Expr e, Shape shape) {
        if (e instanceof Expr.Ref r && r.indices().isEmpty() && locals.get(r.name().name()) instanceof Value.Tensor t
                && Shape.DECLARED.contains(t.kind())) {
            String n = r.name().name();
            return n + " is declared " + n + shape + ", a list of one number, not a number; declare it without "
                    + shape + " to use it as one";
        }
        return e.span().text() + " has shape " + shape + ", a list of one number, not a number; index it ("
                + e.span().text() + "[1]) or declare what it comes from without " + shape;
    }

    private Shape sum(Expr.Sum s) {
        String name = s.index().name();
        InferredIndex outer = indices.get(name);
        if (outer != null) {
            reporter.error(Key.INDEX_REUSED, s.index().span(), "the index " + name + " is already in use here",
                    "sum over a fresh index", outer.declared, name + " is bound here");
        }
        if (locals.has(name)) {
            reporter.error(Key.INDEX_REUSED, s.index().span(), "the index " + name + " has the name of the "
                    + locals.get(name).kind().description + " " + name, "use another letter for the index");
        }
        var iv = new InferredIndex(name, s.index().span());
        indices.put(name, iv);
        written.put(s.index().span(), iv);
        Shape body = check(s.body());
        if (outer != null) indices.put(name, outer);
        else indices.remove(name);

        String what = s.op() == Expr.Reduction.MAX ? "max" : "sum";
        if (!iv.subscripts) {
            reporter.error(Key.UNKNOWN_RANGE, s.index().span(), "cannot tell the range of " + name
                    + ": it subscripts nothing in this " + what, "ranges come from what an index subscripts, as in Σᵢ w[i]·x[i]");
            return null;
        }
        if (s.lower() != null && s.lower() != 1) {
            reporter.error(Key.SUM_BOUNDS, s.span(), "a " + what + " runs over a whole range from 1, not from " + s.lower(),
                    "write " + (s.op() == Expr.Reduction.MAX ? "max" : "Σ") + "_{" + name + "=1}^{n}"
                            + (s.op() == Expr.Reduction.MAX ? "" : " or just Σ_" + name));
        }
        if (s.upper() instanceof Expr.NumberBound nb) {
            if (iv.range == null && nb.value() >= 1) {
                // only affine subscripts use it (x[i+p−1]): the written bound is its range, the window's width
                iv.range = nb.value();
                iv.rangeSpan = nb.span();
                iv.rangeWhat = "the " + what + "'s bound";
            } else if (nb.value() < 1) {
                reporter.error(Key.EMPTY_RANGE, nb.span(), "the " + what + " says " + name + " runs to " + nb.value()
                        + ", an empty range", "an index runs from 1 to at least 1");
                if (iv.range == null) iv.range = 1; // reported: quiet from here
            } else if (nb.value() != iv.range) {
                reporter.error(Key.INDEX_RANGE, nb.span(), "the " + what + " says " + name + " runs to " + nb.value()
                        + " but " + name + " ranges over " + iv.range + " in " + iv.rangeWhat, null,
                        iv.rangeSpan, name + " ranges over " + iv.range + " here");
            }
        }
        return body;
    }

    private Shape derivative(Expr.Derivative d) {
        if (!locals.derivatives) {
            reporter.error(Key.BAD_DERIVATIVE, d.span(), "∂" + d.of().name() + "/∂" + d.wrt().name()
                    + " appears outside an optimizer", "nnc derives gradients itself; optimizers name them as ∂J/∂θ");
            return null;
        }
        if (!d.of().name().equals("J") || !d.wrt().name().equals("θ")) {
            reporter.error(Key.BAD_DERIVATIVE, d.span(), "an optimizer sees one derivative, ∂J/∂θ, not ∂"
                    + d.of().name() + "/∂" + d.wrt().name(), "J is the loss and θ the parameter being updated");
            return null;
        }
        locals.markUsed("θ");
        return Shape.SCALAR;
    }

    // ─── Calls ────────────────────────────────────────────────────────────────────────────────────

    private Shape call(Expr.Call c) {
        String name = c.callee().name();
        // On paper a(b + c) multiplies when a is a value; a call needs a function.
        if ((locals.has(name) || Builtins.CONSTANTS.containsKey(name)) && c.args().size() == 1
                && c.args().get(0).name() == null && c.indices().isEmpty()) {
            Expr left = new Expr.Ref(c.callee(), List.of(), c.callee().span());
            Expr right = c.args().get(0).value();
            return broadcast(c.span(), check(left), left, check(right), right);
        }
        Symbol symbol = functions.scope().lookup(name);
        if (symbol == null) {
            var candidates = new ArrayList<>(functions.scope().names());
            candidates.addAll(locals.names()); // W2(x) for w2(x): a product with a misspelt value
            String guess = Suggest.closest(name, candidates);
            reporter.error(Key.UNDEFINED_FUNCTION, c.callee().span(), "undefined function " + name,
                    guess != null ? "did you mean " + guess + "?" : null);
            c.args().forEach(a -> check(a.value()));
            return null;
        }
        Symbol target = symbol.target();
        Shape result = switch (target) {
            case Symbol.Builtin b -> builtin(c, b);
            case Symbol.Pad p -> pad(c);
            case Symbol.Fn f -> function(c, f);
            case Symbol.Neuron n -> {
                checkArgs(c.args());
                reporter.error(Key.NEURON_CALL, c.callee().span(), name + " is a neuron; neurons make layers, they are not called",
                        "layer h[4] = " + name + "(…) makes 4 of them");
                yield null;
            }
            case Symbol.Optimizer o -> {
                checkArgs(c.args());
                reporter.error(Key.NOT_A_FUNCTION, c.callee().span(), name + " is an optimizer, not a function",
                        "choose it in a train block: optimizer " + name + "(…)");
                yield null;
            }
            case Symbol.Network n -> {
                checkArgs(c.args());
                reporter.error(Key.NOT_A_FUNCTION, c.callee().span(), name + " is a network, not a function", null);
                yield null;
            }
            case Symbol.Alias a -> {
                checkArgs(c.args());
                yield null; // the broken alias is reported where it is declared
            }
        };
        return subscript(name + "(…)", c.indices(), result, c.span(), c.span().text());
    }

    private Shape builtin(Expr.Call c, Symbol.Builtin b) {
        var params = b.arity() == 1 ? List.of("x") : List.of("a", "b");
        Expr[] bound = Arguments.bind(c.args(), params, List.of(true, true).subList(0, b.arity()), c.span(),
                b.name(), reporter);
        if (bound == null) {
            c.args().forEach(a -> check(a.value()));
            return null;
        }
        Shape shape = check(bound[0]);
        if (b.arity() == 2) shape = broadcast(c.span(), shape, bound[0], check(bound[1]), bound[1]);
        return shape;
    }

    /** {@code pad(x, n…)}: one whole number of zeros for each of x's last dimensions, on both sides. */
    private Shape pad(Expr.Call c) {
        if (c.args().isEmpty() || c.args().stream().anyMatch(a -> a.name() != null)) {
            checkArgs(c.args());
            reporter.error(Key.BAD_PAD, c.span(), "pad takes a tensor and how many zeros to put around each of its last "
                    + "dimensions, all by position", "pad(x, 2, 2) puts 2 zeros on both sides of x's last two dimensions");
            return null;
        }
        Shape x = check(c.args().get(0).value());
        List<Integer> amounts = new ArrayList<>();
        for (var a : c.args().subList(1, c.args().size())) {
            new ExprChecker(functions, locals, d -> { }).check(a.value()); // its names count as used; the error is below
            Double v = Constants.eval(a.value(), reporter, "how much pad puts around a dimension");
            if (v == null) return null;
            if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                reporter.error(Key.BAD_PAD, a.value().span(), "pad puts a whole number of zeros, 0 or more, around a "
                        + "dimension, not " + Constants.format(v), null);
                return null;
            }
            amounts.add((int) (double) v);
        }
        if (x == null) return null;
        if (amounts.isEmpty() || x.isScalar() || amounts.size() > x.rank()) {
            reporter.error(Key.BAD_PAD, c.span(), x.isScalar() ? "pad pads a tensor, and " + c.args().get(0).value().span().text()
                            + " is a number" : amounts.isEmpty() ? "pad needs how many zeros to put around a dimension"
                            : "pad is given " + amounts.size() + " amounts, but " + c.args().get(0).value().span().text()
                            + " has " + x.rank() + (x.rank() == 1 ? " dimension" : " dimensions"),
                    "one amount for each of the last dimensions: pad(x, 2, 2) for the 28×28 of x[1,28,28]");
            return null;
        }
        List<Integer> dims = new ArrayList<>(x.dims());
        int first = dims.size() - amounts.size();
        for (int k = 0; k < amounts.size(); k++) {
            long padded = dims.get(first + k) + 2L * amounts.get(k);
            if (padded > Integer.MAX_VALUE) {
                reporter.error(Key.BAD_PAD, c.args().get(k + 1).value().span(), "pad would make a dimension of " + padded
                        + " elements, more than one array holds", null);
                return null;
            }
            dims.set(first + k, (int) padded);
        }
        if (Sizes.elements(dims) > Sizes.MAX_ARRAY) {
            reporter.error(Key.BAD_PAD, c.span(), "pad would make a tensor of " + Sizes.exact(dims) + " elements, more than one array holds ("
                    + String.format(Locale.ROOT, "%,d", Sizes.MAX_ARRAY) + ")", "pad fewer zeros, or a smaller tensor");
            return null;
        }
        return Shape.of(dims);
    }

    private Shape function(Expr.Call c, Symbol.Fn f) {
        var params = f.decl().params().stream().map(p -> p.name().name()).toList();
        var required = f.decl().params().stream().map(p -> p.defaultValue() == null).toList();
        Expr[] bound = Arguments.bind(c.args(), params, required, c.span(), c.callee().name(), reporter);
        if (bound == null) {
            c.args().forEach(a -> check(a.value()));
            return null;
        }
        List<Shape> shapes = new ArrayList<>();
        boolean known = true;
        for (Expr arg : bound) {
            Shape s = arg == null ? Shape.SCALAR : check(arg);
            shapes.add(s);
            if (s == null) known = false;
        }
        if (!known) return null;
        return functions.instantiate(f, shapes, c.span(), c.callee().name(), reporter);
    }

    /** Checks every argument expression, for callers that bind them differently. */
    void checkArgs(List<Arg> args) { args.forEach(a -> check(a.value())); }
}
