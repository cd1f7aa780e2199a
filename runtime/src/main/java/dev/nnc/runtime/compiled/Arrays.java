package dev.nnc.runtime.compiled;

import dev.nnc.runtime.DType;
import dev.nnc.runtime.kernel.Mean;
import dev.nnc.runtime.train.Metrics;

/** The few operations on a generated network's arrays, {@code float[]} or {@code double[]} alike. */
final class Arrays {
    private Arrays() {}

    /**
     * Elements past its end that a generated network's own array (workspace, scratch, gradient sums, a batch's
     * columns) has: a loop on vectors masks off the lanes past a row's end, but a masked access whose whole vector
     * would leave the array takes the Vector API's slow path, lane by lane. A vector has at most 16; a read at stride 2
     * loads two (its even lanes), and whole, where that stays in the array (see the compiler's {@code gen.jvm.Lanes}).
     */
    static final int SLACK = 32;

    static Object allocate(DType type, int n) {
        return switch (type) {
            case F32 -> new float[n];
            case F64 -> new double[n];
        };
    }

    static int length(Object a) { return a instanceof float[] f ? f.length : doubles(a).length; }

    /**
     * An array that is not {@code float[]}, which must then be {@code double[]}. (The runtime runs on Java 17, which
     * has no switch over patterns: each operation tests for {@code float[]} and leaves the rest to this.)
     */
    private static double[] doubles(Object a) {
        if (a instanceof double[] d) return d;
        throw new IllegalStateException("internal: " + a);
    }

    /** Copies {@code n} values from {@code src} into {@code dst} at {@code at}. */
    static void set(Object dst, int at, double[] src, int n) { set(dst, at, src, 0, n); }

    /** Copies {@code n} values of {@code src} from {@code from} into {@code dst} at {@code at}. */
    static void set(Object dst, int at, double[] src, int from, int n) {
        if (dst instanceof float[] f) {
            for (int k = 0; k < n; k++) f[at + k] = (float) src[from + k];
        } else {
            System.arraycopy(src, from, doubles(dst), at, n);
        }
    }

    /** {@code n} values of {@code src} from {@code from}, into {@code dst} at {@code at}. */
    static void get(Object src, int from, double[] dst, int at, int n) {
        if (src instanceof float[] f) {
            for (int k = 0; k < n; k++) dst[at + k] = f[from + k];
        } else {
            System.arraycopy(doubles(src), from, dst, at, n);
        }
    }

    static double[] toDouble(Object a) {
        double[] d = new double[length(a)];
        get(a, 0, d, 0, d.length);
        return d;
    }

    static void fill(Object a, double v) {
        if (a instanceof float[] f) java.util.Arrays.fill(f, (float) v);
        else java.util.Arrays.fill(doubles(a), v);
    }

    /**
     * dst[k] = (dst[k] + Σ others[k]) / n for k in [from, to): the mean of per-thread gradient sums, the others added in
     * order. Returns the first k whose mean is not finite, or −1: the check follows the mean in the same pass, on the
     * piece's thread, while it is in cache ({@link Mean}).
     */
    static int mean(Object dst, Object[] others, int count, int n, int from, int to) {
        if (dst instanceof float[] f) return Mean.f32(f, others, count, n, from, to);
        return Mean.f64(doubles(dst), others, count, n, from, to);
    }

    /** The first element that is not finite, or −1 ({@link Mean#nonFinite}). */
    static int nonFinite(Object a) {
        if (a instanceof float[] f) return Mean.nonFinite(f, 0, f.length);
        double[] d = doubles(a);
        return Mean.nonFinite(d, 0, d.length);
    }

    /**
     * How many of rows {@code from} … {@code to − 1} of {@code outputs} ({@code k} values a row, from row 0) have the
     * class of the same rows of {@code targets} (from row {@code from}): {@link Metrics#right}'s
     * count, read in the network's precision with no copy (widening a float to a double is exact, so every comparison
     * comes out the same).
     */
    static int right(Object outputs, Object targets, int from, int to, int k) {
        int right = 0;
        if (outputs instanceof float[] out) {
            float[] y = (float[]) targets;
            for (int r = 0; r < to - from; r++) if (label(y, from + r, k) == label(out, r, k)) right++;
        } else {
            double[] out = doubles(outputs), y = doubles(targets);
            for (int r = 0; r < to - from; r++) if (Metrics.label(y, from + r, k) == Metrics.label(out, r, k)) right++;
        }
        return right;
    }

    /** {@link Metrics#label} for float32 outputs, compared as floats (widening each to double would give the same class). */
    private static int label(float[] values, int row, int k) {
        if (k == 1) return values[row] > 0.5f ? 1 : 0;
        int best = 0, at = row * k;
        for (int c = 1; c < k; c++) if (values[at + c] > values[at + best]) best = c;
        return best;
    }

    /**
     * Rows {@code order[start + r]} of {@code src} into rows r of {@code dst}, for r in [from, to), {@code width} values
     * a row. Narrow rows (a handful of inputs, a scalar target) are copied value by value: a call to arraycopy costs
     * more than the copy.
     */
    static void gather(Object src, Object dst, int width, int[] order, int start, int from, int to) {
        if (width >= 16) {
            for (int r = from; r < to; r++) System.arraycopy(src, order[start + r] * width, dst, r * width, width);
        } else if (src instanceof float[] s) {
            float[] d = (float[]) dst;
            for (int r = from; r < to; r++) {
                int a = order[start + r] * width, b = r * width;
                for (int c = 0; c < width; c++) d[b + c] = s[a + c];
            }
        } else {
            double[] s = doubles(src), d = doubles(dst);
            for (int r = from; r < to; r++) {
                int a = order[start + r] * width, b = r * width;
                for (int c = 0; c < width; c++) d[b + c] = s[a + c];
            }
        }
    }
}
