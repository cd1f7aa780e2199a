package dev.nnc.runtime.kernel;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Gemm}, GotoBLAS/BLIS style: B is packed a kc×nc block at a time into
 * panels of NR columns, A an mc×kc block at a time into panels of MR rows (see {@link Pack}), and a
 * register-blocked micro-kernel keeps an MR×NR tile of C in vector registers while it walks the depth.
 * When A's rows are contiguous along p they are read in place instead of packed, and when B's columns are
 * too, no packing is done at all (see dotsF). The kernels are unrolled by hand so that C2 keeps each
 * accumulator in its own register. Only this class names jdk.incubator.vector types, so it is loaded only
 * when that module is present.
 */
public final class VectorGemm {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int LF = FS.length(), LD = DS.length();
    // Register tile: MR rows × NV vectors; measured on AVX-512 (32 vector registers), see GemmBench.
    private static final int MR_F = 4, NR_F = 4 * LF, MR_D = 4, NR_D = 4 * LD;
    // Cache blocks: kc bounds the depth of a panel pair, mc×kc of A stays in L2, nc is effectively unbounded.
    private static final int KC_F = 256, MC_F = roundUp(128, MR_F), NC_F = roundUp(4096, NR_F);
    private static final int KC_D = 256, MC_D = roundUp(96, MR_D), NC_D = roundUp(4096, NR_D);

    // Dot-product tile (rows of A × columns of B) for the unpacked path; it beat packing at m = 32 and 128.
    private static final int DR_F = 4, DJ_F = 4, DR_D = 4, DJ_D = 4;

    private VectorGemm() {}

