package dev.nnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.VectorMask;
import org.junit.jupiter.api.Test;

/**
 * The helpers generated loops on vectors call, against their definitions lane by lane: a guard's lanes from its
 * bounds (every position of the guard's window against the vector's, below lane 0 and past the last), and a strided
 * read where its whole vectors would leave the array; on the preferred species and on the narrow one (N).
 */
class VectorLanesTest {
    @Test
    void aGuardsLanesAreThoseItsBoundsKeep() {
        for (int at = -40; at <= 40; at++) {
            for (int size = 0; size <= 40; size++) {
                VectorMask<Float> f = VectorLanes.rangeF(at, size);
                for (int n = 0; n < VectorLanes.LF; n++) assertEquals(at + n >= 0 && at + n < size, f.laneIsSet(n), "float lane " + n + " of at " + at + ", size " + size);
                VectorMask<Double> d = VectorLanes.rangeD(at, size);
                for (int n = 0; n < VectorLanes.LD; n++) assertEquals(at + n >= 0 && at + n < size, d.laneIsSet(n), "double lane " + n + " of at " + at + ", size " + size);
                VectorMask<Float> nf = VectorLanes.rangeNF(at, size);
                assertEquals(VectorLanes.NF, nf.vectorSpecies());
                for (int n = 0; n < VectorLanes.LNF; n++) assertEquals(at + n >= 0 && at + n < size, nf.laneIsSet(n), "narrow float lane " + n + " of at " + at + ", size " + size);
                VectorMask<Double> nd = VectorLanes.rangeND(at, size);
                assertEquals(VectorLanes.ND, nd.vectorSpecies());
                for (int n = 0; n < VectorLanes.LND; n++) assertEquals(at + n >= 0 && at + n < size, nd.laneIsSet(n), "narrow double lane " + n + " of at " + at + ", size " + size);
            }
        }
    }

    /** The narrow species: at most 256 bits, never wider than the preferred one; its pairs' constants its own width. */
    @Test
    void theNarrowSpeciesIsAtMost256Bits() {
        assertEquals(Math.min(VectorLanes.F.vectorBitSize(), 256), VectorLanes.NF.vectorBitSize());
        assertEquals(Math.min(VectorLanes.D.vectorBitSize(), 256), VectorLanes.ND.vectorBitSize());
        assertEquals(VectorLanes.LNF, VectorLanes.PARITY_NF.length());
        assertEquals(VectorLanes.LND, VectorLanes.PARITY_ND.length());
        // the even lanes of two vectors side by side, lane n of the run holding n
        float[] run = new float[2 * VectorLanes.LNF];
        for (int n = 0; n < run.length; n++) run[n] = n;
        var low = jdk.incubator.vector.FloatVector.fromArray(VectorLanes.NF, run, 0);
        var high = jdk.incubator.vector.FloatVector.fromArray(VectorLanes.NF, run, VectorLanes.LNF);
        float[] even = low.rearrange(VectorLanes.EVEN_NF, high).toArray();
        float[] spreadLow = low.rearrange(VectorLanes.SPREAD_LOW_NF).toArray(), spreadHigh = low.rearrange(VectorLanes.SPREAD_HIGH_NF).toArray();
        for (int n = 0; n < VectorLanes.LNF; n++) {
            assertEquals(2 * n, even[n], "even lane " + n);
            assertEquals(n / 2, spreadLow[n], "spread low lane " + n);
            assertEquals(VectorLanes.LNF / 2 + n / 2, spreadHigh[n], "spread high lane " + n);
            assertEquals(n % 2, ((jdk.incubator.vector.FloatVector) VectorLanes.PARITY_NF).lane(n), "parity lane " + n);
        }
    }

    @Test
    void aStridedReadAtTheArraysEndReadsItsLanesOnly() {
        var random = new Random(3);
        float[] a = new float[50];
        double[] b = new double[50];
        for (int k = 0; k < a.length; k++) {
            a[k] = random.nextFloat();
            b[k] = random.nextDouble();
        }
        for (int stride = 2; stride <= VectorLanes.MAX_STRIDE; stride++) {
            for (int offset = 0; offset < a.length; offset++) {
                int live = (a.length - 1 - offset) / stride + 1; // the lanes inside the array
                VectorMask<Float> mf = VectorLanes.rangeF(0, live);
                float[] gotF = ((jdk.incubator.vector.FloatVector) VectorLanes.stridedF(a, offset, stride, mf)).toArray();
                for (int n = 0; n < Math.min(live, VectorLanes.LF); n++) assertEquals(a[offset + n * stride], gotF[n], "stride " + stride + ", offset " + offset + ", lane " + n);
                VectorMask<Double> md = VectorLanes.rangeD(0, live);
                double[] gotD = ((jdk.incubator.vector.DoubleVector) VectorLanes.stridedD(b, offset, stride, md)).toArray();
                for (int n = 0; n < Math.min(live, VectorLanes.LD); n++) assertEquals(b[offset + n * stride], gotD[n], "stride " + stride + ", offset " + offset + ", lane " + n);
                var narrowF = (jdk.incubator.vector.FloatVector) VectorLanes.stridedNF(a, offset, stride, VectorLanes.rangeNF(0, live));
                assertEquals(VectorLanes.NF, narrowF.species());
                for (int n = 0; n < VectorLanes.LNF; n++) assertEquals(n < live ? a[offset + n * stride] : 0f, narrowF.lane(n), "narrow, stride " + stride + ", offset " + offset + ", lane " + n);
                var narrowD = (jdk.incubator.vector.DoubleVector) VectorLanes.stridedND(b, offset, stride, VectorLanes.rangeND(0, live));
                assertEquals(VectorLanes.ND, narrowD.species());
                for (int n = 0; n < VectorLanes.LND; n++) assertEquals(n < live ? b[offset + n * stride] : 0.0, narrowD.lane(n), "narrow, stride " + stride + ", offset " + offset + ", lane " + n);
            }
        }
    }
}
