package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.kernel.Mean;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The gradient mean's kernel (on the Vector API when the module is there, as in these tests) against its definition
 * written as the plain loop: the same bits for every element, and the same first non-finite element, over random
 * lengths, offsets (vector bodies and scalar tails), slice counts, batch sizes (powers of two, where the kernel
 * multiplies by the reciprocal, and others) and values that are NaN or infinite, or become infinite in the sum.
 */
class MeanKernelTest {
    static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.MIN_VALUE, Float.MIN_NORMAL, -0f, 0f};

    @Test
    void float32MeansEqualTheLoopToTheBit() {
        var random = new SplittableRandom(17);
        for (int trial = 0; trial < 3000; trial++) {
            int length = 1 + random.nextInt(300), from = random.nextInt(length), to = from + random.nextInt(length - from + 1);
            int count = random.nextInt(4), n = random.nextBoolean() ? 1 << random.nextInt(12) : 1 + random.nextInt(1000);
            float[] dst = floats(random, length, trial % 3 == 0);
            Object[] others = new Object[count];
            for (int o = 0; o < count; o++) others[o] = floats(random, length, trial % 5 == 0);
            float[] want = dst.clone();
            int wantFirst = -1;
            for (int k = from; k < to; k++) {
                float v = want[k];
                for (int o = 0; o < count; o++) v += ((float[]) others[o])[k];
                want[k] = v / n;
                if (wantFirst < 0 && !Float.isFinite(want[k])) wantFirst = k;
            }
            int first = Mean.f32(dst, others, count, n, from, to);
            String what = "trial " + trial + " (" + from + "…" + to + " of " + length + ", " + count + " others, n = " + n + ")";
            for (int k = 0; k < length; k++) assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(dst[k]), what + ": element " + k);
            assertEquals(wantFirst, first, what + ": the first non-finite element");
            assertEquals(wantFirst, Mean.nonFinite(dst, from, to), what + ": nonFinite");
        }
    }

    @Test
    void float64MeansEqualTheLoopToTheBit() {
        var random = new SplittableRandom(18);
        for (int trial = 0; trial < 3000; trial++) {
            int length = 1 + random.nextInt(200), from = random.nextInt(length), to = from + random.nextInt(length - from + 1);
            int count = random.nextInt(4), n = random.nextBoolean() ? 1 << random.nextInt(12) : 1 + random.nextInt(1000);
            double[] dst = doubles(random, length, trial % 3 == 0);
            Object[] others = new Object[count];
            for (int o = 0; o < count; o++) others[o] = doubles(random, length, trial % 5 == 0);
            double[] want = dst.clone();
            int wantFirst = -1;
            for (int k = from; k < to; k++) {
                double v = want[k];
                for (int o = 0; o < count; o++) v += ((double[]) others[o])[k];
                want[k] = v / n;
                if (wantFirst < 0 && !Double.isFinite(want[k])) wantFirst = k;
            }
            int first = Mean.f64(dst, others, count, n, from, to);
            String what = "trial " + trial + " (" + from + "…" + to + " of " + length + ", " + count + " others, n = " + n + ")";
            for (int k = 0; k < length; k++) assertEquals(Double.doubleToRawLongBits(want[k]), Double.doubleToRawLongBits(dst[k]), what + ": element " + k);
            assertEquals(wantFirst, first, what + ": the first non-finite element");
            assertEquals(wantFirst, Mean.nonFinite(dst, from, to), what + ": nonFinite");
        }
    }

    /** Random values, subnormals among them; with {@code special}, a few of the edge values at random places. */
    static float[] floats(SplittableRandom random, int length, boolean special) {
        float[] x = new float[length];
        for (int k = 0; k < length; k++) x[k] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-40, 39)));
        if (special) for (int s = random.nextInt(3); s >= 0; s--) x[random.nextInt(length)] = SPECIAL[random.nextInt(SPECIAL.length)];
        return x;
    }

    static double[] doubles(SplittableRandom random, int length, boolean special) {
        double[] x = new double[length];
        for (int k = 0; k < length; k++) x[k] = random.nextGaussian() * Math.pow(10, random.nextInt(-310, 309));
        if (special) for (int s = random.nextInt(3); s >= 0; s--) x[random.nextInt(length)] = SPECIAL[random.nextInt(SPECIAL.length)] * (random.nextBoolean() ? 1e280 : 1);
        return x;
    }
}