    /** See {@link Gemm#f32}. */
    public static void f32(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                    float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, boolean accumulate) {
        Gemm.checkSizes(m, n, k);
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * cRow, cOff + i * cRow + n, 0f);
            return;
        }
        if (aCol == 1 && bRow == 1) {
            dotsF(m, n, k, a, aOff, aRow, b, bOff, bCol, c, cOff, cRow, accumulate);
            return;
        }
        boolean inPlace = aCol == 1;
        Workspace ws = Workspace.get();
        int ncMax = Math.min(n, NC_F), mcMax = Math.min(m, MC_F), kcMax = Math.min(k, KC_F);
        float[] bp = ws.floatB(roundUp(ncMax, NR_F) * kcMax);
        float[] ap = ws.floatA(roundUp(mcMax, MR_F) * kcMax);
        float[] tile = ws.floatTile(MR_F * NR_F);
        for (int jc = 0; jc < n; jc += NC_F) {
            int nc = Math.min(NC_F, n - jc);
            for (int pc = 0; pc < k; pc += KC_F) {
                int kc = Math.min(KC_F, k - pc);
                boolean add = accumulate || pc > 0;
                Pack.f32(b, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR_F, bp);
                for (int ic = 0; ic < m; ic += MC_F) {
                    int mc = Math.min(MC_F, m - ic);
                    int aBlock = aOff + ic * aRow + pc * aCol, whole = mc - mc % MR_F;
                    // Rows contiguous along p are read in place; only a partial last panel is packed (zero rows).
                    if (inPlace) Pack.f32(a, aBlock + whole * aRow, aRow, aCol, mc - whole, kc, MR_F, ap);
                    else Pack.f32(a, aBlock, aRow, aCol, mc, kc, MR_F, ap);
                    for (int jr = 0; jr < nc; jr += NR_F) {
                        int cols = Math.min(NR_F, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_F) {
                            int rows = Math.min(MR_F, mc - ir), ci = cOff + (ic + ir) * cRow + jc + jr;
                            boolean direct = inPlace && ir < whole;
                            float[] ar = direct ? a : ap;
                            int ai = direct ? aBlock + ir * aRow : inPlace ? 0 : ir * kc;
                            int ars = direct ? aRow : 1, acs = direct ? 1 : MR_F;
                            if (rows == MR_F && cols == NR_F) {
                                kernelF(kc, ar, ai, ars, acs, bp, jr * kc, c, ci, cRow, add);
                            } else {
                                // A partial tile is computed whole into a scratch tile, then the live part copied.
                                kernelF(kc, ar, ai, ars, acs, bp, jr * kc, tile, 0, NR_F, false);
                                for (int r = 0; r < rows; r++) {
                                    for (int j = 0; j < cols; j++) {
                                        int o = ci + r * cRow + j;
                                        c[o] = add ? c[o] + tile[r * NR_F + j] : tile[r * NR_F + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * C = A·B when rows of A and columns of B are both contiguous along p (a dense layer's forward pass with
     * row-major weights): each C element is a dot product of two unit-stride runs, so nothing is packed;
     * transposing B into panels would cost more than the product itself when m is small.
     */
    private static void dotsF(int m, int n, int k, float[] a, int aOff, int aRow, float[] b, int bOff, int bCol,
                              float[] c, int cOff, int cRow, boolean add) {
        int mw = m - m % DR_F, nw = n - n % DJ_F;
        for (int j = 0; j < nw; j += DJ_F) {
            // DJ columns of B (a few KiB) stay in L1 while all rows of A stream past them.
            for (int i = 0; i < mw; i += DR_F) {
                dotF(k, a, aOff + i * aRow, aRow, b, bOff + j * bCol, bCol, c, cOff + i * cRow + j, cRow, add);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = i < mw ? nw : 0; j < n; j++) {
                int o = cOff + i * cRow + j;
                float s = dot1F(k, a, aOff + i * aRow, b, bOff + j * bCol);
                c[o] = add ? c[o] + s : s;
            }
        }
    }

    private static float dot1F(int k, float[] a, int ai, float[] b, int bi) {
        FloatVector acc = FloatVector.zero(FS);
        int kv = k - k % LF, p = 0;
        for (; p < kv; p += LF) acc = FloatVector.fromArray(FS, a, ai + p).fma(FloatVector.fromArray(FS, b, bi + p), acc);
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) s = Math.fma(a[ai + p], b[bi + p], s);
        return s;
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
        if (aCol == 1 && bRow == 1) {
            dotsD(m, n, k, a, aOff, aRow, b, bOff, bCol, c, cOff, cRow, accumulate);
            return;
        }
        boolean inPlace = aCol == 1;
        Workspace ws = Workspace.get();
        int ncMax = Math.min(n, NC_D), mcMax = Math.min(m, MC_D), kcMax = Math.min(k, KC_D);
        double[] bp = ws.doubleB(roundUp(ncMax, NR_D) * kcMax);
        double[] ap = ws.doubleA(roundUp(mcMax, MR_D) * kcMax);
        double[] tile = ws.doubleTile(MR_D * NR_D);
        for (int jc = 0; jc < n; jc += NC_D) {
            int nc = Math.min(NC_D, n - jc);
            for (int pc = 0; pc < k; pc += KC_D) {
                int kc = Math.min(KC_D, k - pc);
                boolean add = accumulate || pc > 0;
                Pack.f64(b, bOff + pc * bRow + jc * bCol, bCol, bRow, nc, kc, NR_D, bp);
                for (int ic = 0; ic < m; ic += MC_D) {
                    int mc = Math.min(MC_D, m - ic);
                    int aBlock = aOff + ic * aRow + pc * aCol, whole = mc - mc % MR_D;
                    // Rows contiguous along p are read in place; only a partial last panel is packed (zero rows).
                    if (inPlace) Pack.f64(a, aBlock + whole * aRow, aRow, aCol, mc - whole, kc, MR_D, ap);
                    else Pack.f64(a, aBlock, aRow, aCol, mc, kc, MR_D, ap);
                    for (int jr = 0; jr < nc; jr += NR_D) {
                        int cols = Math.min(NR_D, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_D) {
                            int rows = Math.min(MR_D, mc - ir), ci = cOff + (ic + ir) * cRow + jc + jr;
                            boolean direct = inPlace && ir < whole;
                            double[] ar = direct ? a : ap;
                            int ai = direct ? aBlock + ir * aRow : inPlace ? 0 : ir * kc;
                            int ars = direct ? aRow : 1, acs = direct ? 1 : MR_D;
                            if (rows == MR_D && cols == NR_D) {
                                kernelD(kc, ar, ai, ars, acs, bp, jr * kc, c, ci, cRow, add);
                            } else {
                                // A partial tile is computed whole into a scratch tile, then the live part copied.
                                kernelD(kc, ar, ai, ars, acs, bp, jr * kc, tile, 0, NR_D, false);
                                for (int r = 0; r < rows; r++) {
                                    for (int j = 0; j < cols; j++) {
                                        int o = ci + r * cRow + j;
                                        c[o] = add ? c[o] + tile[r * NR_D + j] : tile[r * NR_D + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * C = A·B when rows of A and columns of B are both contiguous along p (a dense layer's forward pass with
     * row-major weights): each C element is a dot product of two unit-stride runs, so nothing is packed;
     * transposing B into panels would cost more than the product itself when m is small.
     */
    private static void dotsD(int m, int n, int k, double[] a, int aOff, int aRow, double[] b, int bOff, int bCol,
                              double[] c, int cOff, int cRow, boolean add) {
        int mw = m - m % DR_D, nw = n - n % DJ_D;
        for (int j = 0; j < nw; j += DJ_D) {
            // DJ columns of B (a few KiB) stay in L1 while all rows of A stream past them.
            for (int i = 0; i < mw; i += DR_D) {
                dotD(k, a, aOff + i * aRow, aRow, b, bOff + j * bCol, bCol, c, cOff + i * cRow + j, cRow, add);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = i < mw ? nw : 0; j < n; j++) {
                int o = cOff + i * cRow + j;
                double s = dot1D(k, a, aOff + i * aRow, b, bOff + j * bCol);
                c[o] = add ? c[o] + s : s;
            }
        }
    }

    private static double dot1D(int k, double[] a, int ai, double[] b, int bi) {
        DoubleVector acc = DoubleVector.zero(DS);
        int kv = k - k % LD, p = 0;
        for (; p < kv; p += LD) acc = DoubleVector.fromArray(DS, a, ai + p).fma(DoubleVector.fromArray(DS, b, bi + p), acc);
        double s = acc.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) s = Math.fma(a[ai + p], b[bi + p], s);
        return s;
    }

    /** The 4×4-vector register tile: C tile (+)= A rows · B panel over depth kc; A[r, p] is ap[ai + r*ars + p*acs]. */
    private static void kernelF(int kc, float[] ap, int ai, int ars, int acs, float[] bp, int bi, float[] c, int ci, int cRow, boolean add) {
        FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS); FloatVector c02 = FloatVector.zero(FS); FloatVector c03 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS); FloatVector c12 = FloatVector.zero(FS); FloatVector c13 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS); FloatVector c22 = FloatVector.zero(FS); FloatVector c23 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS); FloatVector c32 = FloatVector.zero(FS); FloatVector c33 = FloatVector.zero(FS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += NR_F) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, bo);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bo + 1 * LF);
            FloatVector b2 = FloatVector.fromArray(FS, bp, bo + 2 * LF);
            FloatVector b3 = FloatVector.fromArray(FS, bp, bo + 3 * LF);
            FloatVector a0 = FloatVector.broadcast(FS, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02); c03 = b3.fma(a0, c03);
            FloatVector a1 = FloatVector.broadcast(FS, ap[ao + ars]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12); c13 = b3.fma(a1, c13);
            FloatVector a2 = FloatVector.broadcast(FS, ap[ao + 2 * ars]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22); c23 = b3.fma(a2, c23);
            FloatVector a3 = FloatVector.broadcast(FS, ap[ao + 3 * ars]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32); c33 = b3.fma(a3, c33);
        }
        if (add) {
            int o0 = ci;
            c00 = c00.add(FloatVector.fromArray(FS, c, o0)); c01 = c01.add(FloatVector.fromArray(FS, c, o0 + 1 * LF)); c02 = c02.add(FloatVector.fromArray(FS, c, o0 + 2 * LF)); c03 = c03.add(FloatVector.fromArray(FS, c, o0 + 3 * LF));
            int o1 = ci + 1 * cRow;
            c10 = c10.add(FloatVector.fromArray(FS, c, o1)); c11 = c11.add(FloatVector.fromArray(FS, c, o1 + 1 * LF)); c12 = c12.add(FloatVector.fromArray(FS, c, o1 + 2 * LF)); c13 = c13.add(FloatVector.fromArray(FS, c, o1 + 3 * LF));
            int o2 = ci + 2 * cRow;
            c20 = c20.add(FloatVector.fromArray(FS, c, o2)); c21 = c21.add(FloatVector.fromArray(FS, c, o2 + 1 * LF)); c22 = c22.add(FloatVector.fromArray(FS, c, o2 + 2 * LF)); c23 = c23.add(FloatVector.fromArray(FS, c, o2 + 3 * LF));
            int o3 = ci + 3 * cRow;
            c30 = c30.add(FloatVector.fromArray(FS, c, o3)); c31 = c31.add(FloatVector.fromArray(FS, c, o3 + 1 * LF)); c32 = c32.add(FloatVector.fromArray(FS, c, o3 + 2 * LF)); c33 = c33.add(FloatVector.fromArray(FS, c, o3 + 3 * LF));
        }
        int s0 = ci;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * LF); c02.intoArray(c, s0 + 2 * LF); c03.intoArray(c, s0 + 3 * LF);
        int s1 = ci + 1 * cRow;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * LF); c12.intoArray(c, s1 + 2 * LF); c13.intoArray(c, s1 + 3 * LF);
        int s2 = ci + 2 * cRow;
        c20.intoArray(c, s2); c21.intoArray(c, s2 + 1 * LF); c22.intoArray(c, s2 + 2 * LF); c23.intoArray(c, s2 + 3 * LF);
        int s3 = ci + 3 * cRow;
        c30.intoArray(c, s3); c31.intoArray(c, s3 + 1 * LF); c32.intoArray(c, s3 + 2 * LF); c33.intoArray(c, s3 + 3 * LF);
    }

    /** The 4×4-vector register tile: C tile (+)= A rows · B panel over depth kc; A[r, p] is ap[ai + r*ars + p*acs]. */
    private static void kernelD(int kc, double[] ap, int ai, int ars, int acs, double[] bp, int bi, double[] c, int ci, int cRow, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS); DoubleVector c02 = DoubleVector.zero(DS); DoubleVector c03 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS); DoubleVector c12 = DoubleVector.zero(DS); DoubleVector c13 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS); DoubleVector c22 = DoubleVector.zero(DS); DoubleVector c23 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS); DoubleVector c32 = DoubleVector.zero(DS); DoubleVector c33 = DoubleVector.zero(DS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += NR_D) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, bo + 1 * LD);
            DoubleVector b2 = DoubleVector.fromArray(DS, bp, bo + 2 * LD);
            DoubleVector b3 = DoubleVector.fromArray(DS, bp, bo + 3 * LD);
            DoubleVector a0 = DoubleVector.broadcast(DS, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02); c03 = b3.fma(a0, c03);
            DoubleVector a1 = DoubleVector.broadcast(DS, ap[ao + ars]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12); c13 = b3.fma(a1, c13);
            DoubleVector a2 = DoubleVector.broadcast(DS, ap[ao + 2 * ars]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22); c23 = b3.fma(a2, c23);
            DoubleVector a3 = DoubleVector.broadcast(DS, ap[ao + 3 * ars]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32); c33 = b3.fma(a3, c33);
        }
        if (add) {
            int o0 = ci;
            c00 = c00.add(DoubleVector.fromArray(DS, c, o0)); c01 = c01.add(DoubleVector.fromArray(DS, c, o0 + 1 * LD)); c02 = c02.add(DoubleVector.fromArray(DS, c, o0 + 2 * LD)); c03 = c03.add(DoubleVector.fromArray(DS, c, o0 + 3 * LD));
            int o1 = ci + 1 * cRow;
            c10 = c10.add(DoubleVector.fromArray(DS, c, o1)); c11 = c11.add(DoubleVector.fromArray(DS, c, o1 + 1 * LD)); c12 = c12.add(DoubleVector.fromArray(DS, c, o1 + 2 * LD)); c13 = c13.add(DoubleVector.fromArray(DS, c, o1 + 3 * LD));
            int o2 = ci + 2 * cRow;
            c20 = c20.add(DoubleVector.fromArray(DS, c, o2)); c21 = c21.add(DoubleVector.fromArray(DS, c, o2 + 1 * LD)); c22 = c22.add(DoubleVector.fromArray(DS, c, o2 + 2 * LD)); c23 = c23.add(DoubleVector.fromArray(DS, c, o2 + 3 * LD));
            int o3 = ci + 3 * cRow;
            c30 = c30.add(DoubleVector.fromArray(DS, c, o3)); c31 = c31.add(DoubleVector.fromArray(DS, c, o3 + 1 * LD)); c32 = c32.add(DoubleVector.fromArray(DS, c, o3 + 2 * LD)); c33 = c33.add(DoubleVector.fromArray(DS, c, o3 + 3 * LD));
        }
        int s0 = ci;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * LD); c02.intoArray(c, s0 + 2 * LD); c03.intoArray(c, s0 + 3 * LD);
        int s1 = ci + 1 * cRow;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * LD); c12.intoArray(c, s1 + 2 * LD); c13.intoArray(c, s1 + 3 * LD);
        int s2 = ci + 2 * cRow;
        c20.intoArray(c, s2); c21.intoArray(c, s2 + 1 * LD); c22.intoArray(c, s2 + 2 * LD); c23.intoArray(c, s2 + 3 * LD);
        int s3 = ci + 3 * cRow;
        c30.intoArray(c, s3); c31.intoArray(c, s3 + 1 * LD); c32.intoArray(c, s3 + 2 * LD); c33.intoArray(c, s3 + 3 * LD);
    }

    /** 4×4 dot products over the full depth: rows of A and columns of B are both contiguous in p. */
    private static void dotF(int k, float[] a, int ai, int aRow, float[] b, int bi, int bCol, float[] c, int ci, int cRow, boolean add) {
        FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS); FloatVector c02 = FloatVector.zero(FS); FloatVector c03 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS); FloatVector c12 = FloatVector.zero(FS); FloatVector c13 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS); FloatVector c22 = FloatVector.zero(FS); FloatVector c23 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS); FloatVector c32 = FloatVector.zero(FS); FloatVector c33 = FloatVector.zero(FS);
        int kv = k - k % LF, p = 0;
        for (; p < kv; p += LF) {
            FloatVector a0 = FloatVector.fromArray(FS, a, ai + p);
            FloatVector a1 = FloatVector.fromArray(FS, a, ai + 1 * aRow + p);
            FloatVector a2 = FloatVector.fromArray(FS, a, ai + 2 * aRow + p);
            FloatVector a3 = FloatVector.fromArray(FS, a, ai + 3 * aRow + p);
            FloatVector b0 = FloatVector.fromArray(FS, b, bi + p);
            c00 = a0.fma(b0, c00); c10 = a1.fma(b0, c10); c20 = a2.fma(b0, c20); c30 = a3.fma(b0, c30);
            FloatVector b1 = FloatVector.fromArray(FS, b, bi + 1 * bCol + p);
            c01 = a0.fma(b1, c01); c11 = a1.fma(b1, c11); c21 = a2.fma(b1, c21); c31 = a3.fma(b1, c31);
            FloatVector b2 = FloatVector.fromArray(FS, b, bi + 2 * bCol + p);
            c02 = a0.fma(b2, c02); c12 = a1.fma(b2, c12); c22 = a2.fma(b2, c22); c32 = a3.fma(b2, c32);
            FloatVector b3 = FloatVector.fromArray(FS, b, bi + 3 * bCol + p);
            c03 = a0.fma(b3, c03); c13 = a1.fma(b3, c13); c23 = a2.fma(b3, c23); c33 = a3.fma(b3, c33);
        }
        float s00 = c00.reduceLanes(VectorOperators.ADD); float s01 = c01.reduceLanes(VectorOperators.ADD); float s02 = c02.reduceLanes(VectorOperators.ADD); float s03 = c03.reduceLanes(VectorOperators.ADD);
        float s10 = c10.reduceLanes(VectorOperators.ADD); float s11 = c11.reduceLanes(VectorOperators.ADD); float s12 = c12.reduceLanes(VectorOperators.ADD); float s13 = c13.reduceLanes(VectorOperators.ADD);
        float s20 = c20.reduceLanes(VectorOperators.ADD); float s21 = c21.reduceLanes(VectorOperators.ADD); float s22 = c22.reduceLanes(VectorOperators.ADD); float s23 = c23.reduceLanes(VectorOperators.ADD);
        float s30 = c30.reduceLanes(VectorOperators.ADD); float s31 = c31.reduceLanes(VectorOperators.ADD); float s32 = c32.reduceLanes(VectorOperators.ADD); float s33 = c33.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            float x0 = a[ai + p];
            float x1 = a[ai + 1 * aRow + p];
            float x2 = a[ai + 2 * aRow + p];
            float x3 = a[ai + 3 * aRow + p];
            float y0 = b[bi + p];
            float y1 = b[bi + 1 * bCol + p];
            float y2 = b[bi + 2 * bCol + p];
            float y3 = b[bi + 3 * bCol + p];
            s00 = Math.fma(x0, y0, s00); s01 = Math.fma(x0, y1, s01); s02 = Math.fma(x0, y2, s02); s03 = Math.fma(x0, y3, s03);
            s10 = Math.fma(x1, y0, s10); s11 = Math.fma(x1, y1, s11); s12 = Math.fma(x1, y2, s12); s13 = Math.fma(x1, y3, s13);
            s20 = Math.fma(x2, y0, s20); s21 = Math.fma(x2, y1, s21); s22 = Math.fma(x2, y2, s22); s23 = Math.fma(x2, y3, s23);
            s30 = Math.fma(x3, y0, s30); s31 = Math.fma(x3, y1, s31); s32 = Math.fma(x3, y2, s32); s33 = Math.fma(x3, y3, s33);
        }
        int o0 = ci;
        c[o0] = add ? c[o0] + s00 : s00; c[o0 + 1] = add ? c[o0 + 1] + s01 : s01; c[o0 + 2] = add ? c[o0 + 2] + s02 : s02; c[o0 + 3] = add ? c[o0 + 3] + s03 : s03;
        int o1 = ci + 1 * cRow;
        c[o1] = add ? c[o1] + s10 : s10; c[o1 + 1] = add ? c[o1 + 1] + s11 : s11; c[o1 + 2] = add ? c[o1 + 2] + s12 : s12; c[o1 + 3] = add ? c[o1 + 3] + s13 : s13;
        int o2 = ci + 2 * cRow;
        c[o2] = add ? c[o2] + s20 : s20; c[o2 + 1] = add ? c[o2 + 1] + s21 : s21; c[o2 + 2] = add ? c[o2 + 2] + s22 : s22; c[o2 + 3] = add ? c[o2 + 3] + s23 : s23;
        int o3 = ci + 3 * cRow;
        c[o3] = add ? c[o3] + s30 : s30; c[o3 + 1] = add ? c[o3 + 1] + s31 : s31; c[o3 + 2] = add ? c[o3 + 2] + s32 : s32; c[o3 + 3] = add ? c[o3 + 3] + s33 : s33;
    }

    /** 4×4 dot products over the full depth: rows of A and columns of B are both contiguous in p. */
    private static void dotD(int k, double[] a, int ai, int aRow, double[] b, int bi, int bCol, double[] c, int ci, int cRow, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS); DoubleVector c02 = DoubleVector.zero(DS); DoubleVector c03 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS); DoubleVector c12 = DoubleVector.zero(DS); DoubleVector c13 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS); DoubleVector c22 = DoubleVector.zero(DS); DoubleVector c23 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS); DoubleVector c32 = DoubleVector.zero(DS); DoubleVector c33 = DoubleVector.zero(DS);
        int kv = k - k % LD, p = 0;
        for (; p < kv; p += LD) {
            DoubleVector a0 = DoubleVector.fromArray(DS, a, ai + p);
            DoubleVector a1 = DoubleVector.fromArray(DS, a, ai + 1 * aRow + p);
            DoubleVector a2 = DoubleVector.fromArray(DS, a, ai + 2 * aRow + p);
            DoubleVector a3 = DoubleVector.fromArray(DS, a, ai + 3 * aRow + p);
            DoubleVector b0 = DoubleVector.fromArray(DS, b, bi + p);
            c00 = a0.fma(b0, c00); c10 = a1.fma(b0, c10); c20 = a2.fma(b0, c20); c30 = a3.fma(b0, c30);
            DoubleVector b1 = DoubleVector.fromArray(DS, b, bi + 1 * bCol + p);
            c01 = a0.fma(b1, c01); c11 = a1.fma(b1, c11); c21 = a2.fma(b1, c21); c31 = a3.fma(b1, c31);
            DoubleVector b2 = DoubleVector.fromArray(DS, b, bi + 2 * bCol + p);
            c02 = a0.fma(b2, c02); c12 = a1.fma(b2, c12); c22 = a2.fma(b2, c22); c32 = a3.fma(b2, c32);
            DoubleVector b3 = DoubleVector.fromArray(DS, b, bi + 3 * bCol + p);
            c03 = a0.fma(b3, c03); c13 = a1.fma(b3, c13); c23 = a2.fma(b3, c23); c33 = a3.fma(b3, c33);
        }
        double s00 = c00.reduceLanes(VectorOperators.ADD); double s01 = c01.reduceLanes(VectorOperators.ADD); double s02 = c02.reduceLanes(VectorOperators.ADD); double s03 = c03.reduceLanes(VectorOperators.ADD);
        double s10 = c10.reduceLanes(VectorOperators.ADD); double s11 = c11.reduceLanes(VectorOperators.ADD); double s12 = c12.reduceLanes(VectorOperators.ADD); double s13 = c13.reduceLanes(VectorOperators.ADD);
        double s20 = c20.reduceLanes(VectorOperators.ADD); double s21 = c21.reduceLanes(VectorOperators.ADD); double s22 = c22.reduceLanes(VectorOperators.ADD); double s23 = c23.reduceLanes(VectorOperators.ADD);
        double s30 = c30.reduceLanes(VectorOperators.ADD); double s31 = c31.reduceLanes(VectorOperators.ADD); double s32 = c32.reduceLanes(VectorOperators.ADD); double s33 = c33.reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            double x0 = a[ai + p];
            double x1 = a[ai + 1 * aRow + p];
            double x2 = a[ai + 2 * aRow + p];
            double x3 = a[ai + 3 * aRow + p];
            double y0 = b[bi + p];
            double y1 = b[bi + 1 * bCol + p];
            double y2 = b[bi + 2 * bCol + p];
            double y3 = b[bi + 3 * bCol + p];
            s00 = Math.fma(x0, y0, s00); s01 = Math.fma(x0, y1, s01); s02 = Math.fma(x0, y2, s02); s03 = Math.fma(x0, y3, s03);
            s10 = Math.fma(x1, y0, s10); s11 = Math.fma(x1, y1, s11); s12 = Math.fma(x1, y2, s12); s13 = Math.fma(x1, y3, s13);
            s20 = Math.fma(x2, y0, s20); s21 = Math.fma(x2, y1, s21); s22 = Math.fma(x2, y2, s22); s23 = Math.fma(x2, y3, s23);
            s30 = Math.fma(x3, y0, s30); s31 = Math.fma(x3, y1, s31); s32 = Math.fma(x3, y2, s32); s33 = Math.fma(x3, y3, s33);
        }
        int o0 = ci;
        c[o0] = add ? c[o0] + s00 : s00; c[o0 + 1] = add ? c[o0 + 1] + s01 : s01; c[o0 + 2] = add ? c[o0 + 2] + s02 : s02; c[o0 + 3] = add ? c[o0 + 3] + s03 : s03;
        int o1 = ci + 1 * cRow;
        c[o1] = add ? c[o1] + s10 : s10; c[o1 + 1] = add ? c[o1 + 1] + s11 : s11; c[o1 + 2] = add ? c[o1 + 2] + s12 : s12; c[o1 + 3] = add ? c[o1 + 3] + s13 : s13;
        int o2 = ci + 2 * cRow;
        c[o2] = add ? c[o2] + s20 : s20; c[o2 + 1] = add ? c[o2 + 1] + s21 : s21; c[o2 + 2] = add ? c[o2 + 2] + s22 : s22; c[o2 + 3] = add ? c[o2 + 3] + s23 : s23;
        int o3 = ci + 3 * cRow;
        c[o3] = add ? c[o3] + s30 : s30; c[o3 + 1] = add ? c[o3 + 1] + s31 : s31; c[o3 + 2] = add ? c[o3 + 2] + s32 : s32; c[o3 + 3] = add ? c[o3 + 3] + s33 : s33;
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}

