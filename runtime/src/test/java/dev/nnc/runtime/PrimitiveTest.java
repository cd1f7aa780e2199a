package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The table of primitives: each row's JVM spelling is the row's value, and erf is accurate. */
class PrimitiveTest {
    /**
     * What generated code calls exists, public and static, in doubles (and in floats where the row says so), and
     * computes the row's value.
     */
    @ParameterizedTest
    @EnumSource(Primitive.class)
    void theMethodGeneratedCodeCallsIsTheRowsValue(Primitive p) throws Exception {
        Class<?> owner = Class.forName(p.jvm.owner().replace('/', '.'));
        Class<?>[] doubles = new Class<?>[p.arity];
        Arrays.fill(doubles, double.class);
        Method m = owner.getMethod(p.jvm.name(), doubles);
        assertTrue(Modifier.isStatic(m.getModifiers()) && m.getReturnType() == double.class, m.toString());
        if (p.jvm.ofEachType()) {
            Class<?>[] floats = new Class<?>[p.arity];
            Arrays.fill(floats, float.class);
            assertEquals(float.class, owner.getMethod(p.jvm.name(), floats).getReturnType());
        }
        var r = new SplittableRandom(p.ordinal());
        for (int n = 0; n < 100; n++) {
            Object[] args = new Object[p.arity];
            double[] values = new double[p.arity];
            for (int k = 0; k < p.arity; k++) args[k] = values[k] = r.nextDouble(0.01, 10);
            assertEquals(p.apply(values), (double) m.invoke(null, args), 0, p + " at " + Arrays.toString(values));
        }
    }

    /** erf at points of each of its three approximations and their ends, against 25 digits (mpmath, 40 digits). */
    @ParameterizedTest
    @CsvSource({"1e-300, 1.128379167095512573896159e-300", "1e-10, 1.128379167095512573892398e-10",
            "0.1, 0.1124629160182848922032751", "0.25, 0.2763263901682369329850683", "0.46875, 0.4926134732179379915881761",
            "0.5, 0.5204998778130465376827467", "0.75, 0.7111556336535151315989378", "1, 0.8427007929497148693412206",
            "1.5, 0.9661051464753107270669763", "2, 0.9953222650189527341620693", "3, 0.9999779095030014145586272",
            "3.99, 0.9999999832607886354791566", "4, 0.9999999845827420997199811", "4.5, 0.9999999998033839558457113",
            "5, 0.999999999998462540205572", "5.5, 0.999999999999992642152082", "5.9, 0.9999999999999999280959022"})
    void erfIsWithinFourUnitsInTheLastPlace(double x, double want) {
        assertEquals(want, Primitive.erf(x), 4 * Math.ulp(want), "erf(" + x + ")");
        assertEquals(-want, Primitive.erf(-x), 4 * Math.ulp(want), "erf(" + -x + ")");
        assertEquals(Primitive.erf(x), Primitive.ERF.apply(x), 0, "the row's value is erf");
    }

    @Test
    void erfIsOddMonotoneAndBounded() {
        var r = new SplittableRandom(7);
        for (int n = 0; n < 100_000; n++) {
            double x = r.nextDouble(0, 7), y = Math.nextUp(x);
            assertEquals(-Primitive.erf(x), Primitive.erf(-x), 0, "odd at " + x);
            assertTrue(Primitive.erf(x) <= Primitive.erf(y) + 2 * Math.ulp(1.0), "monotone at " + x);
            assertTrue(Math.abs(Primitive.erf(x)) <= 1, "bounded at " + x);
        }
        assertEquals(1, Primitive.erf(6), 0);
        assertEquals(1, Primitive.erf(Double.POSITIVE_INFINITY), 0);
        assertEquals(-1, Primitive.erf(Double.NEGATIVE_INFINITY), 0);
        assertTrue(Double.isNaN(Primitive.erf(Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Primitive.erf(-0.0)));
    }
}
