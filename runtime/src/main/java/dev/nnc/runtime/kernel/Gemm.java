package dev.nnc.runtime.kernel;

/**
 * Matrix products for the matrix-product core of tensor layers, called from generated code.
 *
 * <p>{@code C[i,j] = (accumulate ? C[i,j] : 0) + Σ_p A[i,p]·B[p,j]} for {@code i < m, j < n, p < k}, where
 * {@code A[i,p]} is {@code a[aOff + i*aRow + p*aCol]}, {@code B[p,j]} is {@code b[bOff + p*bRow + j*bCol]}
 * and {@code C[i,j]} is {@code c[cOff + i*cRow + j]}. Any stride layout works (row-major, transposed, or
 * neither); C always has unit column stride. With {@code k == 0}, C becomes 0 or stays as it is.
 *
 * <p>Single-threaded: callers split the work across cores (by rows of C, say). Packing buffers are
 * per-thread and reused, so calls in the steady state allocate nothing.
 *
 * <p>The fast path uses the incubating Vector API; a JVM started without
 * {@code --add-modules jdk.incubator.vector} (or with {@code -Dnnc.vector=false}) gets {@link ScalarGemm}
 * instead. The choice is made once, here, so {@link VectorGemm} is never loaded without the module. (A model jar
 * run with plain {@code java -jar} starts itself again with the module: {@code compiled.VectorRelaunch}.)
 * VectorGemm is compiled against Java 17's version of the module and calls only what every version since has.
 */
public final class Gemm {
    /** Whether the Vector API is there to use (generated code tests it before a loop it runs on vectors). */
    public static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("nnc.vector"));

    private Gemm() {}

    /** Whether the products run on the Vector API (for messages and benchmarks). */
    public static boolean vectorized() {
        return VECTOR;
    }

    /** float32 product; see the class comment for the meaning of each argument. */
    public static void f32(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                           float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow,
                           boolean accumulate) {
        if (VECTOR) VectorGemm.f32(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
        else ScalarGemm.f32(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
    }

    /** float64 product; see the class comment for the meaning of each argument. */
    public static void f64(int m, int n, int k, double[] a, int aOff, int aRow, int aCol,
                           double[] b, int bOff, int bRow, int bCol, double[] c, int cOff, int cRow,
                           boolean accumulate) {
        if (VECTOR) VectorGemm.f64(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
        else ScalarGemm.f64(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
    }

    /** Rejects negative sizes up front; out-of-range indices fail later as array index errors. */
    static void checkSizes(int m, int n, int k) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative size m=" + m + " n=" + n + " k=" + k);
    }
}
