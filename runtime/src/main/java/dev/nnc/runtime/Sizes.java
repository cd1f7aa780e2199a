package dev.nnc.runtime;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * The one place the number of elements of a shape is computed: in {@code long}, saturating instead of wrapping, so
 * that a product too large for any array stays too large ({@code 65536 · 65536} is not 0). The checker refuses a
 * tensor over {@link #MAX_ARRAY} elements, so a checked network's sizes are ints wherever arrays are made.
 */
public final class Sizes {
    private Sizes() {}

    /** The most elements one Java array holds (HotSpot reserves a few below {@code Integer.MAX_VALUE}). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The number of elements (1 for a scalar); {@code Long.MAX_VALUE} when it does not fit in a long. */
    public static long elements(List<Integer> shape) {
        long n = 1;
        for (int d : shape) n = times(n, d);
        return n;
    }

    /** a · b for non-negative a and b, {@code Long.MAX_VALUE} on overflow. */
    public static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b), lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** a + b for non-negative a and b, {@code Long.MAX_VALUE} on overflow. */
    public static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** The elements as an array length, for a shape checking has admitted. */
    public static int length(List<Integer> shape) {
        long n = elements(shape);
        if (n > MAX_ARRAY) throw new IllegalStateException("internal: a tensor of shape " + shape + " has " + exact(shape) + " elements, more than an array holds");
        return (int) n;
    }

    /** The exact number of elements, with thousands separators, however large: {@code 2,500,000,000}. */
    public static String exact(List<Integer> shape) {
        BigInteger n = BigInteger.ONE;
        for (int d : shape) n = n.multiply(BigInteger.valueOf(d));
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1.5 GB}, {@code 820 MB}: bytes for people. */
    public static String bytes(long n) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
        double v = n;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? n + " bytes" : String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
