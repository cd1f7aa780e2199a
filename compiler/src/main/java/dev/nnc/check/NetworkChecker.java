package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Init;
import dev.nnc.ast.Member;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Builtins;
import dev.nnc.resolve.Suggest;
import dev.nnc.resolve.Symbol;
import dev.nnc.runtime.Sizes;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CHECK for one network: declarations, then the computed values (equations, layers, the loss) in
 * dependency order — so every shape a value uses is known when it is checked — then outputs, the loss,
 * and what is never used.
 */
final class NetworkChecker {
    private final Functions functions;
    private final Neurons neurons;
    private final Reporter reporter;
    private final Decl.Network network;
    private final Locals locals = Locals.plain();
    private final Map<String, CheckedNetwork.NetworkValue> values = new LinkedHashMap<>();
    /** Equations, layers and the loss by name. */
    private final Map<String, Member> computed = new LinkedHashMap<>();
    private final List<Ident> outputs = new ArrayList<>();
    private Member.Loss loss;

    NetworkChecker(Functions functions, Neurons neurons, Reporter reporter, Decl.Network network) {
        this.functions = functions;
        this.neurons = neurons;
        this.reporter = reporter;
        this.network = network;
    }

    CheckedNetwork check() {
        for (Member m : network.members()) declare(m);
        Map<String, Set<String>> deps = dependencies();
        List<String> order = order(deps);
        for (String name : order) checkComputed(computed.get(name));
        // Values on a cycle were reported; look at them anyway so that what they use counts as used.
        Set<String> ordered = new HashSet<>(order);
        for (var e : computed.entrySet()) if (!ordered.contains(e.getKey())) usesOnly(e.getValue());
        checkOutputs(deps);
        checkParameterCount();
        warnUnused(deps);
        return new CheckedNetwork(network, values, order, outputs.stream().map(Ident::name).toList(),
                loss == null ? null : loss.name().name());
    }

    // ─── Declarations ─────────────────────────────────────────────────────────────────────────────

    private void declare(Member m) {
        switch (m) {
            case Member.Input in -> in.tensors().forEach(t -> declareTensor(t, Kind.INPUT));
            case Member.Target tg -> tg.tensors().forEach(t -> declareTensor(t, Kind.TARGET));
            case Member.Params ps -> declareParams(ps);
            case Member.Layer l -> declareComputed(l.name(), l);
            case Member.Equation e -> declareComputed(e.name(), e);
            case Member.Loss l -> {
                if (loss != null) {
                    reporter.error(Key.DUPLICATE_LOSS, l.name().span(), "a network has one loss, and "
                            + network.name().name() + " already has " + loss.name().name(),
                            "add the terms into one loss: loss J = a + b", loss.name().span(), "the first loss");
                    return;
                }
                if (declareComputed(l.name(), l)) loss = l;
            }
            case Member.Output o -> outputs.addAll(o.names());
        }
    }

    private void declareTensor(Member.TensorDecl t, Kind kind) {
        Shape shape = fits(t.name().name(), dims(t.dims()), dimsSpan(t.dims(), t.name().span()));
        put(t.name(), kind, shape, null);
    }

    private Shape dims(List<Member.Dim> dims) {
        List<Integer> sizes = new ArrayList<>();
        for (var d : dims) {
            if (d.size() < 1) {
                reporter.error(Key.BAD_DIMENSION, d.span(), "a size must be at least 1, not " + d.size(), null);
                return null;
            }
            sizes.add(d.size());
        }
        return Shape.of(sizes);
    }

    /** Where a declaration's sizes are written, {@code [50000,50000]}; the name when there are none. */
    private static Span dimsSpan(List<Member.Dim> dims, Span name) {
        return dims.isEmpty() ? name : dims.get(0).span().to(dims.get(dims.size() - 1).span());
    }

