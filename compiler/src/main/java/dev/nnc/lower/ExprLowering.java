package dev.nnc.lower;

import dev.nnc.ast.Arg;
import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Index;
import dev.nnc.check.Constants;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Function;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.ir.Windows;
import dev.nnc.resolve.Builtins;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;
import dev.nnc.runtime.Primitive;
import dev.nnc.runtime.data.TargetDomain;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Lowers checked expressions to IR. Whole-tensor expressions become {@link View}s that give one element
 * on demand, so {@code relu(z)} with {@code z[10]} is {@code relu(z[i])} wherever element i is wanted.
 * Scalar functions stay whole as {@link Ex.Apply} (EXPAND inlines them after the stability rewrites have
 * seen them); a function that takes a whole tensor is inlined; a vector-valued function's call becomes a
 * tensor of its own (so softmax's denominator is computed once, not once per element).
 */
final class ExprLowering {
    /** Where a vector-valued call's tensor is defined: the network's list of defs. */
    interface Sink {
        Tensor define(String name, List<IndexVar> vars, Ex body, Span span);
    }

    /** The names a body sees: values as views, index variables, and ∂J/∂θ inside an optimizer. */
    record Env(Map<String, View> values, Map<String, IndexVar> indices) {
        Env withIndex(String name, IndexVar v) {
            var m = new HashMap<>(indices);
            m.put(name, v);
            return new Env(values, m);
        }
    }

    static final String GRADIENT = "∂J/∂θ";

    private final Scope scope;
    private final Sink sink;
    private final Map<Decl.Fn, Function> functions = new IdentityHashMap<>();
    private final Map<Decl.Fn, Boolean> elementwise = new IdentityHashMap<>();
    private int temps;
    private final LossDomains domains = new LossDomains();
    /** The scalar function whose body is being lowered over its arguments, if any. */
    private Decl.Fn within;

    ExprLowering(Scope scope, Sink sink) {
        this.scope = scope;
        this.sink = sink;
    }

    View lower(Expr e, Env env) {
        return switch (e) {
            case Expr.Num n -> View.scalar(new Ex.Num(n.value()));
            case Expr.Ref r -> ref(r, env);
            case Expr.Call c -> call(c, env);
            case Expr.Neg n -> map(lower(n.operand(), env), Ex::neg);
            case Expr.Binary b -> {
                var op = switch (b.op()) {
                    case ADD -> Ex.BinOp.ADD;
                    case SUB -> Ex.BinOp.SUB;
                    case MUL -> Ex.BinOp.MUL;
                    case DIV -> Ex.BinOp.DIV;
                    case POW -> Ex.BinOp.POW;
                };
                yield zip(lower(b.left(), env), lower(b.right(), env), (x, y) -> new Ex.Binary(op, x, y));
            }
            case Expr.Iverson i -> zip(lower(i.left(), env), lower(i.right(), env), (x, y) -> new Ex.Cmp(i.op(), x, y));
            case Expr.Sum s -> {
                var iv = new IndexVar(s.index().name());
                // a written bound is the range of an index only affine subscripts use (the checker made sure they agree)
                if (s.upper() instanceof Expr.NumberBound nb) iv.bind(nb.value());
                View body = lower(s.body(), env.withIndex(s.index().name(), iv));
                yield switch (s.op()) {
                    case SUM -> new View(body.shape(), at -> new Ex.Sum(iv, body.at(at)));
                    case MAX -> new View(body.shape(), at -> new Ex.Max(iv, body.at(at)));
                };
            }
            case Expr.Derivative d -> {
                View g = env.values().get(GRADIENT);
                if (g == null) throw new IllegalStateException("internal: ∂J/∂θ outside an optimizer");
                yield g;
            }
        };
    }

    private static View map(View v, UnaryOperator<Ex> f) {
        return new View(v.shape(), at -> f.apply(v.at(at)));
    }

    /** Element by element; a scalar side broadcasts (the checker made sure the shapes fit). */
    private static View zip(View a, View b, BinaryOperator<Ex> f) {
        var shape = a.isScalar() ? b.shape() : a.shape();
        return new View(shape, at -> f.apply(a.at(at), b.at(at)));
    }

    private View ref(Expr.Ref r, Env env) {
        String name = r.name().name();
        View v = env.values().get(name);
        if (v == null && Builtins.CONSTANTS.containsKey(name)) v = View.scalar(new Ex.Num(Builtins.CONSTANTS.get(name)));
        if (v == null) throw new IllegalStateException("internal: unbound name " + name + " after checking");
        return subscript(v, r.indices(), env);
    }

    /**
     * {@code v[i, 2]}: binds the ranges of the index variables from v's shape, now; an affine subscript's variables
     * are settled by {@link #settle} once the whole body is lowered.
     */
    private View subscript(View v, List<Index> subs, Env env) {
        if (subs.isEmpty()) return v;
        List<Idx> idx = new ArrayList<>();
        for (int k = 0; k < subs.size(); k++) {
            switch (subs.get(k)) {
                case Index.Var var -> {
                    IndexVar iv = index(env, var.name().name());
                    iv.bind(v.shape().get(k));
                    idx.add(Idx.of(iv));
                }
                case Index.Const c -> idx.add(new Idx.Fixed(c.value() - 1));
                case Index.Broken b -> throw new IllegalStateException("internal: a broken subscript after checking");
                case Index.Affine a -> {
                    // 1-based Σ c·v + k over 1-based variables is Σ c·v + (k + Σ c − 1) over 0-based ones
                    List<Idx.Term> terms = new ArrayList<>();
                    List<Windows.Term<IndexVar>> use = new ArrayList<>();
                    int constant = a.constant() - 1;
                    for (Index.Term t : a.terms()) {
                        IndexVar iv = index(env, t.name().name());
                        terms.add(new Idx.Term(iv, t.coefficient()));
                        use.add(new Windows.Term<>(iv, t.coefficient()));
                        constant += t.coefficient();
                    }
                    idx.add(Idx.affine(terms, constant));
                    windows.add(new Windows.Use<>(use, a.constant(), v.shape().get(k), null));
                }
            }
        }
        View whole = v;
        return new View(List.of(), at -> whole.at(idx));
    }

    private static IndexVar index(Env env, String name) {
        IndexVar iv = env.indices().get(name);
        if (iv == null) throw new IllegalStateException("internal: unbound index " + name);
        return iv;
    }

    /** Affine subscripts lowered but not yet settled. */
    private final List<Windows.Use<IndexVar, Void>> windows = new ArrayList<>();

    /** Binds the ranges affine subscripts imply ({@link Windows}, as the checker inferred them); before a def is made. */
    void settle() {
        var found = Windows.solve(windows, v -> v.bound() ? v.range() : null);
        found.forEach((v, n) -> v.bind((int) (long) n));
        windows.removeIf(u -> u.terms().stream().allMatch(t -> t.v().bound()));
    }

    // ─── Calls ────────────────────────────────────────────────────────────────────────────────────

    private View call(Expr.Call c, Env env) {
        String name = c.callee().name();
        if ((env.values().containsKey(name) || Builtins.CONSTANTS.containsKey(name)) && c.args().size() == 1
                && c.args().get(0).name() == null && c.indices().isEmpty()) {
            // a(b + c) with a value a is a product, as on paper
            View left = ref(new Expr.Ref(c.callee(), List.of(), c.callee().span()), env);
            return zip(left, lower(c.args().get(0).value(), env), Ex::mul);
        }
        Symbol s = scope.lookup(name);
        if (s == null) throw new IllegalStateException("internal: unbound function " + name);
        return switch (s.target()) {
            case Symbol.Builtin b -> builtin(b, c, env);
            case Symbol.Pad p -> subscript(pad(c, env), c.indices(), env);
            case Symbol.Fn f -> subscript(function(f.decl(), c.args(), env, null), c.indices(), env);
            default -> throw new IllegalStateException("internal: " + name + " is not callable after checking");
        };
    }

    /**
     * {@code pad(x, n…)} as a tensor of its own: {@code x̃[…, i] = [1 ≤ i−n ≤ size] · x[…, i−n]} for each padded
     * dimension, the guards keeping the read inside x (only the chosen branch of a select is evaluated).
     */
    private View pad(Expr.Call c, Env env) {
        View x = lower(c.args().get(0).value(), env);
        List<Integer> amounts = new ArrayList<>();
        for (var a : c.args().subList(1, c.args().size())) amounts.add((int) Constants.of(a.value()));
        int first = x.shape().size() - amounts.size();
        List<IndexVar> vars = new ArrayList<>();
        List<Idx> at = new ArrayList<>();
        List<Ex> guards = new ArrayList<>();
        for (int k = 0; k < x.shape().size(); k++) {
            int n = k < first ? 0 : amounts.get(k - first), size = x.shape().get(k);
            var v = new IndexVar(String.valueOf("ijklmn".charAt(k % 6)), size + 2 * n);
            vars.add(v);
            Idx read = Idx.affine(List.of(new Idx.Term(v, 1)), -n);
            at.add(read);
            if (n > 0) guards.add(new Ex.InRange(read, size));
        }
        Ex body = x.at(at);
        for (int k = guards.size() - 1; k >= 0; k--) body = new Ex.Select(guards.get(k), body, new Ex.Num(0));
        // named after what it pads when that is a name: ∂J/∂K[…] = Σ δa[…] · pad_x[k,i+p−1,j+q−1] reads as written
        Expr arg = c.args().get(0).value();
        String name = arg instanceof Expr.Ref r && r.indices().isEmpty() ? "pad_" + r.name().name() : "pad_" + (++temps);
        Tensor t = sink.define(name, vars, body, c.callee().span());
        return View.of(t);
    }

    private View builtin(Symbol.Builtin b, Expr.Call c, Env env) {
        var params = b.arity() == 1 ? List.of("x") : List.of("a", "b");
        Expr[] bound = bind(c.args(), params, List.of());
        View a = lower(bound[0], env);
        Primitive f = b.primitive();
        return switch (f.arity) {
            case 1 -> map(a, x -> Ex.call(f, x));
            case 2 -> zip(a, lower(bound[1], env), (x, y) -> Ex.call(f, x, y));
            default -> throw new IllegalStateException("internal: " + f.spelling + " takes " + f.arity + " arguments");
        };
    }

    /**
     * A call of a declared function. {@code definesAs}, when given, names the tensor a vector-valued call
     * defines ({@code p = softmax(z)} defines p itself rather than a temporary p copies).
     */
    View function(Decl.Fn fn, List<Arg> args, Env env, DefineAs definesAs) {
        var params = fn.params().stream().map(p -> p.name().name()).toList();
        var defaults = fn.params().stream().map(Decl.Param::defaultValue).toList();
        Expr[] bound = bind(args, params, defaults);
        List<View> views = new ArrayList<>();
        for (Expr a : bound) views.add(lower(a, env));
        View result;
        if (!fn.resultIndices().isEmpty()) {
            result = materialize(fn, views, definesAs);
        } else if (isElementwise(fn)) {
            Function f = function(fn);
            List<Integer> shape = List.of();
            for (View v : views) if (!v.isScalar()) shape = v.shape();
            result = new View(shape, at -> new Ex.Apply(f, views.stream().map(v -> v.at(at)).toList()));
        } else {
            result = lower(fn.body(), new Env(paramViews(fn, views), Map.of()));
        }
        domains.call(fn, isLibrary(fn), views, within); // after the body: a user's function has said what it passes on
        return result;
    }

    /** What the losses called so far require of the network's targets. */
    List<TargetDomain> domains() { return domains.domains(); }

    record DefineAs(String name, Span span) {}

    private static Map<String, View> paramViews(Decl.Fn fn, List<View> views) {
        Map<String, View> m = new LinkedHashMap<>();
        for (int k = 0; k < views.size(); k++) m.put(fn.params().get(k).name().name(), views.get(k));
        return m;
    }

    /**
     * A vector-valued call as a tensor of its own. Index variables of the surrounding expression that its
     * arguments use (softmax(a[j]·z) inside h[j] = …) become leading dimensions of that tensor.
     */
    private View materialize(Decl.Fn fn, List<View> views, DefineAs as) {
        Env env = new Env(paramViews(fn, views), Map.of());
        List<IndexVar> result = new ArrayList<>();
        for (var i : fn.resultIndices()) {
            var iv = new IndexVar(i.name());
            result.add(iv);
            env = env.withIndex(i.name(), iv);
        }
        Ex body = lower(fn.body(), env).at(List.of());
        List<IndexVar> vars = new ArrayList<>();
        for (IndexVar v : Exprs.freeVars(body)) if (!result.contains(v)) vars.add(v);
        int outer = vars.size();
        vars.addAll(result);
        String name = as != null ? as.name() : fn.name().name() + "_" + (++temps);
        Tensor t = sink.define(name, vars, body, as != null ? as.span() : fn.name().span());
        List<Idx> prefix = vars.subList(0, outer).stream().map(Idx::of).toList();
        return new View(t.shape.subList(outer, t.shape.size()), at -> {
            var idx = new ArrayList<>(prefix);
            idx.addAll(at);
            return new Ex.Load(t, idx);
        });
    }

    /** A scalar function: its body indexes nothing and calls only scalar functions, so it maps elementwise. */
    boolean isElementwise(Decl.Fn fn) {
        Boolean known = elementwise.get(fn);
        if (known != null) return known;
        elementwise.put(fn, false); // no recursion after checking; this only guards against surprises
        boolean result = fn.resultIndices().isEmpty() && scalarOnly(fn.body(), fn);
        elementwise.put(fn, result);
        return result;
    }

    private boolean scalarOnly(Expr e, Decl.Fn fn) {
        return switch (e) {
            case Expr.Num n -> true;
            case Expr.Ref r -> r.indices().isEmpty();
            case Expr.Neg n -> scalarOnly(n.operand(), fn);
            case Expr.Binary b -> scalarOnly(b.left(), fn) && scalarOnly(b.right(), fn);
            case Expr.Iverson i -> scalarOnly(i.left(), fn) && scalarOnly(i.right(), fn);
            case Expr.Sum s -> false;
            case Expr.Derivative d -> true;
            case Expr.Call c -> {
                if (!c.indices().isEmpty()) yield false;
                boolean args = c.args().stream().allMatch(a -> scalarOnly(a.value(), fn));
                boolean param = fn.params().stream().anyMatch(p -> p.name().name().equals(c.callee().name()));
                Symbol s = scope.lookup(c.callee().name());
                yield args && (param || s == null || switch (s.target()) {
                    case Symbol.Builtin b -> true;
                    case Symbol.Fn f -> isElementwise(f.decl());
                    default -> false;
                });
            }
        };
    }

    /** The IR function of a scalar function, lowered once: body and stated derivatives over its arguments. */
    Function function(Decl.Fn fn) {
        Function f = functions.get(fn);
        if (f != null) return f;
        f = new Function(fn.name().name(), fn.params().size(), isLibrary(fn));
        functions.put(fn, f);
        Decl.Fn outer = within;
        within = fn;
        Map<String, View> args = new LinkedHashMap<>();
        for (int k = 0; k < fn.params().size(); k++) args.put(fn.params().get(k).name().name(), View.scalar(new Ex.Arg(k)));
        Env env = new Env(args, Map.of());
        f.define(lower(fn.body(), env).at(List.of()));
        for (var d : fn.derivatives()) {
            int k = fn.params().stream().map(p -> p.name().name()).toList().indexOf(d.wrt().name());
            f.state(k, lower(d.body(), env).at(List.of()));
        }
        within = outer;
        return f;
    }

    private boolean isLibrary(Decl.Fn fn) {
        for (var p : scope.preludePrograms()) for (var d : p.decls()) if (d == fn) return true;
        return false;
    }

    /** Arguments to parameters: positional first, then by name, then defaults (the checker made sure it fits). */
    static Expr[] bind(List<Arg> args, List<String> params, List<Expr> defaults) {
        Expr[] out = new Expr[params.size()];
        int k = 0;
        for (Arg a : args) {
            if (a.name() == null) out[k++] = a.value();
            else out[params.indexOf(a.name().name())] = a.value();
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == null) {
                Expr d = i < defaults.size() ? defaults.get(i) : null;
                if (d == null) throw new IllegalStateException("internal: missing argument " + params.get(i));
                out[i] = new Expr.Num(Constants.of(d), d.span());
            }
        }
        return out;
    }
}
