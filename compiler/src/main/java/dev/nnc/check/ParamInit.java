package dev.nnc.check;

import dev.nnc.runtime.Initializer;
import java.util.List;

/** How a parameter's values start, after defaults and sharing are worked out. */
public sealed interface ParamInit {
    /** Drawn from a distribution: normal(mean, std), uniform(low, high), he, xavier, zeros, ones. */
    record Random(String distribution, List<Double> args) implements ParamInit {
        public Random { args = List.copyOf(args); }
    }

    record Constant(double value) implements ParamInit {}

    /** Every element given ({@code = [0, -1]}), row-major. */
    record Values(List<Double> values) implements ParamInit {
        public Values { values = List.copyOf(values); }
    }

    /** Whether the values are the same for every seed, so that the network runs as written without trained weights. */
    default boolean deterministic() { return runtime().deterministic(); }

    /** The same, in the runtime's terms: what backends and compiled models draw from. */
    default Initializer runtime() {
        return switch (this) {
            case Constant c -> new Initializer("constant", List.of(c.value()));
            case Values v -> new Initializer("values", v.values());
            case Random r -> new Initializer(r.distribution(), r.args());
        };
    }
}