    /**
     * The shape, or null after reporting that it has more elements than one array holds: every backend keeps a
     * tensor in one array, and a size that wrapped around an int would be a negative or zero-sized one.
     */
    private Shape fits(String name, Shape shape, Span where) {
        if (shape == null || shape.size() <= Sizes.MAX_ARRAY) return shape;
        reporter.error(Key.TOO_LARGE, where, name + shape + " has " + Sizes.exact(shape.dims())
                + " elements, more than one tensor can hold (" + String.format(Locale.ROOT, "%,d", Sizes.MAX_ARRAY) + ")",
                "nnc keeps each tensor in one array; make it smaller");
        return null;
    }

    /** All parameters lie in one array (docs/architecture.md), so their number has the same limit as a tensor's. */
    private void checkParameterCount() {
        long total = 0;
        for (var v : values.values()) {
            if ((v.kind() == Kind.PARAM || v.kind() == Kind.LAYER_PARAM) && v.shape() != null) total = Sizes.plus(total, v.shape().size());
        }
        if (total > Sizes.MAX_ARRAY) {
            reporter.error(Key.TOO_LARGE, network.name().span(), "the network " + network.name().name() + " has "
                    + String.format(Locale.ROOT, "%,d", total) + " parameters, more than nnc can hold ("
                    + String.format(Locale.ROOT, "%,d", Sizes.MAX_ARRAY) + " in all)",
                    "nnc keeps all parameters in one array; make the network smaller");
        }
    }

