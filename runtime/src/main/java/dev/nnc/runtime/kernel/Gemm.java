package dev.nnc.runtime.kernel;

/** Placeholder: naive matrix products with the kernel's API (the blocked kernels replace it). */
public final class Gemm {
    private Gemm() {}

    public static void f32(int m, int n, int k, float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                           float[] c, int cOff, int cRow, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = accumulate ? c[cOff + i * cRow + j] : 0;
                for (int p = 0; p < k; p++) s += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                c[cOff + i * cRow + j] = s;
            }
        }
    }

    public static void f64(int m, int n, int k, double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow, int bCol,
                           double[] c, int cOff, int cRow, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[cOff + i * cRow + j] : 0;
                for (int p = 0; p < k; p++) s += a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
                c[cOff + i * cRow + j] = s;
            }
        }
    }
}
