package dev.nnc.interp;

import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.TensorInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Checks every derived gradient against central finite differences of the mean loss, in double precision,
 * on random parameters, inputs and targets. The difference quotient is Richardson-extrapolated (error
 * O(h⁴)); an element that misses the tolerance is tried again with smaller steps, since a kink of ReLU,
 * max or abs within h of the point spoils a difference quotient but not a derivative — a wrong derivative
 * misses at every step size.
 *
 * <p>The error of an element is |analytic − numeric| / max(|analytic|, |numeric|, 10⁻³): relative, except
 * that gradients below 10⁻³ are compared absolutely, where finite differences carry rounding noise.
 */
public final class Gradcheck {
    private Gradcheck() {}

    public record Options(long seed, int batch, int perParam, double tolerance) {
        public static final Options DEFAULT = new Options(1, 3, 24, 1e-6);
    }

    /** The worst element of one parameter. */
    public record Result(String param, List<Integer> shape, int checked, double error, int worst,
                         double analytic, double numeric) {}

    /**
     * @param notFinite null, or what is not finite at the point, so that there is nothing to compare: an initial
     *                  value of a parameter, the loss, or a derived gradient ("the initial value of w[2] is Infinity")
     */
    public record Report(List<Result> results, double loss, double tolerance, String notFinite) {
        public double worst() { return results.stream().mapToDouble(Result::error).max().orElse(0); }

        public boolean passed() { return notFinite == null && Double.isFinite(loss) && worst() < tolerance; }
    }

    /** Parameters and a batch: where {@link #run} checks for these options. */
    public record Point(Interpreter interp, Batch batch) {}

    public static Point point(Graph graph, Options o) { return point(graph, o, new SplittableRandom(o.seed())); }

    private static Point point(Graph graph, Options o, SplittableRandom random) {
        var interp = new Interpreter(graph);
        // the network's own initialisers (so a wide layer has sensibly small weights), then noise,
        // so that no bias sits at its initial 0 and no weight at a special value
        interp.initialize(o.seed());
        for (Tensor p : graph.params()) {
            double[] v = interp.values(p);
            for (int k = 0; k < v.length; k++) v[k] += 0.3 * gaussian(random);
        }
        return new Point(interp, randomBatch(graph, o.batch(), random));
    }

    public static Report run(Graph graph, Options o) {
        var random = new SplittableRandom(o.seed());
        var at = point(graph, o, random);
        var interp = at.interp();
        Batch batch = at.batch();
        for (Tensor p : graph.params()) {
            String bad = firstNonFinite(p, interp.values(p));
            if (bad != null) return new Report(List.of(), Double.NaN, o.tolerance(), "the initial value of " + bad);
        }
        Map<Tensor, double[]> grads = new HashMap<>();
        double loss = interp.lossAndGradients(batch, grads);
        if (!Double.isFinite(loss)) {
            return new Report(List.of(), loss, o.tolerance(), "the loss " + graph.loss().name + " is " + loss);
        }
        for (Tensor p : graph.params()) {
            String bad = firstNonFinite(p, grads.get(p));
            if (bad != null) return new Report(List.of(), loss, o.tolerance(), "the derived gradient ∂" + graph.loss().name + "/∂" + bad);
        }
        List<Result> results = new ArrayList<>();
        for (Tensor p : graph.params()) {
            double[] values = interp.values(p);
            double[] g = grads.get(p);
            int[] elements = pick(values.length, o.perParam(), random);
            double worstError = 0;
            int worst = 0;
            double worstA = 0, worstN = 0;
            for (int e : elements) {
                double a = g[e], best = Double.POSITIVE_INFINITY, bestN = 0;
                for (double h : new double[] {1e-4, 1e-5, 1e-6, 1e-7}) {
                    double n = numeric(interp, batch, values, e, h * Math.max(1, Math.abs(values[e])));
                    double err = error(a, n);
                    if (err < best) {
                        best = err;
                        bestN = n;
                    }
                    if (best < o.tolerance()) break;
                }
                if (!(best <= worstError)) {
                    worstError = best;
                    worst = e;
                    worstA = a;
                    worstN = bestN;
                }
            }
            results.add(new Result(p.name, p.shape, elements.length, worstError, worst, worstA, worstN));
        }
        return new Report(results, loss, o.tolerance(), null);
    }

    /** {@code w[2] is Infinity} for the first element that is not finite, or null. */
    private static String firstNonFinite(Tensor p, double[] v) {
        for (int k = 0; k < v.length; k++) {
            if (!Double.isFinite(v[k])) return new TensorInfo(p.name, p.shape).element(k) + " is " + v[k];
        }
        return null;
    }

    static double error(double a, double n) {
        if (!Double.isFinite(a) || !Double.isFinite(n)) return Double.POSITIVE_INFINITY;
        return Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), 1e-3);
    }

    /** (4 D(h/2) − D(h)) / 3 with D the central difference quotient. */
    private static double numeric(Interpreter interp, Batch batch, double[] values, int e, double h) {
        double saved = values[e];
        double d1 = central(interp, batch, values, e, saved, h);
        double d2 = central(interp, batch, values, e, saved, h / 2);
        values[e] = saved;
        return (4 * d2 - d1) / 3;
    }

    private static double central(Interpreter interp, Batch batch, double[] values, int e, double at, double h) {
        values[e] = at + h;
        double plus = interp.loss(batch);
        values[e] = at - h;
        double minus = interp.loss(batch);
        values[e] = at;
        return (plus - minus) / (2 * h);
    }

    private static int[] pick(int size, int most, SplittableRandom random) {
        if (size <= most) return IntStream.range(0, size).toArray();
        return random.ints(0, size).distinct().limit(most).sorted().toArray();
    }

    /**
     * Inputs ~ N(0, 1); targets uniform in (0, 1) — in {0, 1} would do as well for bce, and any real for mse —
     * except those a rewrite assumed to be distributions, drawn as random probability vectors.
     */
    public static Batch randomBatch(Graph graph, int size, SplittableRandom random) {
        Map<String, double[]> columns = new HashMap<>();
        for (Tensor x : graph.inputs()) {
            double[] c = new double[size * x.size()];
            for (int k = 0; k < c.length; k++) c[k] = gaussian(random);
            columns.put(x.name, c);
        }
        for (Tensor y : graph.targets()) {
            double[] c = new double[size * y.size()];
            for (int k = 0; k < c.length; k++) c[k] = 0.05 + 0.9 * random.nextDouble();
            if (graph.isDistribution(y)) {
                for (int s = 0; s < size; s++) {
                    double sum = 0;
                    for (int k = 0; k < y.size(); k++) sum += c[s * y.size() + k];
                    for (int k = 0; k < y.size(); k++) c[s * y.size() + k] /= sum;
                }
            }
            columns.put(y.name, c);
        }
        return new Batch(size, columns);
    }

    /** N(0, 1), from the seed alone (Box–Muller), as the interpreter's initialisers draw it. */
    public static double gaussian(SplittableRandom random) { return Interpreter.Init.gaussian(random); }
}
