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

    static int length(Object a) { return a instanceof float[] f ? f.length : ((double[]) a).length; }

    /** Copies {@code n} values from {@code src} into {@code dst} at {@code at}. */
    static void set(Object dst, int at, double[] src, int n) { set(dst, at, src, 0, n); }

    /** Copies {@code n} values of {@code src} from {@code from} into {@code dst} at {@code at}. */
    static void set(Object dst, int at, double[] src, int from, int n) {
        switch (dst) {
            case float[] f -> {
                for (int k = 0; k < n; k++) f[at + k] = (float) src[from + k];
            }
            case double[] d -> System.arraycopy(src, from, d, at, n);
            default -> throw new IllegalStateException("internal: " + dst);
        }
    }

    /** {@code n} values of {@code src} from {@code from}, into {@code dst} at {@code at}. */
    static void get(Object src, int from, double[] dst, int at, int n) {
        switch (src) {
            case float[] f -> {
                for (int k = 0; k < n; k++) dst[at + k] = f[from + k];
            }
            case double[] d -> System.arraycopy(d, from, dst, at, n);
            default -> throw new IllegalStateException("internal: " + src);
        }
    }

    static double[] toDouble(Object a) {
        double[] d = new double[length(a)];
        get(a, 0, d, 0, d.length);
        return d;
    }

    static void fill(Object a, double v) {
        switch (a) {
            case float[] f -> java.util.Arrays.fill(f, (float) v);
            case double[] d -> java.util.Arrays.fill(d, v);
            default -> throw new IllegalStateException("internal: " + a);
        }
    }

    /** dst[k] = (dst[k] + Σ others[k]) / n for k in [from, to): the mean of per-thread gradient sums. */
    static void mean(Object dst, Object[] others, int count, int n, int from, int to) {
        switch (dst) {
            case float[] f -> {
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
            }
            case double[] d -> {
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
            default -> throw new IllegalStateException("internal: " + dst);
        }
    }

    /**
     * The first element that is not finite, or −1. The training loop asks after every step, so the common answer
     * (all finite) comes from one branch-free pass the JIT vectorises: an exponent of all ones, and only that,
     * carries into the sign bit when its lowest bit is added.
     */
    static int nonFinite(Object a) {
        switch (a) {
            case float[] f -> {
                int flags = 0;
                for (float v : f) flags |= (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000;
                if (flags >= 0) return -1;
                for (int k = 0; k < f.length; k++) if (!Float.isFinite(f[k])) return k;
            }
            case double[] d -> {
                long flags = 0;
                for (double v : d) flags |= (Double.doubleToRawLongBits(v) & 0x7ff0000000000000L) + 0x0010000000000000L;
                if (flags >= 0) return -1;
                for (int k = 0; k < d.length; k++) if (!Double.isFinite(d[k])) return k;
            }
            default -> throw new IllegalStateException("internal: " + a);
        }
        return -1;
    }
}
