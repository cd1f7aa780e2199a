package dev.nnc.runtime.compiled;

import dev.nnc.runtime.DType;

/** The few operations on a generated network's arrays, {@code float[]} or {@code double[]} alike. */
final class Arrays {
    private Arrays() {}

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

    /** dst[k] = (dst[k] + Σ others[k]) / n for k in [from, to): the mean of per-thread gradient sums. */
    static void mean(Object dst, Object[] others, int count, int n, int from, int to) {
        if (dst instanceof float[] f) {
            if (count == 1) { // one pass for the common case of two slices
                float[] x = (float[]) others[0];
                for (int k = from; k < to; k++) f[k] = (f[k] + x[k]) / n;
                return;
            }
            for (int o = 0; o < count; o++) {
                float[] x = (float[]) others[o];
                for (int k = from; k < to; k++) f[k] += x[k];
            }
            for (int k = from; k < to; k++) f[k] /= n;
        } else {
            double[] d = doubles(dst);
            if (count == 1) {
                double[] x = (double[]) others[0];
                for (int k = from; k < to; k++) d[k] = (d[k] + x[k]) / n;
                return;
            }
            for (int o = 0; o < count; o++) {
                double[] x = (double[]) others[o];
                for (int k = from; k < to; k++) d[k] += x[k];
            }
            for (int k = from; k < to; k++) d[k] /= n;
        }
    }

    /**
     * The first element that is not finite, or −1. The training loop asks after every step, so the common answer
     * (all finite) comes from one branch-free pass the JIT vectorises: an exponent of all ones, and only that,
     * carries into the sign bit when its lowest bit is added.
     */
    static int nonFinite(Object a) {
        if (a instanceof float[] f) {
            int flags = 0;
            for (float v : f) flags |= (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000;
            if (flags >= 0) return -1;
            for (int k = 0; k < f.length; k++) if (!Float.isFinite(f[k])) return k;
        } else {
            double[] d = doubles(a);
            long flags = 0;
            for (double v : d) flags |= (Double.doubleToRawLongBits(v) & 0x7ff0000000000000L) + 0x0010000000000000L;
            if (flags >= 0) return -1;
            for (int k = 0; k < d.length; k++) if (!Double.isFinite(d[k])) return k;
        }
        return -1;
    }
}
