package dev.nnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import jdk.incubator.vector.VectorMask;
import org.junit.jupiter.api.Test;

/**
 * The helpers generated loops on vectors call, against their definitions lane by lane: a guard's lanes from its
 * bounds (every position of the guard's window against the vector's, below lane 0 and past the last), and a strided
 * read where its whole vectors would leave the array.
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
            }
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
            }
        }
    }
}
