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
 * summation trees {@link VectorGemm} spells out), and a narrow one of at most 256 bits (members named with N: NF,
 * LNF, rangeNF, …) for the generated loops over rows that one narrow vector holds. Generated code reads these
 * constants for the loops it runs on vectors, and only where {@link Gemm#VECTOR} holds, so this class is never loaded
 * without the module.
 */
public final class VectorLanes {
    public static final VectorSpecies<Float> F = clamped(FloatVector.SPECIES_PREFERRED, 512);
    public static final VectorSpecies<Double> D = clamped(DoubleVector.SPECIES_PREFERRED, 512);
    public static final VectorSpecies<Float> NF = clamped(FloatVector.SPECIES_PREFERRED, 256);
    public static final VectorSpecies<Double> ND = clamped(DoubleVector.SPECIES_PREFERRED, 256);
    /** Lanes a vector of each has. */
    public static final int LF = F.length(), LD = D.length(), LNF = NF.length(), LND = ND.length();

    /** The largest stride a loop on vectors reads at. */
    public static final int MAX_STRIDE = 8;
    /** Lane n's element at each stride s, {@code n·s}: a gather's index map. */
    public static final int[][] MAPS = maps(Math.max(LF, LD));
    /** The even lanes of two vectors side by side, as one: a read at stride 2. */
    public static final VectorShuffle<Float> EVEN_F = VectorShuffle.fromArray(F, MAPS[2], 0), EVEN_NF = VectorShuffle.fromArray(NF, MAPS[2], 0);
    public static final VectorShuffle<Double> EVEN_D = VectorShuffle.fromArray(D, MAPS[2], 0), EVEN_ND = VectorShuffle.fromArray(ND, MAPS[2], 0);

    /**
     * A vector's lanes spread to a run of twice as many, lane n to 2n and 2n + 1 (a loop writing pairs, its q = 0 and
     * q = 1 stored in turn): the run's low vector, and its high one.
     */
    public static final VectorShuffle<Float> SPREAD_LOW_F = spread(F, 0), SPREAD_HIGH_F = spread(F, LF / 2);
    public static final VectorShuffle<Double> SPREAD_LOW_D = spread(D, 0), SPREAD_HIGH_D = spread(D, LD / 2);
    public static final VectorShuffle<Float> SPREAD_LOW_NF = spread(NF, 0), SPREAD_HIGH_NF = spread(NF, LNF / 2);
    public static final VectorShuffle<Double> SPREAD_LOW_ND = spread(ND, 0), SPREAD_HIGH_ND = spread(ND, LND / 2);
    /** Each lane's number modulo 2, to compare with q: the lanes of a run that are q's. */
    public static final Vector<Float> PARITY_F = parityF(F), PARITY_NF = parityF(NF);
    public static final Vector<Double> PARITY_D = parityD(D), PARITY_ND = parityD(ND);

    private VectorLanes() {}

    private static Vector<Float> parityF(VectorSpecies<Float> species) {
        float[] p = new float[species.length()];
        for (int n = 0; n < p.length; n++) p[n] = n % 2;
        return FloatVector.fromArray(species, p, 0);
    }

    private static Vector<Double> parityD(VectorSpecies<Double> species) {
        double[] p = new double[species.length()];
        for (int n = 0; n < p.length; n++) p[n] = n % 2;
        return DoubleVector.fromArray(species, p, 0);
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

    // Each written out with its own species and lanes rather than one generic helper: shared by the four, the helper's
    // species was not a constant where C2 compiled it, and the masks ran as Java objects (LeNet's pad 0.3 → 1.8 µs).

    /** {@link #rangeF} on the narrow species. */
    public static VectorMask<Float> rangeNF(int at, int size) {
        int lo = Math.max(0, -at), hi = Math.min(LNF, size - at);
        return VectorMask.fromLong(NF, hi <= lo ? 0 : (-1L >>> (64 - hi)) & (-1L << lo));
    }

    /** {@link #rangeF} on the narrow species, in double precision. */
    public static VectorMask<Double> rangeND(int at, int size) {
        int lo = Math.max(0, -at), hi = Math.min(LND, size - at);
        return VectorMask.fromLong(ND, hi <= lo ? 0 : (-1L >>> (64 - hi)) & (-1L << lo));
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
        float[] lanes = new float[m.length()];
        for (int n = 0; n < lanes.length; n++) if (m.laneIsSet(n)) lanes[n] = a[offset + n * stride];
        return FloatVector.fromArray(m.vectorSpecies(), lanes, 0);
    }

    /** {@link #stridedF} in double precision. */
    public static Vector<Double> stridedD(double[] a, int offset, int stride, VectorMask<Double> m) {
        double[] lanes = new double[m.length()];
        for (int n = 0; n < lanes.length; n++) if (m.laneIsSet(n)) lanes[n] = a[offset + n * stride];
        return DoubleVector.fromArray(m.vectorSpecies(), lanes, 0);
    }

    /** {@link #stridedF} on the narrow species (the mask's lanes say which). */
    public static Vector<Float> stridedNF(float[] a, int offset, int stride, VectorMask<Float> m) { return stridedF(a, offset, stride, m); }

    /** {@link #stridedD} on the narrow species. */
    public static Vector<Double> stridedND(double[] a, int offset, int stride, VectorMask<Double> m) { return stridedD(a, offset, stride, m); }

    private static int[][] maps(int lanes) {
        int[][] maps = new int[MAX_STRIDE + 1][lanes];
        for (int s = 0; s <= MAX_STRIDE; s++) for (int n = 0; n < lanes; n++) maps[s][n] = n * s;
        return maps;
    }

    private static <E> VectorSpecies<E> clamped(VectorSpecies<E> preferred, int most) {
        int bits = Math.max(Math.min(preferred.vectorBitSize(), most), 2 * preferred.elementSize());
        return VectorSpecies.of(preferred.elementType(), VectorShape.forBitSize(bits));
    }
}
