package dev.nnc.runtime.compiled;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The branch-free finiteness pass against Float.isFinite / Double.isFinite, at every special value. */
class ArraysTest {
    static final float[] FINITE_F = {0f, -0f, 1f, -1f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, Float.MIN_NORMAL, 3e-40f};
    static final float[] BAD_F = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xff800001)};

    @Test
    void floats() {
        float[] a = new float[1000];
        for (int k = 0; k < a.length; k++) a[k] = FINITE_F[k % FINITE_F.length];
        assertEquals(-1, Arrays.nonFinite(a));
        for (float bad : BAD_F) {
            for (int at : new int[] {0, 17, 999}) {
                float[] b = a.clone();
                b[at] = bad;
                if (at != 999) b[999] = bad;
                assertEquals(at, Arrays.nonFinite(b), bad + " at " + at);
            }
        }
    }

    @Test
    void doubles() {
        double[] a = new double[1000];
        for (int k = 0; k < a.length; k++) a[k] = k % 3 == 0 ? Double.MAX_VALUE : k % 3 == 1 ? -Double.MIN_VALUE : -0.0;
        assertEquals(-1, Arrays.nonFinite(a));
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] b = a.clone();
            b[500] = bad;
            assertEquals(500, Arrays.nonFinite(b), bad + " at 500");
        }
    }
}
