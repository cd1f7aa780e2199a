package dev.nnc.runtime.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorShape;
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
    /**
     * Each lane's number (0, 1, …), to compare with a guard's bounds: {@code species.indexInRange} runs as Java
     * objects, not vector instructions, for a range that starts before lane 0. Typed as the abstract class, as
     * generated code reads it (see the compiler's {@code gen.jvm.Lanes}).
     */
    public static final Vector<Float> IOTA_F = FloatVector.zero(F).addIndex(1);
    public static final Vector<Double> IOTA_D = DoubleVector.zero(D).addIndex(1);

    private VectorLanes() {}

    private static <E> VectorSpecies<E> clamped(VectorSpecies<E> preferred) {
        int bits = Math.min(Math.max(preferred.vectorBitSize(), 2 * preferred.elementSize()), 512);
        return VectorSpecies.of(preferred.elementType(), VectorShape.forBitSize(bits));
    }
}
