package dev.nnc.runtime.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Prints the bits of matrix products that reach every path of {@link VectorGemm}: the dot-product tiles with
 * and without a partial last vector, the single dot products of the leftover rows and columns, and the packed
 * kernel's whole and partial tiles, accumulating and not, in float32 and float64. The argument is how many
 * times each product is computed before its bits are taken, so that a JVM can print them cold or compiled.
 * {@link GemmDeterminismTest} compares two such JVMs.
 */
public final class GemmBits {
    /** A product: sizes, strides of A and B, and whether C is accumulated into. */
    record Shape(String name, int m, int n, int k, boolean aRowMajor, boolean bTransposed, boolean accumulate) {}

    static final List<Shape> SHAPES = List.of(
            // A·Bᵀ with both contiguous in p: dot-product tiles, a partial last vector (k % 16, 8, 4 != 0) and leftovers.
            new Shape("dots-tail", 9, 11, 101, true, true, false),
            new Shape("dots-mlp", 8, 8, 784, true, true, true),
            // Packed panels: A column-major, B row-major; 70 columns leave a partial tile, k past one cache block.
            new Shape("packed", 9, 70, 300, false, false, true),
            new Shape("packed-inplace", 6, 33, 40, true, false, false));

    private GemmBits() {}

    public static void main(String[] args) {
        int times = Integer.parseInt(args[0]);
        for (String line : lines(times)) System.out.println(line);
    }

    static List<String> lines(int times) {
        List<String> out = new ArrayList<>();
        for (Shape s : SHAPES) {
            out.add(s.name() + " f32 " + f32(s, times));
            out.add(s.name() + " f64 " + f64(s, times));
        }
        return out;
    }

    private static String f32(Shape s, int times) {
        Random rnd = new Random(s.name().hashCode());
        float[] a = new float[s.m() * s.k()], b = new float[s.k() * s.n()], c0 = new float[s.m() * s.n()];
        for (float[] x : List.of(a, b, c0)) for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] c = c0.clone();
        for (int t = 0; t < times; t++) {
            System.arraycopy(c0, 0, c, 0, c.length);
            VectorGemm.f32(s.m(), s.n(), s.k(), a, 0, s.aRowMajor() ? s.k() : 1, s.aRowMajor() ? 1 : s.m(),
                    b, 0, s.bTransposed() ? 1 : s.n(), s.bTransposed() ? s.k() : 1, c, 0, s.n(), s.accumulate());
        }
        StringBuilder bits = new StringBuilder();
        for (float x : c) bits.append(Integer.toHexString(Float.floatToRawIntBits(x))).append(' ');
        return bits.toString().trim();
    }

    private static String f64(Shape s, int times) {
        Random rnd = new Random(s.name().hashCode() + 1);
        double[] a = new double[s.m() * s.k()], b = new double[s.k() * s.n()], c0 = new double[s.m() * s.n()];
        for (double[] x : List.of(a, b, c0)) for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        double[] c = c0.clone();
        for (int t = 0; t < times; t++) {
            System.arraycopy(c0, 0, c, 0, c.length);
            VectorGemm.f64(s.m(), s.n(), s.k(), a, 0, s.aRowMajor() ? s.k() : 1, s.aRowMajor() ? 1 : s.m(),
                    b, 0, s.bTransposed() ? 1 : s.n(), s.bTransposed() ? s.k() : 1, c, 0, s.n(), s.accumulate());
        }
        StringBuilder bits = new StringBuilder();
        for (double x : c) bits.append(Long.toHexString(Double.doubleToRawLongBits(x))).append(' ');
        return bits.toString().trim();
    }
}
