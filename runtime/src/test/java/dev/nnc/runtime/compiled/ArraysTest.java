package dev.nnc.runtime.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.train.Metrics;

import org.junit.jupiter.api.Test;

/**
 * The branch-free finiteness pass against Float.isFinite / Double.isFinite, at every special value; the gradient mean
 * that checks its own result; the training loop's scoring and row gathering against their reference versions.
 */
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

    @Test
    void meanIsTheSlicesSumOverTheBatchAndNamesItsFirstNonFiniteElement() {
        for (int count : new int[] {0, 1, 3}) {
            float[] dst = new float[100];
            float[][] others = new float[count][100];
            for (int k = 0; k < 100; k++) {
                dst[k] = k;
                for (int o = 0; o < count; o++) others[o][k] = 0.5f * (o + 1) * k;
            }
            float[] expected = new float[100];
            for (int k = 0; k < 100; k++) {
                float sum = dst[k];
                for (int o = 0; o < count; o++) sum += others[o][k];
                expected[k] = sum / 7;
            }
            float[] clean = dst.clone();
            assertEquals(-1, Arrays.mean(clean, others, count, 7, 0, 100), count + " others");
            assertArrayEquals(expected, clean, count + " others");
            for (float bad : BAD_F) {
                float[] b = dst.clone();
                b[42] = bad;
                b[90] = bad;
                assertEquals(-1, Arrays.mean(b.clone(), others, count, 7, 0, 40), "a range without it"); // only [from, to) is read
                assertEquals(42, Arrays.mean(b.clone(), others, count, 7, 40, 100), bad + ", " + count + " others");
            }
            float[] overflows = dst.clone(); // finite sums whose mean is not: the check is of what the mean wrote
            overflows[63] = Float.MAX_VALUE;
            for (int o = 0; o < count; o++) others[o][63] = Float.MAX_VALUE;
            assertEquals(count == 0 ? -1 : 63, Arrays.mean(overflows, others, count, 1, 0, 100), count + " others");
        }
    }

    @Test
    void meanOfDoubles() {
        double[] dst = {1, 2, 3, 4}, other = {1, 1, Double.POSITIVE_INFINITY, 1};
        assertEquals(2, Arrays.mean(dst, new Object[] {other}, 1, 2, 0, 4));
        assertArrayEquals(new double[] {1, 1.5, Double.POSITIVE_INFINITY, 2.5}, dst);
        assertEquals(-1, Arrays.mean(new double[] {2, 4}, new Object[0], 0, 2, 0, 2));
    }

    @Test
    void rightCountsAsMetricsDoes() {
        // scalar outputs about ½ (NaN is never right of it), one-hot rows with ties (the first largest wins)
        float[] out = {0.5f, Math.nextUp(0.5f), 0.2f, Float.NaN, 0.9f};
        float[] y = {9, 9, 0, 1, 1, 0, 1}; // rows 2 … 6 are the batch's rows 0 … 4
        double[] outD = new double[out.length], yD = new double[y.length];
        for (int k = 0; k < out.length; k++) outD[k] = out[k];
        for (int k = 0; k < y.length; k++) yD[k] = y[k];
        int expected = Metrics.right(Metrics.Task.BINARY, outD, java.util.Arrays.copyOfRange(yD, 2, 7), 5, 1);
        assertEquals(4, expected);
        assertEquals(expected, Arrays.right(out, y, 2, 7, 1));
        assertEquals(expected, Arrays.right(outD, yD, 2, 7, 1));

        float[] outK = {0.2f, 0.2f, 0.1f, 0.1f, 0.3f, 0.3f, 0f, 1f, Float.NaN};
        float[] yK = {0, 0, 1, 1, 0, 0, 0, 1, 0, 1, 0, 0}; // row 0 is outside the range
        double[] outKD = new double[outK.length], yKD = new double[yK.length];
        for (int k = 0; k < outK.length; k++) outKD[k] = outK[k];
        for (int k = 0; k < yK.length; k++) yKD[k] = yK[k];
        int expectedK = Metrics.right(Metrics.Task.CLASSES, outKD, java.util.Arrays.copyOfRange(yKD, 3, 12), 3, 3);
        assertEquals(2, expectedK);
        assertEquals(expectedK, Arrays.right(outK, yK, 1, 4, 3));
        assertEquals(expectedK, Arrays.right(outKD, yKD, 1, 4, 3));
    }

    @Test
    void gatherCopiesTheOrderedRowsNarrowOrWide() {
        int[] order = {9, 4, 0, 7, 2};
        for (int width : new int[] {1, 3, 16, 40}) {
            float[] src = new float[10 * width];
            double[] srcD = new double[10 * width];
            for (int k = 0; k < src.length; k++) srcD[k] = src[k] = k;
            float[] dst = new float[4 * width];
            double[] dstD = new double[4 * width];
            float[] expected = new float[4 * width];
            for (int r = 1; r < 4; r++) // rows 1 … 3 of the batch that starts at order[1]
                for (int c = 0; c < width; c++) expected[r * width + c] = order[1 + r] * width + c;
            Arrays.gather(src, dst, width, order, 1, 1, 4);
            Arrays.gather(srcD, dstD, width, order, 1, 1, 4);
            assertArrayEquals(expected, dst, "width " + width);
            for (int k = 0; k < expected.length; k++) assertEquals(expected[k], dstD[k], "width " + width);
        }
    }
}