    /** {@code param a, b ~ normal(0, 1), c = 0}: a name without an initializer takes the next one's. */
    private void declareParams(Member.Params ps) {
        var items = ps.params();
        var inits = new Init[items.size()];
        Init next = null;
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i).init() != null) next = items.get(i).init();
            inits[i] = next;
        }
        for (int i = 0; i < items.size(); i++) {
            var p = items.get(i);
            Shape shape = fits(p.name().name(), dims(p.dims()), dimsSpan(p.dims(), p.name().span()));
            boolean indexed = shape != null && !shape.isScalar();
            ParamInit init = inits[i] == null ? Initializers.defaultFor(indexed)
                    : Initializers.check(inits[i], shape, indexed, p.name().name(), reporter);
            put(p.name(), Kind.PARAM, shape, init);
        }
    }

    private boolean declareComputed(Ident name, Member m) {
        if (!put(name, kindOf(m), null, null)) return false;
        computed.put(name.name(), m);
        return true;
    }

    private static Kind kindOf(Member m) {
        return switch (m) {
            case Member.Layer l -> Kind.LAYER;
            case Member.Loss l -> Kind.LOSS;
            default -> Kind.EQUATION;
        };
    }

    private boolean put(Ident name, Kind kind, Shape shape, ParamInit init) {
        String n = name.name();
        if (Builtins.CONSTANTS.containsKey(n)) {
            reporter.error(Key.REDEFINES_BUILTIN, name.span(), n + " is a built-in constant", "choose another name");
            return false;
        }
        var function = functions.scope().lookup(n);
        if (function != null && !(function instanceof Symbol.Network)) {
            // Else f(x) would silently turn from a call into the product f·x.
            reporter.error(Key.DUPLICATE_DEFINITION, name.span(), n + " is the name of a " + function.kind()
                    + "; a network's values need names of their own", "rename it, e.g. " + n + "1");
        }
        var previous = values.get(n);
        if (previous != null) {
            reporter.error(Key.DUPLICATE_DEFINITION, name.span(), n + " is already defined as " + article(previous.kind()),
                    "each name is defined once; equations cannot redefine inputs or parameters",
                    previous.span(), "first defined here");
            return false;
        }
        values.put(n, new CheckedNetwork.NetworkValue(n, kind, shape, name.span(), init));
        locals.put(new Value.Tensor(n, kind, shape, name.span()));
        return true;
    }

    private static String article(Kind k) {
        String d = k.description;
        return ("aeiou".indexOf(d.charAt(0)) >= 0 ? "an " : "a ") + d;
    }

    // ─── Dependencies ─────────────────────────────────────────────────────────────────────────────

    private Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> deps = new LinkedHashMap<>();
        for (var e : computed.entrySet()) {
            Set<String> out = new LinkedHashSet<>();
            switch (e.getValue()) {
                case Member.Equation eq -> refs(eq.value(), out);
                case Member.Loss l -> refs(l.value(), out);
                case Member.Layer l -> l.args().forEach(a -> refs(a.value(), out));
                default -> { }
            }
            deps.put(e.getKey(), out);
        }
        return deps;
    }

    /** Names of values an expression refers to; a qualified h1.w refers to its layer h1. */
    private static void refs(Expr e, Set<String> out) {
        switch (e) {
            case Expr.Ref r -> {
                String n = r.name().name();
                int dot = n.indexOf('.');
                out.add(dot < 0 ? n : n.substring(0, dot));
            }
            case Expr.Call c -> {
                out.add(c.callee().name());
                c.args().forEach(a -> refs(a.value(), out));
            }
            case Expr.Neg n -> refs(n.operand(), out);
            case Expr.Binary b -> {
                refs(b.left(), out);
                refs(b.right(), out);
            }
            case Expr.Sum s -> refs(s.body(), out);
            case Expr.Iverson i -> {
                refs(i.left(), out);
                refs(i.right(), out);
            }
            case Expr.Num n -> { }
            case Expr.Derivative d -> { }
        }
    }

    /** A topological order of the computed values; values on a cycle are reported and left out. */
    private List<String> order(Map<String, Set<String>> deps) {
        List<String> order = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
        Set<String> cyclic = new HashSet<>();
        for (String n : deps.keySet()) visit(n, deps, state, new ArrayList<>(), order, cyclic);
        order.removeAll(cyclic);
        return order;
    }

    private void visit(String n, Map<String, Set<String>> deps, Map<String, Integer> state, List<String> path,
                       List<String> order, Set<String> cyclic) {
        Integer s = state.get(n);
        if (s != null && s == 2) return;
        if (s != null && s == 1) {
            var cycle = new ArrayList<>(path.subList(path.indexOf(n), path.size()));
            cycle.add(n);
            Member first = computed.get(n);
            reporter.error(Key.CYCLE, nameSpan(first), n + " depends on itself: " + String.join(" → ", cycle),
                    "a network computes forward; no value may use itself, directly or through others");
            cyclic.addAll(cycle);
            return;
        }
        state.put(n, 1);
        path.add(n);
        for (String d : deps.get(n)) if (deps.containsKey(d)) visit(d, deps, state, path, order, cyclic);
        path.remove(path.size() - 1);
        state.put(n, 2);
        order.add(n);
    }

    private static Span nameSpan(Member m) {
        return switch (m) {
            case Member.Equation e -> e.name().span();
            case Member.Layer l -> l.name().span();
            case Member.Loss l -> l.name().span();
            default -> m.span();
        };
    }

    // ─── Computed values ──────────────────────────────────────────────────────────────────────────

    private void checkComputed(Member m) {
        switch (m) {
            case Member.Equation e -> define(e.name(), Kind.EQUATION, equation(e));
            case Member.Loss l -> {
                Shape shape = new ExprChecker(functions, locals, reporter).check(l.value());
                var origin = shape != null && shape.isOneElement() ? oneElementOrigin(l.value(), new HashSet<>()) : null;
                if (origin != null) {
                    reporter.error(Key.LOSS_NOT_SCALAR, l.value().span(), "the loss must be one number per sample, but this has "
                            + shape.describe() + ", a list of one number, because " + origin.name() + " is declared "
                            + origin.name() + origin.shape(), "declare " + origin.name() + " without " + origin.shape()
                            + " to make it a number: " + declaration(origin), origin.span(), origin.name() + " is declared here");
                    shape = null;
                } else if (shape != null && !shape.isScalar()) {
                    reporter.error(Key.LOSS_NOT_SCALAR, l.value().span(), "the loss must be one number per sample, but "
                            + "this has " + shape.describe(), "sum it over its index: loss " + l.name().name()
                            + " = Σₖ …[k]");
                    shape = null;
                }
                define(l.name(), Kind.LOSS, shape);
            }
            case Member.Layer l -> define(l.name(), Kind.LAYER, layer(l));
            default -> throw new IllegalStateException("internal: not a computed member: " + m);
        }
    }

    /**
     * The declared value of shape [1] (or [1,1], …) that makes a value of that shape, through the equations between:
     * a {@code param b[1]}, {@code target y[1]} or {@code layer out[1]} meant as a number. Null if there is none.
     */
    private CheckedNetwork.NetworkValue oneElementOrigin(Expr e, Set<String> seen) {
        Set<String> names = new LinkedHashSet<>();
        refs(e, names);
        for (String n : names) {
            var v = values.get(n);
            if (v == null || v.shape() == null || !v.shape().isOneElement() || !seen.add(n)) continue;
            if (computed.get(n) instanceof Member.Equation eq) {
                var o = oneElementOrigin(eq.value(), seen);
                if (o != null) return o;
            } else if (Shape.DECLARED.contains(v.kind())) {
                return v;
            }
        }
        return null;
    }

    /** How a value of this kind is declared as a number: param b, target y, layer out = …. */
    private String declaration(CheckedNetwork.NetworkValue v) {
        return switch (v.kind()) {
            case INPUT -> "input " + v.name();
            case TARGET -> "target " + v.name();
            case PARAM -> "param " + v.name();
            default -> computed.get(v.name()) instanceof Member.Layer l
                    ? "layer " + v.name() + " = " + l.neuron().name() + "(…)" : v.name();
        };
    }

    private void usesOnly(Member m) {
        var silent = new ExprChecker(functions, locals, d -> { });
        switch (m) {
            case Member.Equation e -> {
                e.indices().forEach(i -> silent.bindIndex(i.name(), i.span()));
                silent.check(e.value());
            }
            case Member.Loss l -> silent.check(l.value());
            case Member.Layer l -> l.args().forEach(a -> silent.check(a.value()));
            default -> { }
        }
    }

    private void define(Ident name, Kind kind, Shape shape) {
        shape = fits(name.name(), shape, name.span());
        values.put(name.name(), new CheckedNetwork.NetworkValue(name.name(), kind, shape, name.span(), null));
        locals.put(new Value.Tensor(name.name(), kind, shape, name.span()));
    }

    private Shape equation(Member.Equation e) {
        var checker = new ExprChecker(functions, locals, reporter);
        Map<String, InferredIndex> free = new LinkedHashMap<>();
        boolean broken = false;
        for (Ident i : e.indices()) {
            if (free.containsKey(i.name())) {
                reporter.error(Key.DUPLICATE_INDEX, i.span(), "the index " + i.name() + " appears twice on the left",
                        "a diagonal is not definable this way; each left index is a different one");
                continue;
            }
            if (locals.has(i.name())) {
                reporter.error(Key.INDEX_REUSED, i.span(), "the index " + i.name() + " has the name of the "
                        + locals.get(i.name()).kind().description + " " + i.name(), "use another letter for the index");
                broken = true;
                continue;
            }
            free.put(i.name(), checker.bindIndex(i.name(), i.span()));
        }
        Shape rhs = checker.check(e.value());
        if (broken || e.indices().size() != free.size()) return null;
        if (free.isEmpty() || rhs == null) return rhs;
        if (!rhs.isScalar()) {
            reporter.error(Key.SHAPE_MISMATCH, e.value().span(), "each element " + e.name().name() + "["
                    + String.join(",", free.keySet()) + "] is one number, but the right side has " + rhs.describe(),
                    "index the right side too");
            return null;
        }
        List<Integer> dims = new ArrayList<>();
        for (InferredIndex iv : free.values()) {
            if (!iv.subscripts) {
                reporter.error(Key.UNKNOWN_RANGE, iv.declared, "cannot tell the range of " + iv.name
                        + ": it subscripts nothing on the right side", "ranges come from what an index subscripts");
                return null;
            }
            if (iv.range == null) return null;
            dims.add(iv.range);
        }
        return Shape.of(dims);
    }

    private Shape layer(Member.Layer l) {
        Shape size = dims(l.dims());
        String name = l.neuron().name();
        Symbol s = functions.scope().lookup(name);
        if (s == null) {
            String guess = Suggest.closest(name, functions.scope().names());
            reporter.error(Key.UNDEFINED_FUNCTION, l.neuron().span(), "undefined neuron " + name,
                    guess != null ? "did you mean " + guess + "?" : "declare it: neuron " + name + "(x) = …");
            l.args().forEach(a -> new ExprChecker(functions, locals, reporter).check(a.value()));
            return null;
        }
        if (!(s.target() instanceof Symbol.Neuron neuron)) {
            l.args().forEach(a -> new ExprChecker(functions, locals, reporter).check(a.value()));
            if (!(s.target() instanceof Symbol.Alias)) {
                reporter.error(Key.NOT_A_NEURON, l.neuron().span(), name + " is a " + s.target().kind()
                        + ", but a layer is made of neurons", s.target() instanceof Symbol.Fn
                        ? "use it in an equation, h[j] = " + name + "(…), or declare neuron n(x) = " + name + "(Σᵢ wᵢxᵢ + b)"
                        : null);
            }
            return null;
        }
        var decl = neuron.decl();
        var params = decl.params().stream().map(p -> p.name().name()).toList();
        var required = decl.params().stream().map(p -> p.defaultValue() == null).toList();
        var checker = new ExprChecker(functions, locals, reporter);
        Expr[] bound = Arguments.bind(l.args(), params, required, l.span(), name, reporter);
        if (bound == null) {
            checker.checkArgs(l.args());
            return null;
        }
        List<Shape> shapes = new ArrayList<>();
        for (Expr a : bound) {
            Shape sh = a == null ? Shape.SCALAR : checker.check(a);
            if (sh == null) return null;
            shapes.add(sh);
        }
        Map<String, Integer> own = neurons.check(decl);
        Map<String, Shape> freeShapes = neurons.instantiate(decl, shapes, l.span());
        if (own == null || freeShapes == null || size == null) return null;

        Map<String, ParamInit> inits = new HashMap<>();
        Map<String, Span> given = new HashMap<>();
        for (var with : l.inits()) {
            String p = with.name().name();
            if (!freeShapes.containsKey(p)) {
                String guess = Suggest.closest(p, freeShapes.keySet());
                reporter.error(Key.UNKNOWN_LAYER_PARAM, with.name().span(), name + " has no parameter " + p,
                        guess != null ? "did you mean " + guess + "?"
                                : "its parameters are " + String.join(", ", freeShapes.keySet()));
                continue;
            }
            if (given.containsKey(p)) {
                reporter.error(Key.DUPLICATE_ARGUMENT, with.name().span(), p + " is initialized twice", null,
                        given.get(p), "first here");
                continue;
            }
            given.put(p, with.name().span());
            List<Integer> dims = new ArrayList<>(size.dims());
            dims.addAll(freeShapes.get(p).dims());
            inits.put(p, Initializers.check(with.init(), Shape.of(dims), !freeShapes.get(p).isScalar(),
                    l.name().name() + "." + p, reporter));
        }
        for (var e : freeShapes.entrySet()) {
            List<Integer> dims = new ArrayList<>(size.dims());
            dims.addAll(e.getValue().dims());
            String qualified = l.name().name() + "." + e.getKey();
            Shape shape = fits(qualified, Shape.of(dims), l.name().span());
            ParamInit init = given.containsKey(e.getKey()) ? inits.get(e.getKey())
                    : Initializers.defaultFor(!e.getValue().isScalar());
            values.put(qualified, new CheckedNetwork.NetworkValue(qualified, Kind.LAYER_PARAM, shape, l.name().span(), init));
            locals.put(new Value.Tensor(qualified, Kind.LAYER_PARAM, shape, l.name().span()));
        }
        return size;
    }

    // ─── Outputs, loss, unused ────────────────────────────────────────────────────────────────────

    private void checkOutputs(Map<String, Set<String>> deps) {
        if (outputs.isEmpty()) {
            reporter.error(Key.NO_OUTPUT, network.name().span(), "the network " + network.name().name() + " has no output",
                    "say which value it computes: output name");
        }
        if (loss == null) {
            reporter.error(Key.NO_LOSS, network.name().span(), "the network " + network.name().name() + " has no loss",
                    "training minimises a loss: loss J = bce(out, y)");
        }
        for (Ident o : outputs) {
            if (!values.containsKey(o.name())) {
                String guess = Suggest.closest(o.name(), values.keySet());
                reporter.error(Key.UNDEFINED_NAME, o.span(), "undefined name " + o.name(),
                        guess != null ? "did you mean " + guess + "?" : null);
            } else {
                locals.markUsed(o.name());
                checkPredictable(o, deps);
            }
        }
    }

    /**
     * An output is what prediction computes, and prediction is given the inputs alone: an output may be an input,
     * a parameter or a value computed from those (the loss too, when it uses no target), never a target or a value
     * that uses one — the backends would have nothing to read it from.
     */
    private void checkPredictable(Ident output, Map<String, Set<String>> deps) {
        Map<String, String> via = new HashMap<>(); // a name → the value that uses it, on the way from the output
        List<String> work = new ArrayList<>(List.of(output.name()));
        via.put(output.name(), null);
        while (!work.isEmpty()) {
            String n = work.remove(0); // breadth first: the shortest way to a target
            var v = values.get(n);
            if (v != null && v.kind() == Kind.TARGET) {
                List<String> path = new ArrayList<>();
                for (String p = via.get(n); p != null && !p.equals(output.name()); p = via.get(p)) path.add(0, p);
                String message = n.equals(output.name())
                        ? n + " is a target, and prediction is given only the inputs: a target cannot be an output"
                        : "the output " + output.name() + " uses the target " + n + (path.isEmpty() ? "" : " (through " + String.join(", ", path) + ")")
                                + ", and prediction is given only the inputs";
                reporter.error(Key.OUTPUT_USES_TARGET, output.span(), message,
                        "an output is computed from the inputs; the loss is where it meets " + n, v.span(), n + " is a target");
                return;
            }
            for (String d : deps.getOrDefault(n, Set.of())) {
                if (!via.containsKey(d)) {
                    via.put(d, n);
                    work.add(d);
                }
            }
        }
    }

    private void warnUnused(Map<String, Set<String>> deps) {
        Set<String> live = new HashSet<>();
        List<String> work = new ArrayList<>(outputs.stream().map(Ident::name).toList());
        if (loss != null) work.add(loss.name().name());
        while (!work.isEmpty()) {
            String n = work.remove(work.size() - 1);
            if (!live.add(n)) continue;
            Set<String> d = deps.get(n);
            if (d != null) work.addAll(d);
        }
        for (var v : values.values()) {
            if (v.kind() == Kind.LAYER_PARAM || v.kind() == Kind.LOSS) continue;
            boolean computedValue = computed.containsKey(v.name());
            if (computedValue ? !live.contains(v.name()) : !locals.isUsed(v.name())) {
                String what = switch (v.kind()) {
                    case INPUT -> "the input " + v.name() + " is never used";
                    case TARGET -> "the target " + v.name() + " is never used";
                    case PARAM -> "the parameter " + v.name() + " is never used";
                    default -> v.name() + " is computed but used by no output and not by the loss";
                };
                reporter.error(Key.UNUSED, v.span(), what, null);
            }
        }
    }
}
