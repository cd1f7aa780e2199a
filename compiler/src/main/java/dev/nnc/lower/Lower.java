package dev.nnc.lower;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Expr;
import dev.nnc.ast.Member;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.CheckedProgram;
import dev.nnc.check.ParamInit;
import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.resolve.Symbol;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LOWER: a checked network to the IR. Every input, target and parameter (layer parameters under their
 * qualified names, h1.w) becomes a tensor; every equation, layer and the loss a def in dependency order;
 * a layer of n neurons is one def over the neuron index, its neurons' parameters stacked. A def whose
 * value is an activation of a weighted sum is split in two — the pre-activation z_h and h = act(z_h) — so
 * that the backward pass has a δ per neuron or layer, as backpropagation is taught.
 */
public final class Lower {
    private final CheckedProgram program;
    private final CheckedNetwork network;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, View> values = new HashMap<>();
    private final List<Def> defs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final ExprLowering lowering;

    private Lower(CheckedProgram program, CheckedNetwork network) {
        this.program = program;
        this.network = network;
        this.lowering = new ExprLowering(program.scope(), this::define);
    }

    /** The IR of a network, and the library functions the later stages may introduce. */
    public record Lowered(Graph graph, Library library) {}

    public static Lowered lower(CheckedProgram program, CheckedNetwork network) {
        var l = new Lower(program, network);
        return new Lowered(l.run(), new Library(program.scope(), l.lowering));
    }

    private Graph run() {
        List<Tensor> inputs = new ArrayList<>(), targets = new ArrayList<>(), params = new ArrayList<>();
        Map<Tensor, ParamInit> inits = new LinkedHashMap<>();
        for (var v : network.values().values()) {
            Tensor.Role role = switch (v.kind()) {
                case INPUT -> Tensor.Role.INPUT;
                case TARGET -> Tensor.Role.TARGET;
                case PARAM, LAYER_PARAM -> Tensor.Role.PARAM;
                default -> null;
            };
            if (role == null) continue;
            Tensor t = new Tensor(v.name(), role, v.shape().dims(), v.span());
            tensors.put(v.name(), t);
            names.add(v.name());
            values.put(v.name(), View.of(t));
            switch (role) {
                case INPUT -> inputs.add(t);
                case TARGET -> targets.add(t);
                default -> {
                    params.add(t);
                    inits.put(t, v.init());
                }
            }
        }
        // layer parameters appear when their layer is checked; list them in the order of their layers
        Map<String, Member> members = new HashMap<>();
        for (Member m : network.decl().members()) {
            switch (m) {
                case Member.Equation e -> members.put(e.name().name(), m);
                case Member.Layer l -> members.put(l.name().name(), m);
                case Member.Loss l -> members.put(l.name().name(), m);
                default -> { }
            }
        }
        for (String name : network.order()) {
            switch (members.get(name)) {
                case Member.Equation e -> equation(e);
                case Member.Layer l -> layer(l);
                case Member.Loss l -> {
                    Ex body = lowering.lower(l.value(), env()).at(List.of());
                    add(new Tensor(name, Tensor.Role.VALUE, List.of(), l.name().span()), List.of(), body);
                }
                default -> throw new IllegalStateException("internal: " + name + " is not computed");
            }
        }
        List<Tensor> outputs = network.outputs().stream().map(tensors::get).toList();
        return new Graph(network.name(), inputs, targets, params, inits, defs, tensors.get(network.loss()), outputs,
                List.of(), Map.of(), List.of(), lowering.domains());
    }

    private ExprLowering.Env env() { return new ExprLowering.Env(values, Map.of()); }

    private void equation(Member.Equation e) {
        String name = e.name().name();
        if (e.indices().isEmpty() && e.value() instanceof Expr.Call c && c.indices().isEmpty()
                && program.scope().lookup(c.callee().name()) instanceof Symbol s && s.target() instanceof Symbol.Fn f
                && !f.decl().resultIndices().isEmpty() && !values.containsKey(c.callee().name())) {
            // p = softmax(z) defines p itself
            lowering.function(f.decl(), c.args(), env(), new ExprLowering.DefineAs(name, e.name().span()));
            return;
        }
        var env = env();
        List<IndexVar> vars = new ArrayList<>();
        for (var i : e.indices()) {
            var iv = new IndexVar(i.name());
            vars.add(iv);
            env = env.withIndex(i.name(), iv);
        }
        View v = lowering.lower(e.value(), env);
        if (vars.isEmpty()) vars = freshVars(v.shape());
        Ex body = v.at(vars.stream().map(Idx::of).toList());
        lowering.settle();
        List<Integer> shape = vars.stream().map(IndexVar::range).toList();
        add(new Tensor(name, Tensor.Role.VALUE, shape, e.name().span()), vars, body);
    }

