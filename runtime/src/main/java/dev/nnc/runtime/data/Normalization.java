package dev.nnc.runtime.data;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.compiled.Pool;
import dev.nnc.runtime.train.NumberRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How inputs are scaled before the network sees them (targets never are: they are what the loss compares
 * with). Fitted on the training set only, so validation and test data are scaled by the same numbers, and
 * saved with a checkpoint ({@link #encode}) so a prediction scales its inputs exactly as training did.
 */
public sealed interface Normalization {
    /** Inputs as they are. */
    record None() implements Normalization {}

    /** Every input value divided by {@code divisor}: {@code scale(255)} puts pixels 0…255 in [0, 1]. */
    record Scale(double divisor) implements Normalization {
        public Scale {
            if (!Double.isFinite(divisor) || divisor == 0) throw new IllegalArgumentException("scale needs a finite divisor other than 0, not " + divisor);
        }
    }

    /**
     * Each input element mapped from its training range [min, max] to [0, 1]; an element that is constant in
     * the training set becomes 0 (it carries no information, and dividing by 0 would make it NaN). Before
     * {@link #fit}, the maps are empty.
     */
    record MinMax(Map<String, double[]> min, Map<String, double[]> max) implements Normalization {
        public MinMax {
            min = Map.copyOf(min);
            max = Map.copyOf(max);
        }

        public MinMax() {
            this(Map.of(), Map.of());
        }
    }

    /**
     * Each input element shifted by its training mean and divided by its standard deviation (of the training
     * set itself, dividing by n); a deviation of 0 is taken as 1, so a constant element becomes 0. Before
     * {@link #fit}, the maps are empty.
     */
    record Standard(Map<String, double[]> mean, Map<String, double[]> std) implements Normalization {
        public Standard {
            mean = Map.copyOf(mean);
            std = Map.copyOf(std);
        }

        public Standard() {
            this(Map.of(), Map.of());
        }
    }

    /** The scalings there are, by name. */
    List<String> NAMES = List.of("none", "scale", "minmax", "standard");

    /** What a scaling can be, for a message or a hint. */
    String USAGE = "a normalization is none, scale(D) such as scale(255) (or /D: divide by D), minmax, or standard";

    /**
     * The scaling {@code name(args)}, as a train block or {@code --normalize} spells it: the one place its rules are
     * kept, so that {@code nnc check} refuses what {@code nnc train} would.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    static Normalization of(String name, List<Double> args) {
        return of(name, args, args.stream().map(NumberRule::show).toList());
    }

    private static Normalization of(String name, List<Double> args, List<String> shown) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("there is no normalization " + name + "; " + USAGE);
        int arity = name.equals("scale") ? 1 : 0;
        if (args.size() != arity) {
            throw new IllegalArgumentException(name + (arity == 0 ? " takes no numbers" : " takes one number, scale(D)") + ", not " + args.size());
        }
        return switch (name) {
            case "none" -> new None();
            case "minmax" -> new MinMax();
            case "standard" -> new Standard();
            default -> {
                var rule = NumberRule.NON_ZERO;
                if (!rule.accepts(args.get(0))) {
                    throw new IllegalArgumentException("the D of scale(D), the divisor, must be " + rule.expected() + ", not " + shown.get(0));
                }
                yield new Scale(args.get(0));
            }
        };
    }

    /** The spellings of a setting or option: {@code none}, {@code scale(255)} or {@code /255}, {@code minmax}, {@code standard}. */
    static Normalization parse(String text) {
        String s = text.strip();
        var m = Pattern.compile("(?:(\\w+)\\s*(?:\\(([^)]*)\\))?|/(.*))").matcher(s);
        if (!m.matches()) throw new IllegalArgumentException("cannot read the normalization \"" + text.strip() + "\"; " + USAGE);
        String name = m.group(3) != null ? "scale" : m.group(1).toLowerCase(Locale.ROOT);
        String inside = m.group(3) != null ? m.group(3) : m.group(2);
        List<Double> args = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        if (inside != null && (m.group(3) != null || !inside.isBlank())) {
            for (String part : inside.split(",", -1)) {
                String p = part.strip();
                if (!NumberRule.decimal(p)) {
                    throw new IllegalArgumentException("cannot read the normalization \"" + text.strip() + "\": "
                            + (p.isEmpty() ? "a number is missing" : p + " is not a number") + "; " + USAGE);
                }
                args.add(Double.parseDouble(p));
                shown.add(p);
            }
        }
        return of(name, args, shown);
    }

    /** Unsigned-byte IDX inputs are pixels 0…255 and are divided by 255; other data is taken as it is. */
    static Normalization defaultFor(Dataset data) {
        if (data.format() instanceof Format.Idx idx && !data.inputs().isEmpty()) {
            boolean bytes = true;
            for (TensorInfo t : data.inputs()) bytes &= idx.types().get(t.name()) == IdxType.UBYTE;
            if (bytes) return new Scale(255);
        }
        return new None();
    }

    /** Whether the numbers it needs are there: always, except for minmax and standard before {@link #fit}. */
    default boolean fitted() {
        if (this instanceof MinMax m) return !m.min().isEmpty();
        if (this instanceof Standard st) return !st.mean().isEmpty();
        return true;
    }

    /** This normalization with its numbers taken from the training set's inputs (none and scale have none to take). */
    default Normalization fit(Dataset training, Signature sig) {
        if (this instanceof None || this instanceof Scale) return this;
        if (training.size() == 0) throw new IllegalArgumentException("cannot fit " + encode() + " on an empty training set");
        Map<String, double[]> a = new HashMap<>();
        Map<String, double[]> b = new HashMap<>();
        for (TensorInfo t : sig.inputs()) {
            double[] x = training.column(t.name());
            int w = t.size();
            int n = training.size();
            double[] lo = new double[w];
            double[] hi = new double[w];
            if (this instanceof MinMax) {
                System.arraycopy(x, 0, lo, 0, w);
                System.arraycopy(x, 0, hi, 0, w);
                for (int r = 1; r < n; r++) {
                    for (int e = 0; e < w; e++) {
                        double v = x[r * w + e];
                        if (v < lo[e]) lo[e] = v;
                        if (v > hi[e]) hi[e] = v;
                    }
                }
            } else {
                // Two passes (mean, then squared deviations): one-pass formulas lose digits when the mean is large.
                for (int r = 0; r < n; r++) for (int e = 0; e < w; e++) lo[e] += x[r * w + e];
                for (int e = 0; e < w; e++) lo[e] /= n;
                for (int r = 0; r < n; r++) {
                    for (int e = 0; e < w; e++) {
                        double d = x[r * w + e] - lo[e];
                        hi[e] += d * d;
                    }
                }
                for (int e = 0; e < w; e++) {
                    hi[e] = Math.sqrt(hi[e] / n);
                    if (hi[e] == 0) hi[e] = 1;
                }
            }
            a.put(t.name(), lo);
            b.put(t.name(), hi);
        }
        return this instanceof MinMax ? new MinMax(a, b) : new Standard(a, b);
    }

    /** The data set with its inputs scaled, as new arrays (targets shared, unchanged). */
    default Dataset apply(Dataset data) { return apply(data, true); }

    /**
     * The data set with its inputs scaled where they are, for a data set read for this alone that nothing else reads:
     * a training set of Fashion-MNIST's size is 376 MB of doubles, which a copy would double.
     */
    default Dataset applyInPlace(Dataset data) { return apply(data, false); }

    private Dataset apply(Dataset data, boolean copy) {
        if (this instanceof None) return data;
        if (!fitted()) throw new IllegalStateException(encode() + " is not fitted; fit it on the training set first");
        Map<String, double[]> columns = new HashMap<>(data.columns());
        for (TensorInfo t : data.inputs()) {
            double[] x = data.column(t.name());
            double[] y = copy ? new double[x.length] : x;
            int w = t.size();
            // if chains over the kinds here and below: the runtime runs on Java 17, which has no switch over patterns
            // element by element, on the runtime's threads: Fashion-MNIST's 47M values take a core a quarter second
            if (this instanceof Scale s) {
                double divisor = s.divisor();
                Pool.ranges(x.length, (from, to) -> {
                    for (int k = from; k < to; k++) y[k] = x[k] / divisor;
                });
            } else if (this instanceof MinMax m) {
                double[] lo = fitted(m.min(), t);
                double[] hi = fitted(m.max(), t);
                Pool.ranges(x.length, (from, to) -> {
                    for (int k = from; k < to; k++) {
                        int e = k % w;
                        double range = hi[e] - lo[e];
                        y[k] = range == 0 ? 0 : (x[k] - lo[e]) / range;
                    }
                });
            } else {
                Standard st = (Standard) this;
                double[] mean = fitted(st.mean(), t);
                double[] std = fitted(st.std(), t);
                Pool.ranges(x.length, (from, to) -> {
                    for (int k = from; k < to; k++) y[k] = (x[k] - mean[k % w]) / std[k % w];
                });
            }
            columns.put(t.name(), y);
        }
        return data.withColumns(columns);
    }

    private static double[] fitted(Map<String, double[]> values, TensorInfo t) {
        double[] v = values.get(t.name());
        if (v == null) throw new IllegalArgumentException("the normalization was fitted without input " + t.name());
        if (v.length != t.size()) {
            throw new IllegalArgumentException("the normalization was fitted for " + v.length + " elements of " + t.name() + ", not " + t.size());
        }
        return v;
    }

    /**
     * One line for a checkpoint's metadata, which {@link #decode} reads back to the same numbers (doubles are
     * written in their shortest exact form): {@code none}, {@code scale(255)}, {@code minmax}, or fitted,
     * {@code minmax x=min:max,min:max,…} and {@code standard x=mean:std,…} with one pair per element and one
     * {@code name=…} group per input, in name order.
     */
    default String encode() {
        if (this instanceof Scale s) return "scale(" + number(s.divisor()) + ")";
        if (this instanceof MinMax m) return "minmax" + pairs(m.min(), m.max());
        if (this instanceof Standard st) return "standard" + pairs(st.mean(), st.std());
        return "none";
    }

    /**
     * What {@link #encode} wrote (or what {@link #parse} reads). Anything else is an IllegalArgumentException that
     * says what is wrong: a pair that is not two finite numbers, a minimum above its maximum, a standard deviation
     * that is not positive, an input named twice.
     */
    static Normalization decode(String text) {
        String[] groups = text.strip().split("\\s+");
        if (groups.length == 1) return parse(groups[0]);
        boolean minmax = groups[0].equals("minmax");
        if (!minmax && !groups[0].equals("standard")) throw new IllegalArgumentException("cannot decode the normalization \"" + text + "\"");
        Map<String, double[]> a = new LinkedHashMap<>();
        Map<String, double[]> b = new LinkedHashMap<>();
        for (int g = 1; g < groups.length; g++) {
            int eq = groups[g].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("cannot decode the normalization group \"" + groups[g] + "\": expected name=a:b,…");
            String name = groups[g].substring(0, eq);
            if (a.containsKey(name)) throw new IllegalArgumentException("the input " + name + " has two groups of values");
            String[] pairs = groups[g].substring(eq + 1).split(",");
            double[] x = new double[pairs.length];
            double[] y = new double[pairs.length];
            for (int e = 0; e < pairs.length; e++) {
                String[] ab = pairs[e].split(":");
                try {
                    if (ab.length != 2 || !NumberRule.decimal(ab[0]) || !NumberRule.decimal(ab[1])) throw new NumberFormatException();
                    x[e] = Double.parseDouble(ab[0]);
                    y[e] = Double.parseDouble(ab[1]);
                    if (!Double.isFinite(x[e]) || !Double.isFinite(y[e])) throw new NumberFormatException();
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("cannot decode the normalization pair \"" + pairs[e] + "\": expected a:b, two finite numbers");
                }
                if (minmax && x[e] > y[e]) {
                    throw new IllegalArgumentException("element " + (e + 1) + " of " + name + " has the minimum " + ab[0] + " above the maximum " + ab[1]);
                }
                if (!minmax && !(y[e] > 0)) {
                    throw new IllegalArgumentException("element " + (e + 1) + " of " + name + " has the standard deviation " + ab[1] + "; expected a positive one");
                }
            }
            a.put(name, x);
            b.put(name, y);
        }
        return minmax ? new MinMax(a, b) : new Standard(a, b);
    }

    /**
     * Whether this normalization has values for every input of the signature, each of its size: weights whose
     * metadata was fitted for another network's inputs would otherwise fail when applied. The message says which.
     */
    default String mismatch(Signature sig) {
        Map<String, double[]> values = this instanceof MinMax m ? m.min() : this instanceof Standard st ? st.mean() : null;
        if (values == null) return null;
        for (TensorInfo t : sig.inputs()) {
            double[] v = values.get(t.name());
            if (v == null) return "it has no values for the input " + t;
            if (v.length != t.size()) {
                return "it has " + v.length + (v.length == 1 ? " value" : " values") + " for the input " + t + ", which has " + t.size() + " elements";
            }
        }
        for (String name : values.keySet()) {
            if (sig.inputs().stream().noneMatch(t -> t.name().equals(name))) return "it has values for " + name + ", which is not an input of " + sig.network();
        }
        return null;
    }

    private static String pairs(Map<String, double[]> a, Map<String, double[]> b) {
        var out = new StringBuilder();
        for (String name : a.keySet().stream().sorted().toList()) {
            out.append(' ').append(name).append('=');
            double[] x = a.get(name);
            double[] y = b.get(name);
            for (int e = 0; e < x.length; e++) out.append(e == 0 ? "" : ",").append(number(x[e])).append(':').append(number(y[e]));
        }
        return out.toString();
    }

    /** The shortest text that parses back to exactly {@code v}: {@code 255} rather than {@code 255.0}. */
    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) return Long.toString((long) v);
        return Double.toString(v);
    }
}
