package dev.nnc.check;

import dev.nnc.ast.Decl;
import dev.nnc.diag.Key;
import dev.nnc.diag.Severity;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Neurons: {@code neuron perceptron(x) = σ(Σᵢ wᵢxᵢ + b)}. Every name in the body that is not an argument,
 * a function or a constant is one of the neuron's own parameters (here w and b); its shape is the ranges
 * of its indices (w has one weight per element of x). A layer of n neurons stacks n of each.
 */
final class Neurons {
    private final Functions functions;
    private final Reporter reporter;
    private final Map<Decl.Neuron, Map<String, Integer>> generic = new HashMap<>();

    Neurons(Functions functions, Reporter reporter) {
        this.functions = functions;
        this.reporter = reporter;
    }

    /** The generic check, once: its own parameters with their number of indices, or null if broken. */
    Map<String, Integer> check(Decl.Neuron neuron) {
        if (generic.containsKey(neuron)) return generic.get(neuron);
        Map<String, Value.Free> free = new LinkedHashMap<>();
        Locals locals = new Locals(false, name -> free.computeIfAbsent(name, n -> new Value.Free(n, neuron.name().span())));
        functions.declareParams(neuron.params(), Kind.ARGUMENT, locals);
        boolean[] failed = new boolean[1];
        Reporter watching = d -> {
            if (d.severity() == Severity.ERROR) failed[0] = true;
            reporter.report(d);
        };
        new ExprChecker(functions, locals, watching).check(neuron.body());
        functions.warnUnused(neuron.params(), locals, "neuron " + neuron.name().name());
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (var f : free.values()) ranks.put(f.name, f.uses.isEmpty() ? 0 : f.uses.get(0).size());
        generic.put(neuron, failed[0] ? null : ranks);
        return generic.get(neuron);
    }

    /**
     * The shapes of one neuron's own parameters for these argument shapes (without the layer's size),
     * or null after reporting, at the layer, why the arguments do not fit.
     */
    Map<String, Shape> instantiate(Decl.Neuron neuron, List<Shape> args, Span call) {
        if (check(neuron) == null) return null;
        Map<String, Value.Free> free = new LinkedHashMap<>();
        Locals locals = new Locals(false, name -> free.computeIfAbsent(name, n -> new Value.Free(n, neuron.name().span())));
        for (int i = 0; i < neuron.params().size(); i++) {
            var p = neuron.params().get(i);
            locals.put(new Value.Tensor(p.name().name(), Kind.ARGUMENT, args.get(i), p.name().span()));
        }
        boolean[] failed = new boolean[1];
        Reporter atCall = Reporter.atCall(reporter, call, neuron.name().name());
        Reporter watching = d -> {
            failed[0] = true;
            atCall.report(d);
        };
        Shape body = new ExprChecker(functions, locals, watching).check(neuron.body());
        if (failed[0] || body == null) return null;
        if (!body.isScalar()) {
            reporter.error(Key.NEURON_SHAPE, call, "a neuron computes one number, but " + neuron.name().name()
                            + " computes " + body.describe() + " for these arguments",
                    "sum over the inputs inside the neuron: Σᵢ wᵢxᵢ", neuron.body().span(), "the neuron's body");
            return null;
        }
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (var f : free.values()) {
            Shape shape = null;
            for (int u = 0; u < f.uses.size(); u++) {
                List<Integer> dims = new ArrayList<>();
                for (InferredIndex iv : f.uses.get(u)) {
                    if (iv.range == null) return null;
                    dims.add(iv.range);
                }
                Shape s = Shape.of(dims);
                if (shape != null && !shape.equals(s)) {
                    reporter.error(Key.INDEX_RANGE, call, "in " + neuron.name().name() + ", " + f.name + " is "
                            + shape + " in one place and " + s + " in another for these arguments", null,
                            f.useSpans.get(u), "here it is " + s);
                    return null;
                }
                shape = s;
            }
            shapes.put(f.name, shape == null ? Shape.SCALAR : shape);
        }
        return shapes;
    }
}