    private void layer(Member.Layer l) {
        var neuron = ((Symbol.Neuron) program.scope().lookup(l.neuron().name()).target()).decl();
        String layer = l.name().name();
        IndexVar j = l.dims().isEmpty() ? null : new IndexVar(layerIndexName(neuron), l.dims().get(0).size());
        var params = neuron.params().stream().map(p -> p.name().name()).toList();
        var defaults = neuron.params().stream().map(Decl.Param::defaultValue).toList();
        Expr[] bound = ExprLowering.bind(l.args(), params, defaults);
        Map<String, View> scope = new LinkedHashMap<>();
        for (int k = 0; k < bound.length; k++) scope.put(params.get(k), lowering.lower(bound[k], env()));
        for (var t : tensors.values()) {
            if (!t.name.startsWith(layer + ".")) continue;
            String free = t.name.substring(layer.length() + 1);
            var own = j == null ? t.shape : t.shape.subList(1, t.shape.size());
            scope.put(free, new View(own, at -> {
                List<Idx> idx = new ArrayList<>();
                if (j != null) idx.add(Idx.of(j));
                idx.addAll(at);
                return new Ex.Load(t, idx);
            }));
        }
        Ex body = lowering.lower(neuron.body(), new ExprLowering.Env(scope, Map.of())).at(List.of());
        List<IndexVar> vars = j == null ? List.of() : List.of(j);
        add(new Tensor(layer, Tensor.Role.VALUE, vars.stream().map(IndexVar::range).toList(), l.name().span()), vars, body);
    }

    /** A letter for a layer's neuron index that the neuron's own sums do not use, for readable printing. */
    private static String layerIndexName(Decl.Neuron n) {
        String text = n.body().span().text();
        for (String c : List.of("j", "k", "l", "m", "n")) if (!text.contains(c + "]") && !text.contains("Σ" + c)) return c;
        return "j";
    }

    private static List<IndexVar> freshVars(List<Integer> shape) {
        String letters = "ijklmn";
        List<IndexVar> out = new ArrayList<>();
        for (int k = 0; k < shape.size(); k++) out.add(new IndexVar(String.valueOf(letters.charAt(k % letters.length())), shape.get(k)));
        return out;
    }

    /** A vector-valued call's own tensor (ExprLowering's sink). */
    private Tensor define(String name, List<IndexVar> vars, Ex body, Span span) {
        lowering.settle();
        Tensor t = new Tensor(unique(name), Tensor.Role.VALUE, vars.stream().map(IndexVar::range).toList(), span);
        add(t, vars, body);
        return t;
    }

    private void add(Tensor t, List<IndexVar> vars, Ex body) {
        names.add(t.name);
        tensors.put(t.name, t);
        values.put(t.name, View.of(t));
        split(t, t, vars, body, 1);
    }

    /**
     * Defines t, splitting an activation from its argument: h = act(z_h). An argument that is itself a call is split
     * again (z_h = tanh(z2_h)), and so is a call's argument anywhere in a body that holds another call (z2_h = −tanh(z3_h),
     * 2·tanh(z3_h)): tanh(−tanh(…)) nested n deep is n defs whose derivatives read the stored values, not one def
     * whose derivative recomputes every inner call (n² operations). Nothing under a Σ is split: it depends on the
     * summed index.
     */
    private void split(Tensor of, Tensor t, List<IndexVar> vars, Ex body, int level) {
        if (body instanceof Ex.Apply a && splits(a)) {
            int k = 0;
            while (a.args().get(k) instanceof Ex.Num) k++;
            var args = new ArrayList<>(a.args());
            args.set(k, part(of, t, vars, a.args().get(k), level, true));
            body = new Ex.Apply(a.f(), args);
        } else { // abs(abs(…)) and exp(log(…)) too: a primitive's derivative reads its argument
            body = hoist(of, t, vars, body, level, true).e();
        }
        defs.add(new Def(t, vars, body));
    }

    /**
     * A new def z{level}_of of e, split in turn, before t's; its read. It is t's pre-activation (its δ is named after t)
     * when t is a call of it.
     */
    private Ex part(Tensor of, Tensor t, List<IndexVar> vars, Ex e, int level, boolean preActivation) {
        Tensor z = new Tensor(unique((level == 1 ? "z_" : "z" + level + "_") + of.name), Tensor.Role.VALUE, t.shape, t.span,
                preActivation ? t : null, null);
        split(of, z, vars, e, level + 1);
        return new Ex.Load(z, vars.stream().map(Idx::of).toList());
    }

    /** A term, and whether it holds a call (outside any Σ). */
    private record Hoisted(Ex e, boolean call) {}

    /**
     * e with each call's argument that holds another call made a def of its own (part), bottom-up, in one pass;
     * {@code top} when e is t's whole body.
     */
    private Hoisted hoist(Tensor of, Tensor t, List<IndexVar> vars, Ex e, int level, boolean top) {
        if (e instanceof Ex.Sum || e instanceof Ex.Max) return new Hoisted(e, false);
        boolean call = nonlinear(e);
        boolean[] inner = {false};
        Ex rebuilt = Exprs.mapChildren(e, c -> {
            Hoisted h = hoist(of, t, vars, c, level + 1, false);
            if (call && h.call()) return part(of, t, vars, h.e(), level, top);
            inner[0] |= h.call();
            return h.e();
        });
        return new Hoisted(rebuilt, call || inner[0]);
    }

    /**
     * A call of a function or of a primitive of one argument: what a nested one is split from. max and min are not:
     * their derivative selects an argument rather than reading the value.
     */
    private static boolean nonlinear(Ex e) {
        return e instanceof Ex.Apply || e instanceof Ex.Call c && c.f().arity == 1;
    }

    /** An activation of something computed: one argument that is not a number and not already a tensor. */
    private static boolean splits(Ex.Apply a) {
        int computed = 0;
        boolean load = false;
        for (Ex x : a.args()) {
            if (x instanceof Ex.Num) continue;
            computed++;
            load = x instanceof Ex.Load;
        }
        return computed == 1 && !load;
    }

    private String unique(String name) {
        String n = name;
        while (names.contains(n)) n = n + "′";
        names.add(n);
        return n;
    }
}
