package dev.nnc.runtime.kernel;

import java.util.Arrays;

/**
 * The plain-Java path of {@link Gemm}, for JVMs without jdk.incubator.vector. Same packing and blocking
 * as {@link VectorGemm}; the micro-kernel accumulates an MR×NR tile in a small array with a unit-stride
 * inner loop over separate arrays, the form C2's superword pass turns into vector FMAs (a loop over one
 * array with two offsets is not vectorized, which is why C is not updated in place).
 */
public final class ScalarGemm {
    // One set of block sizes for both types: the tile array lives in L1 either way.
    private static final int MR = 4, NR = 64, KC = 256, MC = 128, NC = 4096;

    private ScalarGemm() {}

    /** See {@link Gemm#f32}. */
    public static void f32(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                           float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, boolean accumulate) {
        Gemm.checkSizes(m, n, k);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * cRow, cOff + i * cRow + n, 0f);
            return;
        }
        Workspace ws = Workspace.get();
        int ncMax = Math.min(n, NC), mcMax = Math.min(m, MC), kcMax = Math.min(k, KC);
        float[] bp = ws.floatB(roundUp(ncMax, NR) * kcMax);
        float[] ap = ws.floatA(roundUp(mcMax, MR) * kcMax);
        float[] tile = ws.floatTile(MR * NR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                Pack.f32(b, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Pack.f32(a, aOff + ic * aRow + pc * aCol, aRow, aCol, mc, kc, MR, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir), ci = cOff + (ic + ir) * cRow + jc + jr;
                            kernel(kc, ap, ir * kc, bp, jr * kc, tile);
                            for (int r = 0; r < rows; r++) {
                                int o = ci + r * cRow, to = r * NR;
                                if (add) for (int j = 0; j < cols; j++) c[o + j] += tile[to + j];
                                else System.arraycopy(tile, to, c, o, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    /** tile = A panel · B panel over depth kc; the row update is a loop C2 vectorizes (tile and bp differ). */
    private static void kernel(int kc, float[] ap, int ai, float[] bp, int bi, float[] tile) {
        Arrays.fill(tile, 0, MR * NR, 0f);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += MR, bo += NR) {
            for (int r = 0; r < MR; r++) {
                float av = ap[ao + r];
                int to = r * NR;
                for (int j = 0; j < NR; j++) tile[to + j] = Math.fma(av, bp[bo + j], tile[to + j]);
            }
        }
    }

    /** See {@link Gemm#f64}. */
    public static void f64(int m, int n, int k, double[] a, int aOff, int aRow, int aCol,
                           double[] b, int bOff, int bRow, int bCol, double[] c, int cOff, int cRow, boolean accumulate) {
        Gemm.checkSizes(m, n, k);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * cRow, cOff + i * cRow + n, 0.0);
            return;
        }
        Workspace ws = Workspace.get();
        int ncMax = Math.min(n, NC), mcMax = Math.min(m, MC), kcMax = Math.min(k, KC);
        double[] bp = ws.doubleB(roundUp(ncMax, NR) * kcMax);
        double[] ap = ws.doubleA(roundUp(mcMax, MR) * kcMax);
        double[] tile = ws.doubleTile(MR * NR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                Pack.f64(b, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR, bp);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Pack.f64(a, aOff + ic * aRow + pc * aCol, aRow, aCol, mc, kc, MR, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int rows = Math.min(MR, mc - ir), ci = cOff + (ic + ir) * cRow + jc + jr;
                            kernel(kc, ap, ir * kc, bp, jr * kc, tile);
                            for (int r = 0; r < rows; r++) {
                                int o = ci + r * cRow, to = r * NR;
                                if (add) for (int j = 0; j < cols; j++) c[o + j] += tile[to + j];
                                else System.arraycopy(tile, to, c, o, cols);
                            }
                        }
                    }
                }
            }
        }
    }

    /** tile = A panel · B panel over depth kc; the row update is a loop C2 vectorizes (tile and bp differ). */
    private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi, double[] tile) {
        Arrays.fill(tile, 0, MR * NR, 0.0);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += MR, bo += NR) {
            for (int r = 0; r < MR; r++) {
                double av = ap[ao + r];
                int to = r * NR;
                for (int j = 0; j < NR; j++) tile[to + j] = Math.fma(av, bp[bo + j], tile[to + j]);
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}

