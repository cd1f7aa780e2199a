package dev.nnc.runtime.kernel;

import java.util.Arrays;

/**
 * The plain-Java path of {@link Gemm}, for JVMs without jdk.incubator.vector. B is copied a block at a
 * time into separate row arrays; each row of C is then accumulated in a scratch row by long loops over the
 * block's columns, four depth steps per pass, and copied back. Every array in that loop is indexed by the
 * same {@code j}: C2's superword pass vectorizes it only then, since it cannot rule out that two float
 * arrays are one array, and accesses at different offsets of one array might overlap. (An update of C in
 * place, or a tile of 64 columns, runs scalar; measured about 6 against 25 GFLOP/s on AVX-512.)
 *
 * <p>Deterministic: there is no horizontal sum, and C2 vectorizes the loop over j lanewise, keeping Java's
 * order of additions for each element, so interpreted and compiled code give the same bits. They are not
 * {@link VectorGemm}'s bits (that path fuses multiply and add and sums in another order).
 */
public final class ScalarGemm {
    // A block of B (kc×nc) stays in L2 while every row of A passes over it.
    private static final int KC = 128, NC = 512;

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
        float[][] rows = ws.floatRows(Math.min(k, KC), Math.min(n, NC));
        float[] acc = ws.floatTile(Math.min(n, NC));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                for (int p = 0; p < kc; p++) {
                    int s = bOff + (pc + p) * bRow + jc * bCol;
                    float[] row = rows[p];
                    if (bCol == 1) System.arraycopy(b, s, row, 0, nc);
                    else for (int j = 0; j < nc; j++) row[j] = b[s + j * bCol];
                }
                for (int i = 0; i < m; i++) {
                    int co = cOff + i * cRow + jc, ao = aOff + i * aRow + pc * aCol;
                    if (accumulate || pc > 0) System.arraycopy(c, co, acc, 0, nc);
                    else Arrays.fill(acc, 0, nc, 0f);
                    accumulateRow(acc, nc, rows, kc, a, ao, aCol);
                    System.arraycopy(acc, 0, c, co, nc);
                }
            }
        }
    }

    /** acc[j] += Σ_p A[i, p]·rows[p][j] over one block, with A[i, p] at a[ao + p*aCol]. */
    private static void accumulateRow(float[] acc, int nc, float[][] rows, int kc, float[] a, int ao, int aCol) {
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            float a0 = a[ao + p * aCol], a1 = a[ao + (p + 1) * aCol];
            float a2 = a[ao + (p + 2) * aCol], a3 = a[ao + (p + 3) * aCol];
            float[] r0 = rows[p], r1 = rows[p + 1], r2 = rows[p + 2], r3 = rows[p + 3];
            for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
        for (; p < kc; p++) {
            float a0 = a[ao + p * aCol];
            float[] r0 = rows[p];
            for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j];
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
        double[][] rows = ws.doubleRows(Math.min(k, KC), Math.min(n, NC));
        double[] acc = ws.doubleTile(Math.min(n, NC));
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                for (int p = 0; p < kc; p++) {
                    int s = bOff + (pc + p) * bRow + jc * bCol;
                    double[] row = rows[p];
                    if (bCol == 1) System.arraycopy(b, s, row, 0, nc);
                    else for (int j = 0; j < nc; j++) row[j] = b[s + j * bCol];
                }
                for (int i = 0; i < m; i++) {
                    int co = cOff + i * cRow + jc, ao = aOff + i * aRow + pc * aCol;
                    if (accumulate || pc > 0) System.arraycopy(c, co, acc, 0, nc);
                    else Arrays.fill(acc, 0, nc, 0.0);
                    accumulateRow(acc, nc, rows, kc, a, ao, aCol);
                    System.arraycopy(acc, 0, c, co, nc);
                }
            }
        }
    }

    /** acc[j] += Σ_p A[i, p]·rows[p][j] over one block, with A[i, p] at a[ao + p*aCol]. */
    private static void accumulateRow(double[] acc, int nc, double[][] rows, int kc, double[] a, int ao, int aCol) {
        int p = 0;
        for (; p + 4 <= kc; p += 4) {
            double a0 = a[ao + p * aCol], a1 = a[ao + (p + 1) * aCol];
            double a2 = a[ao + (p + 2) * aCol], a3 = a[ao + (p + 3) * aCol];
            double[] r0 = rows[p], r1 = rows[p + 1], r2 = rows[p + 2], r3 = rows[p + 3];
            for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
        }
        for (; p < kc; p++) {
            double a0 = a[ao + p * aCol];
            double[] r0 = rows[p];
            for (int j = 0; j < nc; j++) acc[j] += a0 * r0[j];
        }
    }
}
