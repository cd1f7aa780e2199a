package dev.nnc.runtime.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the runtime computes in: the preferred species, within 2 lanes and 512 bits (the widths whose
 * summation trees {@link VectorGemm} spells out). Generated code reads these constants for the loops it runs on
 * vectors, and only where {@link Gemm#VECTOR} holds, so this class is never loaded without the module.
 */
public final class VectorLanes {
    public static final VectorSpecies<Float> F = clamped(FloatVector.SPECIES_PREFERRED);
    public static final VectorSpecies<Double> D = clamped(DoubleVector.SPECIES_PREFERRED);
    /** Lanes a vector of each has. */
    public static final int LF = F.length(), LD = D.length();

    /** The largest stride a loop on vectors reads at. */
    public static final int MAX_STRIDE = 8;
    /** Lane n's element at each stride s, {@code n·s}: a gather's index map. */
    public static final int[][] MAPS = maps(Math.max(LF, LD));
    /** The even lanes of two vectors side by side, as one: a read at stride 2. */
    public static final VectorShuffle<Float> EVEN_F = VectorShuffle.fromArray(F, MAPS[2], 0);
    public static final VectorShuffle<Double> EVEN_D = VectorShuffle.fromArray(D, MAPS[2], 0);

    /**
     * A vector's lanes spread to a run of twice as many, lane n to 2n and 2n + 1 (a loop writing pairs, its q = 0 and
     * q = 1 stored in turn): the run's low vector, and its high one.
     */
    public static final VectorShuffle<Float> SPREAD_LOW_F = spread(F, 0), SPREAD_HIGH_F = spread(F, LF / 2);
    public static final VectorShuffle<Double> SPREAD_LOW_D = spread(D, 0), SPREAD_HIGH_D = spread(D, LD / 2);
    /** Each lane's number modulo 2, to compare with q: the lanes of a run that are q's. */
    public static final Vector<Float> PARITY_F = parityF();
    public static final Vector<Double> PARITY_D = parityD();

    private VectorLanes() {}

    private static Vector<Float> parityF() {
        float[] p = new float[LF];
        for (int n = 0; n < LF; n++) p[n] = n % 2;
        return FloatVector.fromArray(F, p, 0);
    }

    private static Vector<Double> parityD() {
        double[] p = new double[LD];
        for (int n = 0; n < LD; n++) p[n] = n % 2;
        return DoubleVector.fromArray(D, p, 0);
    }

    /**
     * The lanes n with 0 ≤ at + n < size: a guard on a loop's index, at its value in lane 0. From the lanes' bits, a
     * mask register's move; {@code species.indexInRange} runs as Java objects for a range that starts below lane 0, and
     * comparing lane numbers takes two broadcasts, two comparisons and an and. Small, for C2 to inline.
     */
    public static VectorMask<Float> rangeF(int at, int size) {
        int lo = Math.max(0, -at), hi = Math.min(LF, size - at);
        return VectorMask.fromLong(F, hi <= lo ? 0 : (-1L >>> (64 - hi)) & (-1L << lo));
    }

    /** {@link #rangeF} in double precision. */
    public static VectorMask<Double> rangeD(int at, int size) {
        int lo = Math.max(0, -at), hi = Math.min(LD, size - at);
        return VectorMask.fromLong(D, hi <= lo ? 0 : (-1L >>> (64 - hi)) & (-1L << lo));
    }

    /** Lane n takes lane from + n/2. */
    private static <E> VectorShuffle<E> spread(VectorSpecies<E> species, int from) {
        int[] at = new int[species.length()];
        for (int n = 0; n < at.length; n++) at[n] = from + n / 2;
        return VectorShuffle.fromArray(species, at, 0);
    }

    /**
     * The elements {@code a[offset + n·stride]} of the lanes n in m, lane by lane (other lanes +0): a read at a stride
     * whose whole vectors would leave the array. Generated code reads inside it by whole vectors itself (a vector that
     * leaves a method C2 did not inline is boxed); the JDK's masked gather checks every lane's index, not only the
     * mask's.
     */
    public static Vector<Float> stridedF(float[] a, int offset, int stride, VectorMask<Float> m) {
        float[] lanes = new float[LF];
        for (int n = 0; n < LF; n++) if (m.laneIsSet(n)) lanes[n] = a[offset + n * stride];
        return FloatVector.fromArray(F, lanes, 0);
    }

    /** {@link #stridedF} in double precision. */
    public static Vector<Double> stridedD(double[] a, int offset, int stride, VectorMask<Double> m) {
        double[] lanes = new double[LD];
        for (int n = 0; n < LD; n++) if (m.laneIsSet(n)) lanes[n] = a[offset + n * stride];
        return DoubleVector.fromArray(D, lanes, 0);
    }

    private static int[][] maps(int lanes) {
        int[][] maps = new int[MAX_STRIDE + 1][lanes];
        for (int s = 0; s <= MAX_STRIDE; s++) for (int n = 0; n < lanes; n++) maps[s][n] = n * s;
        return maps;
    }

    private static <E> VectorSpecies<E> clamped(VectorSpecies<E> preferred) {
        int bits = Math.min(Math.max(preferred.vectorBitSize(), 2 * preferred.elementSize()), 512);
        return VectorSpecies.of(preferred.elementType(), VectorShape.forBitSize(bits));
    }
}
