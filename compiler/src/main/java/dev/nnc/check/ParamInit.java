package dev.nnc.check;

import java.util.List;

/** How a parameter's values start, after defaults and sharing are worked out. */
public sealed interface ParamInit {
    /** Drawn from a distribution: normal(mean, std), uniform(low, high), he, xavier, zeros, ones. */
    record Random(String distribution, List<Double> args) implements ParamInit {
        public Random { args = List.copyOf(args); }
    }

    record Constant(double value) implements ParamInit {}

    /** The same, in the runtime's terms: what backends and compiled models draw from. */
    default dev.nnc.runtime.Initializer runtime() {
        return switch (this) {
            case Constant c -> new dev.nnc.runtime.Initializer("constant", List.of(c.value()));
            case Random r -> new dev.nnc.runtime.Initializer(r.distribution(), r.args());
        };
    }
}
