package dev.nnc.check;

import java.util.List;

/** How a parameter's values start, after defaults and sharing are worked out. */
public sealed interface ParamInit {
    /** Drawn from a distribution: normal(mean, std), uniform(low, high), he, xavier, zeros, ones. */
    record Random(String distribution, List<Double> args) implements ParamInit {
        public Random { args = List.copyOf(args); }
    }

    record Constant(double value) implements ParamInit {}
}
