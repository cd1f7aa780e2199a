package dev.nnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both paths against a naive triple loop in double, over many shapes (empty, 1, primes, the MLP's), every
 * stride layout, offsets, and accumulate on and off. Padding around each operand checks that nothing
 * outside C's elements is written.
 */
class GemmTest {
    /** How A or B is laid out: row-major, transposed (column-major), or with neither stride 1. */
    enum Layout { ROW, COL, STRIDED }

    /** One product to check: sizes, layouts, and whether C is accumulated into. */
    record Case(int m, int n, int k, Layout aLayout, Layout bLayout, boolean accumulate) {}

    /** An operand placed in a larger array: element (r, c) of a rows×cols matrix is at off + r*row + c*col. */
    record Placed(int off, int row, int col, int size) {
        static Placed of(Layout layout, int rows, int cols, int pad) {
            return switch (layout) {
                case ROW -> new Placed(pad, cols, 1, pad + rows * cols + pad);
                case COL -> new Placed(pad, 1, rows, pad + rows * cols + pad);
                // Rows 3 apart inside column blocks of 3*rows + 1: both strides > 1.
                case STRIDED -> new Placed(pad, 3, 3 * rows + 1, pad + (3 * rows + 1) * Math.max(cols, 1) + pad);
            };
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Random rnd = new Random(42);
        int[] sizes = {0, 1, 2, 3, 5, 7, 13, 16, 17, 31, 33, 64, 65, 97, 130, 257, 300};
        for (int t = 0; t < 150; t++) {
            int m = sizes[rnd.nextInt(sizes.length)], n = sizes[rnd.nextInt(sizes.length)];
            int k = sizes[rnd.nextInt(sizes.length)];
            add(out, new Case(m, n, k, pick(rnd), pick(rnd), rnd.nextBoolean()));
        }
        for (int s : new int[] {32, 128, 7}) {
            // The MLP 784-256-128-10: forward, weight gradient, input gradient, for each layer.
            int[][] layers = {{784, 256}, {256, 128}, {128, 10}};
            for (int[] l : layers) {
                add(out, new Case(s, l[1], l[0], Layout.ROW, Layout.COL, false));
                add(out, new Case(l[1], l[0], s, Layout.COL, Layout.ROW, true));
                add(out, new Case(s, l[0], l[1], Layout.ROW, Layout.ROW, false));
            }
        }
        // The dot-product path (rows of A and columns of B contiguous) over several blocks of A's rows and a partial one:
        // a prediction over a whole data set
        for (int[] mk : new int[][] {{1001, 784}, {170, 784}, {333, 2000}}) {
            add(out, new Case(mk[0], 13, mk[1], Layout.ROW, Layout.COL, false));
            add(out, new Case(mk[0], 6, mk[1], Layout.ROW, Layout.COL, true));
        }
        // Depths past one cache block, with every layout pair; at 13 rows B's whole panels are read in place.
        for (Layout la : Layout.values()) {
            for (Layout lb : Layout.values()) {
                add(out, new Case(19, 70, 600, la, lb, true));
                add(out, new Case(13, 130, 600, la, lb, true));
            }
        }
        // LeNet's convolutions over one sample: the maps, the kernels' gradients and the windows' gradients
        add(out, new Case(6, 784, 25, Layout.ROW, Layout.ROW, false));
        add(out, new Case(16, 100, 150, Layout.ROW, Layout.ROW, false));
        add(out, new Case(6, 25, 784, Layout.ROW, Layout.COL, true));
        add(out, new Case(16, 150, 100, Layout.ROW, Layout.COL, true));
        add(out, new Case(150, 100, 16, Layout.COL, Layout.ROW, false));
        return out.stream();
    }

    private static void add(List<Arguments> out, Case c) {
        out.add(Arguments.of(c, true));
        out.add(Arguments.of(c, false));
    }

    private static Layout pick(Random rnd) {
        return Layout.values()[rnd.nextInt(3)];
    }

    @ParameterizedTest
    @MethodSource("cases")
    void f32MatchesNaive(Case t, boolean vector) {
        assumeTrue(!vector || Gemm.vectorized(), "the Vector API module is not in this JVM");
        Random rnd = new Random(t.hashCode());
        Placed pa = Placed.of(t.aLayout(), t.m(), t.k(), 3), pb = Placed.of(t.bLayout(), t.k(), t.n(), 5);
        int cRow = t.n() + 2, cOff = 7;
        float[] a = randomFloats(rnd, pa.size()), b = randomFloats(rnd, pb.size());
        float[] c = randomFloats(rnd, cOff + t.m() * cRow + 4), before = c.clone();
        if (vector) {
            VectorGemm.f32(t.m(), t.n(), t.k(), a, pa.off(), pa.row(), pa.col(), b, pb.off(), pb.row(), pb.col(),
                    c, cOff, cRow, t.accumulate());
        } else {
            ScalarGemm.f32(t.m(), t.n(), t.k(), a, pa.off(), pa.row(), pa.col(), b, pb.off(), pb.row(), pb.col(),
                    c, cOff, cRow, t.accumulate());
        }
        // float32 rounding grows with the depth; scale by the sum of |terms|, which bounds the magnitude.
        for (int i = 0; i < t.m(); i++) {
            for (int j = 0; j < t.n(); j++) {
                double want = t.accumulate() ? before[cOff + i * cRow + j] : 0, mag = Math.abs(want);
                for (int p = 0; p < t.k(); p++) {
                    double term = (double) a[pa.off() + i * pa.row() + p * pa.col()] * b[pb.off() + p * pb.row() + j * pb.col()];
                    want += term;
                    mag += Math.abs(term);
                }
                double tol = 1e-6 * Math.sqrt(t.k() + 1) * (mag + 1e-30) * 4;
                float got = c[cOff + i * cRow + j];
                if (Math.abs(got - want) > tol) {
                    throw new AssertionError(t + (vector ? " vector" : " scalar") + ": C[" + i + "," + j + "] = " + got
                            + ", want " + want);
                }
            }
        }
        assertUntouchedOutside(t, cOff, cRow, c.length, i -> c[i] == before[i]);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void f64MatchesNaive(Case t, boolean vector) {
        assumeTrue(!vector || Gemm.vectorized(), "the Vector API module is not in this JVM");
        Random rnd = new Random(t.hashCode() + 1);
        Placed pa = Placed.of(t.aLayout(), t.m(), t.k(), 2), pb = Placed.of(t.bLayout(), t.k(), t.n(), 1);
        int cRow = t.n() + 1, cOff = 3;
        double[] a = randomDoubles(rnd, pa.size()), b = randomDoubles(rnd, pb.size());
        double[] c = randomDoubles(rnd, cOff + t.m() * cRow + 2), before = c.clone();
        if (vector) {
            VectorGemm.f64(t.m(), t.n(), t.k(), a, pa.off(), pa.row(), pa.col(), b, pb.off(), pb.row(), pb.col(),
                    c, cOff, cRow, t.accumulate());
        } else {
            ScalarGemm.f64(t.m(), t.n(), t.k(), a, pa.off(), pa.row(), pa.col(), b, pb.off(), pb.row(), pb.col(),
                    c, cOff, cRow, t.accumulate());
        }
        for (int i = 0; i < t.m(); i++) {
            for (int j = 0; j < t.n(); j++) {
                double want = t.accumulate() ? before[cOff + i * cRow + j] : 0, mag = Math.abs(want);
                for (int p = 0; p < t.k(); p++) {
                    double term = a[pa.off() + i * pa.row() + p * pa.col()] * b[pb.off() + p * pb.row() + j * pb.col()];
                    want += term;
                    mag += Math.abs(term);
                }
                assertEquals(want, c[cOff + i * cRow + j], 1e-12 * (mag + 1e-300),
                        t + (vector ? " vector" : " scalar") + ": C[" + i + "," + j + "]");
            }
        }
        assertUntouchedOutside(t, cOff, cRow, c.length, i -> c[i] == before[i]);
    }

    /**
     * The dot-product tile lines its loads up with A's rows: a head before the first cache line boundary and a tail after
     * the last whole vector, each a partial vector. Every alignment of A's and B's rows, depths around the vector length,
     * row strides that keep the rows' alignment and that do not; and an infinity in B, wherever it falls, gives an infinite
     * sum, not NaN (the lanes outside the head and the tail add exact zeros, not 0·∞).
     */
    @Test
    void dotTileOverEveryAlignment() {
        assumeTrue(Gemm.vectorized(), "the Vector API module is not in this JVM");
        Random rnd = new Random(11);
        for (int k : new int[] {1, 15, 16, 17, 31, 32, 33, 47, 48, 80, 784}) {
            for (int aOff = 0; aOff < 16; aOff++) {
                for (int bOff : new int[] {aOff, aOff + 1, rnd.nextInt(16)}) {
                    for (boolean lined : new boolean[] {true, false}) {
                        int stride = lined ? (k + 15) / 16 * 16 : k, m = 5, n = 6;
                        float[] a = randomFloats(rnd, aOff + m * stride), b = randomFloats(rnd, bOff + n * stride);
                        double[] ad = new double[a.length], bd = new double[b.length];
                        for (int i = 0; i < a.length; i++) ad[i] = a[i];
                        for (int i = 0; i < b.length; i++) bd[i] = b[i];
                        float[] c = new float[m * n];
                        double[] cd = new double[m * n];
                        VectorGemm.f32(m, n, k, a, aOff, stride, 1, b, bOff, 1, stride, c, 0, n, false);
                        VectorGemm.f64(m, n, k, ad, aOff, stride, 1, bd, bOff, 1, stride, cd, 0, n, false);
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double want = 0, mag = 0;
                                for (int p = 0; p < k; p++) {
                                    double term = ad[aOff + i * stride + p] * bd[bOff + j * stride + p];
                                    want += term;
                                    mag += Math.abs(term);
                                }
                                String at = "k " + k + ", A at " + aOff + ", B at " + bOff + ", stride " + stride + ": C[" + i + "," + j + "]";
                                assertEquals(want, c[i * n + j], 4e-6 * Math.sqrt(k + 1) * (mag + 1e-30), at);
                                assertEquals(want, cd[i * n + j], 1e-12 * (mag + 1e-300), at);
                            }
                        }
                        // an infinity at each of a few places of B's column 0 (A positive): +∞ in column 0, finite elsewhere
                        for (int i = 0; i < a.length; i++) a[i] = Math.abs(a[i]) + 0.5f;
                        for (int e : new int[] {0, 3, 11, 12, 15, k / 2, k - 16, k - 5, k - 1}) {
                            if (e < 0 || e >= k) continue;
                            float kept = b[bOff + e];
                            b[bOff + e] = Float.POSITIVE_INFINITY;
                            VectorGemm.f32(m, n, k, a, aOff, stride, 1, b, bOff, 1, stride, c, 0, n, false);
                            b[bOff + e] = kept;
                            for (int i = 0; i < m; i++) {
                                assertEquals(Float.POSITIVE_INFINITY, c[i * n], "k " + k + ", A at " + aOff + ", ∞ at " + e + ": C[" + i + ",0]");
                                for (int j = 1; j < n; j++) assertTrue(Float.isFinite(c[i * n + j]), "k " + k + ", ∞ at " + e + ": C[" + i + "," + j + "]");
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Where A is mostly zero (a max pool's adjoint: one element of each window, some of them zero too) the product runs
     * over A's nonzeros alone, and gives the dense kernel's bits: each element's terms in the same order, a zero's term
     * left out. Over shapes around the tiles' edges, offsets, accumulate on and off, and A with no nonzero, a few, one per
     * window of 4 and a quarter exactly (sparse), and half (dense: the sparse path declines and writes nothing).
     */
    @Test
    void sparseAGivesTheDenseKernelsBits() {
        assumeTrue(Gemm.vectorized(), "the Vector API module is not in this JVM");
        Random rnd = new Random(19);
        int cases = 0;
        for (int m : new int[] {1, 3, 4, 6, 16, 17}) {
            for (int n : new int[] {1, 15, 16, 17, 64, 65, 100, 150}) {
                for (int k : new int[] {1, 4, 16, 17, 100, 256, 257, 784}) {
                    for (String kind : new String[] {"none", "few", "pool", "quarter", "half"}) {
                        int aOff = rnd.nextInt(5), aRow = k + rnd.nextInt(3), bOff = rnd.nextInt(5), bRow = n + rnd.nextInt(3);
                        int cOff = rnd.nextInt(5), cRow = n + rnd.nextInt(3);
                        float[] a = new float[aOff + m * aRow + 3], b = randomFloats(rnd, bOff + k * bRow + 3);
                        int nonzero = 0;
                        for (int i = 0; i < m; i++) {
                            for (int p = 0; p < k; p++) {
                                boolean set = switch (kind) {
                                    case "none" -> false;
                                    case "few" -> rnd.nextInt(20) == 0;
                                    case "pool" -> p % 4 == (i + p / 4) % 4 && rnd.nextBoolean(); // one of each 4, or none
                                    case "quarter" -> (i * k + p) % 4 == 0;
                                    default -> (i * k + p) % 2 == 0;
                                };
                                if (set) {
                                    a[aOff + i * aRow + p] = (float) rnd.nextGaussian();
                                    nonzero++;
                                }
                            }
                        }
                        boolean add = rnd.nextBoolean();
                        float[] c = randomFloats(rnd, cOff + m * cRow + 3), dense = c.clone(), before = c.clone();
                        boolean sparse = VectorGemm.sparseF(m, n, k, a, aOff, aRow, b, bOff, bRow, c, cOff, cRow, add);
                        String at = m + "×" + n + "×" + k + " " + kind + " (" + nonzero + " nonzero)";
                        assertEquals(nonzero <= (long) m * k / VectorGemm.SPARSE_SHARE, sparse, at + ": the sparse path taken");
                        if (!sparse) {
                            for (int i = 0; i < c.length; i++) assertEquals(before[i], c[i], at + ": declined, yet wrote C at " + i);
                            continue;
                        }
                        VectorGemm.denseF(m, n, k, a, aOff, aRow, 1, b, bOff, bRow, 1, dense, cOff, cRow, add);
                        for (int i = 0; i < c.length; i++) {
                            if (Float.floatToIntBits(dense[i]) != Float.floatToIntBits(c[i])) {
                                throw new AssertionError(at + ": C at " + i + " is " + c[i] + ", the dense kernel's " + dense[i]);
                            }
                        }
                        cases += sparse ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(cases > 900, cases + " products took the sparse path");
    }

    /** A NaN in A is a nonzero: the sparse path carries it into its row of C, as the dense kernel does. */
    @Test
    void sparseACarriesNaN() {
        assumeTrue(Gemm.vectorized(), "the Vector API module is not in this JVM");
        int m = 4, n = 20, k = 40;
        float[] a = new float[m * k], b = randomFloats(new Random(3), k * n), c = new float[m * n];
        a[5] = 1;
        a[k + 7] = Float.NaN;
        VectorGemm.f32(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
        for (int j = 0; j < n; j++) {
            assertEquals(b[5 * n + j], c[j], "row 0");
            assertTrue(Float.isNaN(c[n + j]), "row 1");
            assertEquals(0f, c[2 * n + j], "row 2");
        }
    }

    @Test
    void facadeMatchesScalarPath() {
        Random rnd = new Random(7);
        float[] a = randomFloats(rnd, 40 * 50), b = randomFloats(rnd, 50 * 30);
        float[] viaFacade = new float[40 * 30], viaScalar = new float[40 * 30];
        Gemm.f32(40, 30, 50, a, 0, 50, 1, b, 0, 30, 1, viaFacade, 0, 30, false);
        ScalarGemm.f32(40, 30, 50, a, 0, 50, 1, b, 0, 30, 1, viaScalar, 0, 30, false);
        for (int i = 0; i < viaFacade.length; i++) assertEquals(viaScalar[i], viaFacade[i], 1e-4f);
    }

    @Test
    void zeroDepthClearsOrKeeps() {
        double[] c = {1, 2, 3, 4, 5, 6};
        Gemm.f64(2, 2, 0, new double[0], 0, 0, 1, new double[0], 0, 1, 0, c, 1, 3, true);
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), List.of(c[0], c[1], c[2], c[3], c[4], c[5]));
        Gemm.f64(2, 2, 0, new double[0], 0, 0, 1, new double[0], 0, 1, 0, c, 1, 3, false);
        assertEquals(List.of(1.0, 0.0, 0.0, 4.0, 0.0, 0.0), List.of(c[0], c[1], c[2], c[3], c[4], c[5]));
    }

    @Test
    void overwritesNaNWhenNotAccumulating() {
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        ScalarGemm.f32(2, 2, 1, new float[] {1, 2}, 0, 1, 1, new float[] {3, 4}, 0, 1, 1, c, 0, 2, false);
        assertEquals(List.of(3f, 4f, 6f, 8f), List.of(c[0], c[1], c[2], c[3]));
        if (Gemm.vectorized()) {
            float[] d = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
            VectorGemm.f32(2, 2, 1, new float[] {1, 2}, 0, 1, 1, new float[] {3, 4}, 0, 1, 1, d, 0, 2, false);
            assertEquals(List.of(3f, 4f, 6f, 8f), List.of(d[0], d[1], d[2], d[3]));
        }
    }

    @Test
    void vectorModuleIsPresentInTests() {
        // Surefire adds the module, so the vector path is the one under test here.
        assertTrue(Gemm.vectorized());
    }

    private static void assertUntouchedOutside(Case t, int cOff, int cRow, int length, IntPredicate same) {
        for (int i = 0; i < length; i++) {
            int rel = i - cOff, row = Math.floorDiv(rel, cRow), col = rel - row * cRow;
            boolean inside = rel >= 0 && row < t.m() && col < t.n();
            if (!inside && !same.test(i)) throw new AssertionError(t + ": wrote outside C at " + i);
        }
    }

    private static float[] randomFloats(Random rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) rnd.nextGaussian();
        return x;
    }

    private static double[] randomDoubles(Random rnd, int size) {
        double[] x = new double[size];
        for (int i = 0; i < size; i++) x[i] = rnd.nextGaussian();
        return x;
    }
}
