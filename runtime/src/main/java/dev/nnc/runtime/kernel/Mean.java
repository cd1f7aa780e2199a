package dev.nnc.runtime.kernel;

/**
 * The training loop's passes over a gradient: {@code dst[k] = (dst[k] + others[0][k] + … ) / n} for k in
 * [from, to), the others added in order, and whether every element is finite. The Vector API's version
 * ({@link VectorMean}) computes each element exactly as the scalar loop does — the same additions in the same order,
 * one IEEE division — so the two give the same bits; it is there because C2 does not vectorise the finiteness check
 * (it reads a float's bits, {@code floatToRawIntBits}, which its auto-vectoriser leaves scalar: 76 µs for the MLP's
 * 235,146 gradients, against 12 µs as vectors), a pass the training loop makes after every batch.
 */
public final class Mean {
    private Mean() {}

    /** The mean of {@code count} of {@code others} and {@code dst} over n, into dst; the first k not finite, or −1. */
    public static int f32(float[] dst, Object[] others, int count, int n, int from, int to) {
        if (Gemm.VECTOR) return VectorMean.f32(dst, others, count, n, from, to);
        for (int o = 0; o < count; o++) {
            float[] x = (float[]) others[o];
            for (int k = from; k < to; k++) dst[k] += x[k];
        }
        for (int k = from; k < to; k++) dst[k] /= n;
        return nonFinite(dst, from, to);
    }

    /** As {@link #f32}, in double precision. */
    public static int f64(double[] dst, Object[] others, int count, int n, int from, int to) {
        if (Gemm.VECTOR) return VectorMean.f64(dst, others, count, n, from, to);
        for (int o = 0; o < count; o++) {
            double[] x = (double[]) others[o];
            for (int k = from; k < to; k++) dst[k] += x[k];
        }
        for (int k = from; k < to; k++) dst[k] /= n;
        return nonFinite(dst, from, to);
    }

    /**
     * The first element of [from, to) that is not finite, or −1. The common answer (all finite) comes from one
     * branch-free pass: an exponent of all ones, and only that, carries into the sign bit when its lowest bit is added.
     */
    public static int nonFinite(float[] f, int from, int to) {
        int flags = 0;
        if (Gemm.VECTOR) flags = VectorMean.flags(f, from, to);
        else for (int k = from; k < to; k++) flags |= flag(f[k]);
        return flags >= 0 ? -1 : first(f, from, to);
    }

    /** As {@link #nonFinite(float[], int, int)}, in double precision. */
    public static int nonFinite(double[] d, int from, int to) {
        long flags = 0;
        if (Gemm.VECTOR) flags = VectorMean.flags(d, from, to);
        else for (int k = from; k < to; k++) flags |= flag(d[k]);
        return flags >= 0 ? -1 : first(d, from, to);
    }

    static int flag(float v) { return (Float.floatToRawIntBits(v) & 0x7f800000) + 0x00800000; }

    static long flag(double v) { return (Double.doubleToRawLongBits(v) & 0x7ff0000000000000L) + 0x0010000000000000L; }

    static int first(float[] f, int from, int to) {
        for (int k = from; k < to; k++) if (!Float.isFinite(f[k])) return k;
        throw new IllegalStateException("internal: a non-finite value flagged and not found");
    }

    static int first(double[] d, int from, int to) {
        for (int k = from; k < to; k++) if (!Double.isFinite(d[k])) return k;
        throw new IllegalStateException("internal: a non-finite value flagged and not found");
    }
}
