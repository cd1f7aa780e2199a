package dev.nnc.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a parameter's values start (docs/language.md §7.2), in the runtime's terms so that every backend, and a
 * compiled model with no compiler beside it, draws the same values from the same seed.
 *
 * @param kind {@code constant} (args: the value), {@code values} (args: every element, row-major), {@code normal}
 *             (mean, std), {@code uniform} (low, high), {@code he}, {@code xavier}, {@code zeros}, {@code ones}
 */
public record Initializer(String kind, List<Double> args) {
    public Initializer {
        args = List.copyOf(args);
    }

    /** Fills {@code a} (the parameter's elements, row-major, of that shape) drawing from {@code random}. */
    public void fill(double[] a, List<Integer> shape, SplittableRandom random) {
        int size = a.length;
        int fanOut = shape.size() >= 2 ? shape.get(0) : 1;
        int fanIn = shape.size() >= 2 ? size / fanOut : Math.max(1, size);
        if (kind.equals("constant")) {
            Arrays.fill(a, args.get(0));
            return;
        }
        if (kind.equals("values")) {
            if (args.size() != a.length) throw new IllegalStateException("internal: " + args.size() + " values for " + a.length + " elements");
            for (int k = 0; k < a.length; k++) a[k] = args.get(k);
            return;
        }
        for (int k = 0; k < a.length; k++) {
            a[k] = switch (kind) {
                case "normal" -> args.get(0) + args.get(1) * gaussian(random);
                case "uniform" -> args.get(0) + (args.get(1) - args.get(0)) * random.nextDouble();
                case "he" -> Math.sqrt(2.0 / fanIn) * gaussian(random);
                case "xavier" -> Math.sqrt(6.0 / (fanIn + fanOut)) * (2 * random.nextDouble() - 1);
                case "zeros" -> 0;
                case "ones" -> 1;
                default -> throw new IllegalStateException("internal: initializer " + kind);
            };
        }
    }

    /** Whether the values are the same for every seed: a network whose parameters all start so runs as written, without weights. */
    public boolean deterministic() {
        return switch (kind) {
            case "constant", "values", "zeros", "ones" -> true;
            default -> false;
        };
    }

    /** As the .nn source writes it: {@code ~ he}, {@code ~ normal(0, 0.5)}, {@code = 0}. */
    public String spelled() {
        return switch (kind) {
            case "constant" -> "= " + number(args.get(0));
            case "values" -> "= [" + String.join(", ", args.stream().limit(4).map(Initializer::number).toList()) + (args.size() > 4 ? ", …]" : "]");
            default -> "~ " + kind + (args.isEmpty() ? "" : "(" + String.join(", ", args.stream().map(Initializer::number).toList()) + ")");
        };
    }

    private static String number(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v); }

    /** Box–Muller, so the values depend on the seed alone, not on the JDK's nextGaussian. */
    public static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(), v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
