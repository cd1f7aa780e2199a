package dev.nnc.runtime.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Mean} on the Vector API: lane k computes element k as the scalar loop does (the same additions in the same
 * order, one division), so the results are the same bits; the finiteness flags are OR-ed across lanes, which has no
 * order to get wrong. Loaded only where the module is, as {@link VectorGemm}.
 */
final class VectorMean {
    private VectorMean() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    /** The flags' lanes: a float's or a double's bits, as the same shape's ints or longs. */
    private static final VectorSpecies<Integer> IS = FS.withLanes(int.class);
    private static final VectorSpecies<Long> LS = DS.withLanes(long.class);

    static int f32(float[] f, Object[] others, int count, int n, int from, int to) {
        float div = n, scale = 1f / n;
        boolean exact = (n & (n - 1)) == 0; // x / 2ʲ and x · 2⁻ʲ are the same number, and a product is several times cheaper
        IntVector flags = IntVector.zero(IS);
        int k = from, upper = from + FS.loopBound(to - from);
        for (; k < upper; k += FS.length()) {
            FloatVector v = FloatVector.fromArray(FS, f, k);
            for (int o = 0; o < count; o++) v = v.add(FloatVector.fromArray(FS, (float[]) others[o], k));
            v = exact ? v.mul(scale) : v.div(div);
            v.intoArray(f, k);
            flags = flags.or(v.reinterpretAsInts().and(0x7f800000).add(0x00800000));
        }
        int tail = 0;
        for (; k < to; k++) {
            float v = f[k];
            for (int o = 0; o < count; o++) v += ((float[]) others[o])[k];
            f[k] = v /= n;
            tail |= Mean.flag(v);
        }
        return (flags.reduceLanes(VectorOperators.OR) | tail) >= 0 ? -1 : Mean.first(f, from, to);
    }

    static int f64(double[] d, Object[] others, int count, int n, int from, int to) {
        double div = n, scale = 1.0 / n;
        boolean exact = (n & (n - 1)) == 0;
        LongVector flags = LongVector.zero(LS);
        int k = from, upper = from + DS.loopBound(to - from);
        for (; k < upper; k += DS.length()) {
            DoubleVector v = DoubleVector.fromArray(DS, d, k);
            for (int o = 0; o < count; o++) v = v.add(DoubleVector.fromArray(DS, (double[]) others[o], k));
            v = exact ? v.mul(scale) : v.div(div);
            v.intoArray(d, k);
            flags = flags.or(v.reinterpretAsLongs().and(0x7ff0000000000000L).add(0x0010000000000000L));
        }
        long tail = 0;
        for (; k < to; k++) {
            double v = d[k];
            for (int o = 0; o < count; o++) v += ((double[]) others[o])[k];
            d[k] = v /= n;
            tail |= Mean.flag(v);
        }
        return (flags.reduceLanes(VectorOperators.OR) | tail) >= 0 ? -1 : Mean.first(d, from, to);
    }

    static int flags(float[] f, int from, int to) {
        IntVector flags = IntVector.zero(IS);
        int k = from, upper = from + FS.loopBound(to - from);
        for (; k < upper; k += FS.length()) flags = flags.or(FloatVector.fromArray(FS, f, k).reinterpretAsInts().and(0x7f800000).add(0x00800000));
        int tail = 0;
        for (; k < to; k++) tail |= Mean.flag(f[k]);
        return flags.reduceLanes(VectorOperators.OR) | tail;
    }

    static long flags(double[] d, int from, int to) {
        LongVector flags = LongVector.zero(LS);
        int k = from, upper = from + DS.loopBound(to - from);
        for (; k < upper; k += DS.length()) flags = flags.or(DoubleVector.fromArray(DS, d, k).reinterpretAsLongs().and(0x7ff0000000000000L).add(0x0010000000000000L));
        long tail = 0;
        for (; k < to; k++) tail |= Mean.flag(d[k]);
        return flags.reduceLanes(VectorOperators.OR) | tail;
    }
}
