package dev.nnc.check;

import dev.nnc.ast.Init;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Validates {@code ~ distribution(args)} and {@code = value} for a parameter of a given shape. */
final class Initializers {
    private Initializers() {}

    /** Parameters of each distribution; a null default means required. Aliases map to one name. */
    private record Distribution(String name, List<String> params, List<Double> defaults, boolean needsIndex) {}

    private static final Map<String, Distribution> DISTRIBUTIONS = Map.of(
            "normal", new Distribution("normal", List.of("mean", "std"), Arrays.asList(0.0, 1.0), false),
            "uniform", new Distribution("uniform", List.of("low", "high"), Arrays.asList(null, null), false),
            "he", new Distribution("he", List.of(), List.of(), true),
            "kaiming", new Distribution("he", List.of(), List.of(), true),
            "xavier", new Distribution("xavier", List.of(), List.of(), true),
            "glorot", new Distribution("xavier", List.of(), List.of(), true),
            "zeros", new Distribution("zeros", List.of(), List.of(), false),
            "ones", new Distribution("ones", List.of(), List.of(), false));

    /** The default for a parameter that names no initializer: weights (indexed) xavier, biases zero. */
    static ParamInit defaultFor(boolean indexed) {
        return indexed ? new ParamInit.Random("xavier", List.of()) : new ParamInit.Constant(0);
    }

    /**
     * @param shape   the parameter's shape; null when its declaration was wrong (and reported)
     * @param indexed whether a neuron indexes it (a layer's parameter has the layer's size besides), as he and xavier need
     */
    static ParamInit check(Init init, Shape shape, boolean indexed, String param, Reporter reporter) {
        return switch (init) {
            case Init.Value v -> {
                Double value = Constants.eval(v.value(), reporter, "the initial value of " + param);
                yield value == null ? null : new ParamInit.Constant(value);
            }
            case Init.Values v -> shape == null ? null : ArrayLiterals.values(v, shape, param, reporter);
            case Init.Random r -> random(r, indexed, param, reporter);
        };
    }

    private static ParamInit random(Init.Random r, boolean indexed, String param, Reporter reporter) {
        String name = r.distribution().name();
        Distribution d = DISTRIBUTIONS.get(name);
        if (d == null) {
            String guess = Suggest.closest(name, DISTRIBUTIONS.keySet());
            reporter.error(Key.UNKNOWN_INITIALIZER, r.distribution().span(), "unknown initializer " + name,
                    guess != null ? "did you mean " + guess + "?"
                            : "use normal(mean, std), uniform(low, high), he, xavier, zeros or ones");
            return null;
        }
        if (d.needsIndex() && !indexed) {
            reporter.error(Key.INIT_NEEDS_INDEX, r.distribution().span(), name + " scales by the number of inputs, but "
                    + param + " is a single number", "use normal(0, σ) for a scalar weight");
            return null;
        }
        var required = d.defaults().stream().map(x -> x == null).toList();
        var bound = Arguments.bind(r.args(), d.params(), required, r.span(), name, reporter);
        if (bound == null) return null;
        List<Double> args = new ArrayList<>();
        for (int i = 0; i < bound.length; i++) {
            Double v = bound[i] == null ? d.defaults().get(i)
                    : Constants.eval(bound[i], reporter, "the " + d.params().get(i) + " of " + name);
            if (v == null) return null;
            args.add(v);
        }
        if (d.name().equals("normal") && !(args.get(1) > 0)) {
            reporter.error(Key.BAD_INITIALIZER, r.span(), "a normal distribution needs a positive std, not "
                    + Constants.format(args.get(1)), null);
            return null;
        }
        if (d.name().equals("uniform") && !(args.get(0) < args.get(1))) {
            reporter.error(Key.BAD_INITIALIZER, r.span(), "uniform(low, high) needs low < high, not "
                    + Constants.format(args.get(0)) + " and " + Constants.format(args.get(1)), null);
            return null;
        }
        return new ParamInit.Random(d.name(), args);
    }
}
