package dev.nnc.runtime.kernel;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Gemm}, GotoBLAS/BLIS style: B is packed a kc×nc block at a time into
 * panels of NR columns, A an mc×kc block at a time into panels of MR rows (see {@link Pack}), and a
 * register-blocked micro-kernel keeps an MR×NR tile of C in vector registers while it walks the depth.
 * When A's rows are contiguous along p they are read in place instead of packed, and when B's columns are
 * too, no packing is done at all (see dotsF). The kernels are unrolled by hand so that C2 keeps each
 * accumulator in its own register. Only this class names jdk.incubator.vector types, so it is loaded only
 * when that module is present.
 *
 * <p>Deterministic: the same operands give the same bits whether the code runs interpreted, in C1 or in C2.
 * Lanewise operations (fma, add, blend, rearrange) are exact IEEE operations in every mode, but reduceLanes
 * leaves its order of additions open (the Java fallback adds lanes in sequence, C2's intrinsic as a tree), so
 * no product here uses it: horizontal sums are fixed trees of lanewise adds (see dotF and sumF). The bits
 * differ from {@link ScalarGemm}'s, which adds in another order; each path is reproducible by itself.
 */
public final class VectorGemm {
    private static final VectorSpecies<Float> FS = VectorLanes.F;
    private static final VectorSpecies<Double> DS = VectorLanes.D;
    private static final int LF = FS.length(), LD = DS.length();
    // For each lane bit h = 1, 2, 4, 8 of the summation trees: the lanes with bit h set, and lane i exchanged with i ^ h.
    private static final VectorMask<Float> HI1_F = high(FS, 1), HI2_F = high(FS, 2), HI4_F = high(FS, 4), HI8_F = high(FS, 8);
    private static final VectorShuffle<Float> SW1_F = swap(FS, 1), SW2_F = swap(FS, 2), SW4_F = swap(FS, 4), SW8_F = swap(FS, 8);
    // Lanes 4r … 4r + 3 (row r of the dot tile's 16 sums, at 16 lanes)
    private static final VectorMask<Float> ROW0_F = lanes(FS, 0), ROW1_F = lanes(FS, 4), ROW2_F = lanes(FS, 8), ROW3_F = lanes(FS, 12);
    private static final VectorMask<Double> HI1_D = high(DS, 1), HI2_D = high(DS, 2), HI4_D = high(DS, 4), HI8_D = high(DS, 8);
    private static final VectorShuffle<Double> SW1_D = swap(DS, 1), SW2_D = swap(DS, 2), SW4_D = swap(DS, 4), SW8_D = swap(DS, 8);
    // Register tile: MR rows × NV vectors; measured on AVX-512 (32 vector registers), see GemmBench.
    private static final int MR_F = 4, NR_F = 4 * LF, MR_D = 4, NR_D = 4 * LD;
    /**
     * The most rows of A for which B's whole column panels are read where they are, when its rows are contiguous along
     * j, rather than packed: a packed copy costs about what one pass over B does, and so pays only where many row
     * panels read it again (a convolution's product over one sample's windows has 6–16 rows; packing its 15,000–20,000
     * elements of B had been a third of the product).
     */
    private static final int B_IN_PLACE_ROWS = 16;
    /**
     * A product whose A has at most one nonzero in this many runs over the nonzeros alone ({@link #sparseF}): there
     * each term costs a load of B's row for one row of C, where the dense kernel shares that load among four rows, so
     * the sparse path wins below about a quarter.
     */
    static final int SPARSE_SHARE = 4;
    /**
     * The most elements of B the sparse path takes: each row of C reads the rows of B it picks out again, unpacked, so B
     * must stay in L2 (256 KB; a convolution's windows are 15,000–20,000 elements), where the dense kernel's packed
     * panels serve many rows of A from L1.
     */
    static final long SPARSE_B = 1 << 16;
    // Cache blocks: kc bounds the depth of a panel pair, mc×kc of A stays in L2, nc is effectively unbounded.
    private static final int KC_F = 256, MC_F = roundUp(128, MR_F), NC_F = roundUp(4096, NR_F);
    private static final int KC_D = 256, MC_D = roundUp(96, MR_D), NC_D = roundUp(4096, NR_D);

    // Dot-product tile (rows of A × columns of B) for the unpacked path; it beat packing at m = 32 and 128.
    private static final int DR_F = 4, DJ_F = 4, DR_D = 4, DJ_D = 4;
    /**
     * Elements of A a block of the dot-product path's rows holds: half a MiB, within L2 (a slice of a training batch of
     * 256, 128 rows of 784, is one block).
     */
    private static final int DOT_BLOCK_F = 1 << 17, DOT_BLOCK_D = 1 << 16;
    /**
     * The first element of an array that starts a cache line, which the dot tile's loads are lined up with: HotSpot puts
     * an array's elements 16 bytes after the object's start (the header, on every JDK and default setting the runtime
     * runs on), and nnc's launchers start the JVM with {@code -XX:ObjectAlignmentInBytes=64}, which starts every object
     * on a cache line. Under other settings the guess costs only speed: which lanes go where depends on offsets alone,
     * never on addresses, so the bits are the same.
     */
    static final int ALIGNED_F = (64 - 16) / Float.BYTES, ALIGNED_D = (64 - 16) / Double.BYTES;

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
        if (aCol == 1 && bCol == 1 && (long) k * n <= SPARSE_B && sparseF(m, n, k, a, aOff, aRow, b, bOff, bRow, c, cOff, cRow, accumulate)) return;
        denseF(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate);
    }

    /** The packed, register-blocked product of {@link #f32} (its own method so that tests can compare the sparse path with it). */
    static void denseF(int m, int n, int k, float[] a, int aOff, int aRow, int aCol,
                       float[] b, int bOff, int bRow, int bCol, float[] c, int cOff, int cRow, boolean accumulate) {
        boolean inPlace = aCol == 1 || aRow == 1, bInPlace = bCol == 1 && m <= B_IN_PLACE_ROWS;
        Workspace ws = Workspace.get();
        int ncMax = Math.min(n, NC_F), mcMax = Math.min(m, MC_F), kcMax = Math.min(k, KC_F);
        float[] bp = ws.floatB(ALIGNED_F + roundUp(ncMax, NR_F) * kcMax);
        float[] ap = ws.floatA(roundUp(mcMax, MR_F) * kcMax);
        float[] tile = ws.floatTile(MR_F * NR_F);
        for (int jc = 0; jc < n; jc += NC_F) {
            int nc = Math.min(NC_F, n - jc);
            for (int pc = 0; pc < k; pc += KC_F) {
                int kc = Math.min(KC_F, k - pc);
                boolean add = accumulate || pc > 0;
                // panels on cache lines; where B is read in place, only a partial last panel (zero columns)
                int wholeN = bInPlace ? nc - nc % NR_F : 0;
                if (bCol == 1) packRowsF(b, bOff + pc * bRow + jc + wholeN, bRow, nc - wholeN, kc, bp, ALIGNED_F);
                else Pack.f32(b, bOff + pc * bRow + (jc + wholeN) * bCol, bCol, bRow, nc - wholeN, kc, NR_F, bp, ALIGNED_F);
                for (int ic = 0; ic < m; ic += MC_F) {
                    int mc = Math.min(MC_F, m - ic);
                    int aBlock = aOff + ic * aRow + pc * aCol, whole = mc - mc % MR_F;
                    // Rows contiguous along p, or a panel's rows side by side at each p (a transposed A), are read in
                    // place; only a partial last panel is packed (zero rows).
                    if (inPlace) Pack.f32(a, aBlock + whole * aRow, aRow, aCol, mc - whole, kc, MR_F, ap, 0);
                    else Pack.f32(a, aBlock, aRow, aCol, mc, kc, MR_F, ap, 0);
                    for (int jr = 0; jr < nc; jr += NR_F) {
                        int cols = Math.min(NR_F, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_F) {
                            int rows = Math.min(MR_F, mc - ir), ci = cOff + (ic + ir) * cRow + jc + jr;
                            boolean direct = inPlace && ir < whole;
                            float[] ar = direct ? a : ap;
                            int ai = direct ? aBlock + ir * aRow : inPlace ? 0 : ir * kc;
                            int ars = direct ? aRow : 1, acs = direct ? aCol : MR_F;
                            boolean bDirect = jr < wholeN;
                            float[] br = bDirect ? b : bp;
                            int bi = bDirect ? bOff + pc * bRow + jc + jr : ALIGNED_F + (jr - wholeN) * kc, bStep = bDirect ? bRow : NR_F;
                            if (rows == MR_F && cols == NR_F) {
                                kernelF(kc, ar, ai, ars, acs, br, bi, bStep, c, ci, cRow, add);
                            } else if (rows == 2 && cols == NR_F) {
                                kernel2x4F(kc, ar, ai, ars, acs, br, bi, bStep, c, ci, cRow, add);
                            } else {
                                // A partial tile is computed into a scratch tile (two rows, three vectors or whole), then
                                // its live part copied.
                                if (rows <= 2) kernel2x4F(kc, ar, ai, ars, acs, br, bi, bStep, tile, 0, NR_F, false);
                                else if (cols <= 3 * LF) kernel4x3F(kc, ar, ai, ars, acs, br, bi, bStep, tile, 0, NR_F, false);
                                else kernelF(kc, ar, ai, ars, acs, br, bi, bStep, tile, 0, NR_F, false);
                                partialF(tile, rows, cols, c, ci, cRow, add);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * C = A·B over A's nonzero elements only, where at most {@link #SPARSE_SHARE} of them are nonzero: a max pool's
     * adjoint, one element of each window (LeNet's δa2, the A of its second kernel's gradient, has at most a quarter,
     * fewer where the ReLU was off). Each row of C is built a block of NR columns at a time from the rows of B its row of
     * A picks out, each C element's terms in the order of p from a zero sum and C added last, as the dense kernel adds
     * them: the same bits, but for the sign of a zero sum and where B holds an infinity or NaN that a zero of A would
     * have multiplied (over depth blocks of {@code KC_F} as the dense kernel's). Returns false, having written nothing,
     * where A has more nonzeros; A's rows and B's rows must be contiguous (aCol and bCol 1). Float64 products stay dense.
     */
    static boolean sparseF(int m, int n, int k, float[] a, int aOff, int aRow, float[] b, int bOff, int bRow,
                           float[] c, int cOff, int cRow, boolean add) {
        int most = (int) ((long) m * k / SPARSE_SHARE), count = 0, kv = k - k % LF;
        // counted first, so that a dense A costs only the reads up to its limit
        for (int i = 0; i < m; i++) {
            int row = aOff + i * aRow;
            for (int p0 = 0; p0 < kv; p0 += LF) count += Long.bitCount(nonzero(FloatVector.fromArray(FS, a, row + p0)));
            if (kv < k) count += Long.bitCount(nonzero(FloatVector.fromArray(FS, a, row + kv, FS.indexInRange(kv, k))));
            if (count > most) return false;
        }
        // the rows' nonzero p one after another, then where each row's begin (and the last ends)
        int starts = count;
        int[] terms = Workspace.get().ints(starts + m + 1);
        count = 0;
        for (int i = 0; i < m; i++) {
            int row = aOff + i * aRow;
            terms[starts + i] = count;
            for (int p0 = 0; p0 < kv; p0 += LF) count = positions(nonzero(FloatVector.fromArray(FS, a, row + p0)), p0, terms, count);
            if (kv < k) count = positions(nonzero(FloatVector.fromArray(FS, a, row + kv, FS.indexInRange(kv, k))), kv, terms, count);
        }
        terms[starts + m] = count;
        int nw = n - n % NR_F;
        for (int i = 0; i < m; i++) {
            int row = aOff + i * aRow, ci = cOff + i * cRow, to = terms[starts + i + 1];
            // the dense kernel's depth blocks: each summed from zero, then C added (C kept in the first where not accumulating)
            for (int pc = 0, from = terms[starts + i]; pc < k; pc += KC_F) {
                int until = from;
                while (until < to && terms[until] < pc + KC_F) until++;
                boolean sum = add || pc > 0;
                for (int j0 = 0; j0 < nw; j0 += NR_F) sparseBlockF(terms, from, until, a, row, b, bOff + j0, bRow, c, ci + j0, sum);
                for (int j0 = nw; j0 < n; j0 += LF) sparseVectorF(terms, from, until, a, row, b, bOff + j0, bRow, c, ci + j0, sum, n - j0);
                from = until;
            }
        }
        return true;
    }

    /** The lanes of v that are not zero, as bits (NaN is not zero). */
    private static long nonzero(FloatVector v) {
        return v.compare(VectorOperators.NE, 0f).toLong();
    }

    /** Writes the positions p0 + n of the bits n set, from terms[count] on; returns the new count. */
    private static int positions(long bits, int p0, int[] terms, int count) {
        for (; bits != 0; bits &= bits - 1) terms[count++] = p0 + Long.numberOfTrailingZeros(bits);
        return count;
    }

    /** NR columns of a row of C from the rows of B that the row's nonzero terms[from … to − 1] of A pick out. */
    private static void sparseBlockF(int[] terms, int from, int to, float[] a, int row, float[] b, int bo, int bRow, float[] c, int o, boolean add) {
        FloatVector c0 = FloatVector.zero(FS), c1 = FloatVector.zero(FS), c2 = FloatVector.zero(FS), c3 = FloatVector.zero(FS);
        for (int t = from; t < to; t++) {
            int p = terms[t], at = bo + p * bRow;
            FloatVector x = FloatVector.broadcast(FS, a[row + p]);
            c0 = FloatVector.fromArray(FS, b, at).fma(x, c0);
            c1 = FloatVector.fromArray(FS, b, at + LF).fma(x, c1);
            c2 = FloatVector.fromArray(FS, b, at + 2 * LF).fma(x, c2);
            c3 = FloatVector.fromArray(FS, b, at + 3 * LF).fma(x, c3);
        }
        if (add) {
            c0 = c0.add(FloatVector.fromArray(FS, c, o));
            c1 = c1.add(FloatVector.fromArray(FS, c, o + LF));
            c2 = c2.add(FloatVector.fromArray(FS, c, o + 2 * LF));
            c3 = c3.add(FloatVector.fromArray(FS, c, o + 3 * LF));
        }
        c0.intoArray(c, o);
        c1.intoArray(c, o + LF);
        c2.intoArray(c, o + 2 * LF);
        c3.intoArray(c, o + 3 * LF);
    }

    /**
     * One vector of a row of C, its first {@code cols} lanes (all where more), as {@link #sparseBlockF} computes four: the columns a whole
     * block leaves, a vector at a time (a method with four masked sums was more than C1 compiles, "out of virtual
     * registers", and without C1's profile C2 never compiled it: 35 µs a product instead of 4).
     */
    private static void sparseVectorF(int[] terms, int from, int to, float[] a, int row, float[] b, int bo, int bRow, float[] c, int o, boolean add, int cols) {
        VectorMask<Float> live = FS.indexInRange(0, cols); // made here: a mask passed to a method C2 does not inline is an object
        FloatVector sum = FloatVector.zero(FS);
        for (int t = from; t < to; t++) {
            int p = terms[t];
            sum = FloatVector.fromArray(FS, b, bo + p * bRow, live).fma(FloatVector.broadcast(FS, a[row + p]), sum);
        }
        if (add) sum = sum.add(FloatVector.fromArray(FS, c, o, live));
        sum.intoArray(c, o, live);
    }

    /**
     * B's columns {@code j < cols} packed into panels of NR where its rows are contiguous along j ({@code bCol == 1}):
     * at each depth step a panel's four vectors, loaded under masks of its live columns and stored whole, so that the
     * dead columns are zero without a fill. {@link Pack}'s {@code System.arraycopy} and {@code Arrays.fill} per step had
     * taken 1.4 µs of LeNet's second convolution's 6.5 (its partial panel of 36 columns, 150 deep) and 0.9 of its
     * kernel's gradient's 6.8.
     */
    private static void packRowsF(float[] b, int off, int bRow, int cols, int depth, float[] bp, int at) {
        for (int j0 = 0; j0 < cols; j0 += NR_F) {
            int live = Math.min(NR_F, cols - j0);
            VectorMask<Float> m0 = FS.indexInRange(0, live), m1 = FS.indexInRange(LF, live);
            VectorMask<Float> m2 = FS.indexInRange(2 * LF, live), m3 = FS.indexInRange(3 * LF, live);
            for (int p = 0, s = off + j0, d = at + j0 * depth; p < depth; p++, s += bRow, d += NR_F) {
                FloatVector.fromArray(FS, b, s, m0).intoArray(bp, d);
                FloatVector.fromArray(FS, b, s + LF, m1).intoArray(bp, d + LF);
                FloatVector.fromArray(FS, b, s + 2 * LF, m2).intoArray(bp, d + 2 * LF);
                FloatVector.fromArray(FS, b, s + 3 * LF, m3).intoArray(bp, d + 3 * LF);
            }
        }
    }

    /** {@link #packRowsF} in double precision. */
    private static void packRowsD(double[] b, int off, int bRow, int cols, int depth, double[] bp, int at) {
        for (int j0 = 0; j0 < cols; j0 += NR_D) {
            int live = Math.min(NR_D, cols - j0);
            VectorMask<Double> m0 = DS.indexInRange(0, live), m1 = DS.indexInRange(LD, live);
            VectorMask<Double> m2 = DS.indexInRange(2 * LD, live), m3 = DS.indexInRange(3 * LD, live);
            for (int p = 0, s = off + j0, d = at + j0 * depth; p < depth; p++, s += bRow, d += NR_D) {
                DoubleVector.fromArray(DS, b, s, m0).intoArray(bp, d);
                DoubleVector.fromArray(DS, b, s + LD, m1).intoArray(bp, d + LD);
                DoubleVector.fromArray(DS, b, s + 2 * LD, m2).intoArray(bp, d + 2 * LD);
                DoubleVector.fromArray(DS, b, s + 3 * LD, m3).intoArray(bp, d + 3 * LD);
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
        int mw = k < LF ? 0 : m - m % DR_F, nw = n - n % DJ_F; // the tile reads whole vectors of every row
        float[] sums = new float[DR_F * DJ_F];
        // A block of rows of A (half a MiB) stays in L2 while every column of B passes; within it, DJ columns of B
        // (a few KiB) stay in L1 while the block's rows stream past them. Unblocked, a prediction over a whole data
        // set streamed all of A from memory once for every DJ columns: 16 GFLOP/s instead of 100. Each element's
        // sum is the same dot product either way.
        int block = Math.max(DR_F, DOT_BLOCK_F / Math.max(1, k) / DR_F * DR_F);
        for (int i0 = 0; i0 < mw; i0 += block) {
            int i1 = Math.min(mw, i0 + block);
            for (int j = 0; j < nw; j += DJ_F) {
                for (int i = i0; i < i1; i += DR_F) {
                    dotF(k, a, aOff + i * aRow, aRow, b, bOff + j * bCol, bCol, c, cOff + i * cRow + j, cRow, add, sums);
                }
            }
        }
        // What the tiles leave, four sums at a time where there are four: the last columns of the tiles' rows, then the
        // last rows (a single sum's one accumulator waits on its own FMAs: a quarter of the throughput).
        int n4 = k < LF ? 0 : n - n % 4;
        for (int i = 0; i < mw; i += DR_F) {
            for (int j = nw; j < n; j++) {
                dot4F(k, b, bOff + j * bCol, a, aOff + i * aRow, aRow, sums);
                for (int r = 0; r < 4; r++) {
                    int o = cOff + (i + r) * cRow + j;
                    c[o] = add ? c[o] + sums[r] : sums[r];
                }
            }
        }
        for (int i = mw; i < m; i++) {
            for (int j = 0; j < n4; j += 4) {
                dot4F(k, a, aOff + i * aRow, b, bOff + j * bCol, bCol, sums);
                for (int r = 0; r < 4; r++) {
                    int o = cOff + i * cRow + j + r;
                    c[o] = add ? c[o] + sums[r] : sums[r];
                }
            }
            for (int j = n4; j < n; j++) {
                int o = cOff + i * cRow + j;
                float s = dot1F(k, a, aOff + i * aRow, b, bOff + j * bCol);
                c[o] = add ? c[o] + s : s;
            }
        }
    }

    /**
     * Four dot products over the full depth, of u with v, v + vStride, v + 2·vStride and v + 3·vStride (a row of A with
     * four columns of B, or a column of B with four rows of A), into s[0 … 3]: four accumulators, the last partial vector
     * masked (its dead lanes zero in both operands), the lanes summed by the dot tile's tree. k ≥ LF.
     */
    private static void dot4F(int k, float[] u, int ui, float[] v, int vi, int vStride, float[] s) {
        FloatVector c0 = FloatVector.zero(FS), c1 = FloatVector.zero(FS), c2 = FloatVector.zero(FS), c3 = FloatVector.zero(FS);
        int v1 = vi + vStride, v2 = vi + 2 * vStride, v3 = vi + 3 * vStride, kv = k - k % LF;
        for (int p = 0; p < kv; p += LF) {
            FloatVector x = FloatVector.fromArray(FS, u, ui + p);
            c0 = x.fma(FloatVector.fromArray(FS, v, vi + p), c0);
            c1 = x.fma(FloatVector.fromArray(FS, v, v1 + p), c1);
            c2 = x.fma(FloatVector.fromArray(FS, v, v2 + p), c2);
            c3 = x.fma(FloatVector.fromArray(FS, v, v3 + p), c3);
        }
        if (kv < k) {
            VectorMask<Float> live = FS.indexInRange(kv, k);
            FloatVector x = FloatVector.fromArray(FS, u, ui + kv, live);
            c0 = x.fma(FloatVector.fromArray(FS, v, vi + kv, live), c0);
            c1 = x.fma(FloatVector.fromArray(FS, v, v1 + kv, live), c1);
            c2 = x.fma(FloatVector.fromArray(FS, v, v2 + kv, live), c2);
            c3 = x.fma(FloatVector.fromArray(FS, v, v3 + kv, live), c3);
        }
        c0 = c0.blend(c1, HI1_F).add(c1.blend(c0, HI1_F).rearrange(SW1_F));
        c2 = c2.blend(c3, HI1_F).add(c3.blend(c2, HI1_F).rearrange(SW1_F));
        if (LF == 2) {
            c0.intoArray(s, 0);
            c2.intoArray(s, 2);
            return;
        }
        c0 = c0.blend(c2, HI2_F).add(c2.blend(c0, HI2_F).rearrange(SW2_F));
        if (LF >= 8) c0 = c0.add(c0.rearrange(SW4_F));
        if (LF >= 16) c0 = c0.add(c0.rearrange(SW8_F));
        c0.intoArray(s, 0); // lanes 0 … 3
    }

    private static float dot1F(int k, float[] a, int ai, float[] b, int bi) {
        FloatVector acc = FloatVector.zero(FS);
        int kv = k - k % LF, p = 0;
        for (; p < kv; p += LF) acc = FloatVector.fromArray(FS, a, ai + p).fma(FloatVector.fromArray(FS, b, bi + p), acc);
        float s = sumF(acc);
        for (; p < k; p++) s = Math.fma(a[ai + p], b[bi + p], s);
        return s;
    }

    /** The lanes' sum by a fixed butterfly (lane 0's tree is the same in every execution mode, unlike reduceLanes). */
    private static float sumF(FloatVector v) {
        if (LF >= 16) v = v.add(v.rearrange(SW8_F));
        if (LF >= 8) v = v.add(v.rearrange(SW4_F));
        if (LF >= 4) v = v.add(v.rearrange(SW2_F));
        v = v.add(v.rearrange(SW1_F));
        return v.lane(0);
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
        boolean inPlace = aCol == 1 || aRow == 1, bInPlace = bCol == 1 && m <= B_IN_PLACE_ROWS;
        Workspace ws = Workspace.get();
        int ncMax = Math.min(n, NC_D), mcMax = Math.min(m, MC_D), kcMax = Math.min(k, KC_D);
        double[] bp = ws.doubleB(ALIGNED_D + roundUp(ncMax, NR_D) * kcMax);
        double[] ap = ws.doubleA(roundUp(mcMax, MR_D) * kcMax);
        double[] tile = ws.doubleTile(MR_D * NR_D);
        for (int jc = 0; jc < n; jc += NC_D) {
            int nc = Math.min(NC_D, n - jc);
            for (int pc = 0; pc < k; pc += KC_D) {
                int kc = Math.min(KC_D, k - pc);
                boolean add = accumulate || pc > 0;
                // panels on cache lines; where B is read in place, only a partial last panel (zero columns)
                int wholeN = bInPlace ? nc - nc % NR_D : 0;
                if (bCol == 1) packRowsD(b, bOff + pc * bRow + jc + wholeN, bRow, nc - wholeN, kc, bp, ALIGNED_D);
                else Pack.f64(b, bOff + pc * bRow + (jc + wholeN) * bCol, bCol, bRow, nc - wholeN, kc, NR_D, bp, ALIGNED_D);
                for (int ic = 0; ic < m; ic += MC_D) {
                    int mc = Math.min(MC_D, m - ic);
                    int aBlock = aOff + ic * aRow + pc * aCol, whole = mc - mc % MR_D;
                    // Rows contiguous along p, or a panel's rows side by side at each p (a transposed A), are read in
                    // place; only a partial last panel is packed (zero rows).
                    if (inPlace) Pack.f64(a, aBlock + whole * aRow, aRow, aCol, mc - whole, kc, MR_D, ap, 0);
                    else Pack.f64(a, aBlock, aRow, aCol, mc, kc, MR_D, ap, 0);
                    for (int jr = 0; jr < nc; jr += NR_D) {
                        int cols = Math.min(NR_D, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR_D) {
                            int rows = Math.min(MR_D, mc - ir), ci = cOff + (ic + ir) * cRow + jc + jr;
                            boolean direct = inPlace && ir < whole;
                            double[] ar = direct ? a : ap;
                            int ai = direct ? aBlock + ir * aRow : inPlace ? 0 : ir * kc;
                            int ars = direct ? aRow : 1, acs = direct ? aCol : MR_D;
                            boolean bDirect = jr < wholeN;
                            double[] br = bDirect ? b : bp;
                            int bi = bDirect ? bOff + pc * bRow + jc + jr : ALIGNED_D + (jr - wholeN) * kc, bStep = bDirect ? bRow : NR_D;
                            if (rows == MR_D && cols == NR_D) {
                                kernelD(kc, ar, ai, ars, acs, br, bi, bStep, c, ci, cRow, add);
                            } else if (rows == 2 && cols == NR_D) {
                                kernel2x4D(kc, ar, ai, ars, acs, br, bi, bStep, c, ci, cRow, add);
                            } else {
                                // A partial tile is computed into a scratch tile (two rows, three vectors or whole), then
                                // its live part copied.
                                if (rows <= 2) kernel2x4D(kc, ar, ai, ars, acs, br, bi, bStep, tile, 0, NR_D, false);
                                else if (cols <= 3 * LD) kernel4x3D(kc, ar, ai, ars, acs, br, bi, bStep, tile, 0, NR_D, false);
                                else kernelD(kc, ar, ai, ars, acs, br, bi, bStep, tile, 0, NR_D, false);
                                partialD(tile, rows, cols, c, ci, cRow, add);
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
        int mw = k < LD ? 0 : m - m % DR_D, nw = n - n % DJ_D; // the tile reads whole vectors of every row
        double[] sums = new double[DR_D * DJ_D];
        // A block of rows of A (half a MiB) stays in L2 while every column of B passes; within it, DJ columns of B
        // (a few KiB) stay in L1 while the block's rows stream past them. Unblocked, a prediction over a whole data
        // set streamed all of A from memory once for every DJ columns: 16 GFLOP/s instead of 100. Each element's
        // sum is the same dot product either way.
        int block = Math.max(DR_D, DOT_BLOCK_D / Math.max(1, k) / DR_D * DR_D);
        for (int i0 = 0; i0 < mw; i0 += block) {
            int i1 = Math.min(mw, i0 + block);
            for (int j = 0; j < nw; j += DJ_D) {
                for (int i = i0; i < i1; i += DR_D) {
                    dotD(k, a, aOff + i * aRow, aRow, b, bOff + j * bCol, bCol, c, cOff + i * cRow + j, cRow, add, sums);
                }
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
        double s = sumD(acc);
        for (; p < k; p++) s = Math.fma(a[ai + p], b[bi + p], s);
        return s;
    }

    /** The lanes' sum by a fixed butterfly (lane 0's tree is the same in every execution mode, unlike reduceLanes). */
    private static double sumD(DoubleVector v) {
        if (LD >= 16) v = v.add(v.rearrange(SW8_D));
        if (LD >= 8) v = v.add(v.rearrange(SW4_D));
        if (LD >= 4) v = v.add(v.rearrange(SW2_D));
        v = v.add(v.rearrange(SW1_D));
        return v.lane(0);
    }

    /** {@link #kernelF} for 2 rows of 4 vectors: a partial tile's live part, not the whole tile computed. */
    private static void kernel2x4F(int kc, float[] ap, int ai, int ars, int acs, float[] bp, int bi, int bStep, float[] c, int ci, int cRow, boolean add) {
        FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS); FloatVector c02 = FloatVector.zero(FS); FloatVector c03 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS); FloatVector c12 = FloatVector.zero(FS); FloatVector c13 = FloatVector.zero(FS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += bStep) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, bo);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bo + 1 * LF);
            FloatVector b2 = FloatVector.fromArray(FS, bp, bo + 2 * LF);
            FloatVector b3 = FloatVector.fromArray(FS, bp, bo + 3 * LF);
            FloatVector a0 = FloatVector.broadcast(FS, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02); c03 = b3.fma(a0, c03);
            FloatVector a1 = FloatVector.broadcast(FS, ap[ao + ars]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12); c13 = b3.fma(a1, c13);
        }
        if (add) {
            int o0 = ci;
            c00 = c00.add(FloatVector.fromArray(FS, c, o0)); c01 = c01.add(FloatVector.fromArray(FS, c, o0 + 1 * LF)); c02 = c02.add(FloatVector.fromArray(FS, c, o0 + 2 * LF)); c03 = c03.add(FloatVector.fromArray(FS, c, o0 + 3 * LF));
            int o1 = ci + cRow;
            c10 = c10.add(FloatVector.fromArray(FS, c, o1)); c11 = c11.add(FloatVector.fromArray(FS, c, o1 + 1 * LF)); c12 = c12.add(FloatVector.fromArray(FS, c, o1 + 2 * LF)); c13 = c13.add(FloatVector.fromArray(FS, c, o1 + 3 * LF));
        }
        int s0 = ci;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * LF); c02.intoArray(c, s0 + 2 * LF); c03.intoArray(c, s0 + 3 * LF);
        int s1 = ci + cRow;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * LF); c12.intoArray(c, s1 + 2 * LF); c13.intoArray(c, s1 + 3 * LF);
    }

    /** {@link #kernelF} for 4 rows of 3 vectors: a partial tile's live part, not the whole tile computed. */
    private static void kernel4x3F(int kc, float[] ap, int ai, int ars, int acs, float[] bp, int bi, int bStep, float[] c, int ci, int cRow, boolean add) {
        FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS); FloatVector c02 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS); FloatVector c12 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS); FloatVector c22 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS); FloatVector c32 = FloatVector.zero(FS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += bStep) {
            FloatVector b0 = FloatVector.fromArray(FS, bp, bo);
            FloatVector b1 = FloatVector.fromArray(FS, bp, bo + 1 * LF);
            FloatVector b2 = FloatVector.fromArray(FS, bp, bo + 2 * LF);
            FloatVector a0 = FloatVector.broadcast(FS, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02);
            FloatVector a1 = FloatVector.broadcast(FS, ap[ao + ars]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12);
            FloatVector a2 = FloatVector.broadcast(FS, ap[ao + 2 * ars]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22);
            FloatVector a3 = FloatVector.broadcast(FS, ap[ao + 3 * ars]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32);
        }
        if (add) {
            int o0 = ci;
            c00 = c00.add(FloatVector.fromArray(FS, c, o0)); c01 = c01.add(FloatVector.fromArray(FS, c, o0 + 1 * LF)); c02 = c02.add(FloatVector.fromArray(FS, c, o0 + 2 * LF));
            int o1 = ci + cRow;
            c10 = c10.add(FloatVector.fromArray(FS, c, o1)); c11 = c11.add(FloatVector.fromArray(FS, c, o1 + 1 * LF)); c12 = c12.add(FloatVector.fromArray(FS, c, o1 + 2 * LF));
            int o2 = ci + 2 * cRow;
            c20 = c20.add(FloatVector.fromArray(FS, c, o2)); c21 = c21.add(FloatVector.fromArray(FS, c, o2 + 1 * LF)); c22 = c22.add(FloatVector.fromArray(FS, c, o2 + 2 * LF));
            int o3 = ci + 3 * cRow;
            c30 = c30.add(FloatVector.fromArray(FS, c, o3)); c31 = c31.add(FloatVector.fromArray(FS, c, o3 + 1 * LF)); c32 = c32.add(FloatVector.fromArray(FS, c, o3 + 2 * LF));
        }
        int s0 = ci;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * LF); c02.intoArray(c, s0 + 2 * LF);
        int s1 = ci + cRow;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * LF); c12.intoArray(c, s1 + 2 * LF);
        int s2 = ci + 2 * cRow;
        c20.intoArray(c, s2); c21.intoArray(c, s2 + 1 * LF); c22.intoArray(c, s2 + 2 * LF);
        int s3 = ci + 3 * cRow;
        c30.intoArray(c, s3); c31.intoArray(c, s3 + 1 * LF); c32.intoArray(c, s3 + 2 * LF);
    }

    /** The live rows × cols of a partial tile added to (or put in) C, a vector at a time, the last one masked. */
    private static void partialF(float[] tile, int rows, int cols, float[] c, int ci, int cRow, boolean add) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j += LF) {
                VectorMask<Float> live = FS.indexInRange(j, cols);
                FloatVector v = FloatVector.fromArray(FS, tile, r * NR_F + j);
                int o = ci + r * cRow + j;
                if (add) v = FloatVector.fromArray(FS, c, o, live).add(v);
                v.intoArray(c, o, live);
            }
        }
    }

    /**
     * The 4×4-vector register tile: C tile (+)= A rows · B panel over depth kc; A[r, p] is ap[ai + r*ars + p*acs], B's
     * row p the 4 vectors at bp[bi + p*bStep] (a packed panel's, or B's own row read in place).
     */
    private static void kernelF(int kc, float[] ap, int ai, int ars, int acs, float[] bp, int bi, int bStep, float[] c, int ci, int cRow, boolean add) {
        FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS); FloatVector c02 = FloatVector.zero(FS); FloatVector c03 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS); FloatVector c12 = FloatVector.zero(FS); FloatVector c13 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS); FloatVector c22 = FloatVector.zero(FS); FloatVector c23 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS); FloatVector c32 = FloatVector.zero(FS); FloatVector c33 = FloatVector.zero(FS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += bStep) {
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

    /** {@link #kernelD} for 2 rows of 4 vectors: a partial tile's live part, not the whole tile computed. */
    private static void kernel2x4D(int kc, double[] ap, int ai, int ars, int acs, double[] bp, int bi, int bStep, double[] c, int ci, int cRow, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS); DoubleVector c02 = DoubleVector.zero(DS); DoubleVector c03 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS); DoubleVector c12 = DoubleVector.zero(DS); DoubleVector c13 = DoubleVector.zero(DS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += bStep) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, bo + 1 * LD);
            DoubleVector b2 = DoubleVector.fromArray(DS, bp, bo + 2 * LD);
            DoubleVector b3 = DoubleVector.fromArray(DS, bp, bo + 3 * LD);
            DoubleVector a0 = DoubleVector.broadcast(DS, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02); c03 = b3.fma(a0, c03);
            DoubleVector a1 = DoubleVector.broadcast(DS, ap[ao + ars]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12); c13 = b3.fma(a1, c13);
        }
        if (add) {
            int o0 = ci;
            c00 = c00.add(DoubleVector.fromArray(DS, c, o0)); c01 = c01.add(DoubleVector.fromArray(DS, c, o0 + 1 * LD)); c02 = c02.add(DoubleVector.fromArray(DS, c, o0 + 2 * LD)); c03 = c03.add(DoubleVector.fromArray(DS, c, o0 + 3 * LD));
            int o1 = ci + cRow;
            c10 = c10.add(DoubleVector.fromArray(DS, c, o1)); c11 = c11.add(DoubleVector.fromArray(DS, c, o1 + 1 * LD)); c12 = c12.add(DoubleVector.fromArray(DS, c, o1 + 2 * LD)); c13 = c13.add(DoubleVector.fromArray(DS, c, o1 + 3 * LD));
        }
        int s0 = ci;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * LD); c02.intoArray(c, s0 + 2 * LD); c03.intoArray(c, s0 + 3 * LD);
        int s1 = ci + cRow;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * LD); c12.intoArray(c, s1 + 2 * LD); c13.intoArray(c, s1 + 3 * LD);
    }

    /** {@link #kernelD} for 4 rows of 3 vectors: a partial tile's live part, not the whole tile computed. */
    private static void kernel4x3D(int kc, double[] ap, int ai, int ars, int acs, double[] bp, int bi, int bStep, double[] c, int ci, int cRow, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS); DoubleVector c02 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS); DoubleVector c12 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS); DoubleVector c22 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS); DoubleVector c32 = DoubleVector.zero(DS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += bStep) {
            DoubleVector b0 = DoubleVector.fromArray(DS, bp, bo);
            DoubleVector b1 = DoubleVector.fromArray(DS, bp, bo + 1 * LD);
            DoubleVector b2 = DoubleVector.fromArray(DS, bp, bo + 2 * LD);
            DoubleVector a0 = DoubleVector.broadcast(DS, ap[ao]);
            c00 = b0.fma(a0, c00); c01 = b1.fma(a0, c01); c02 = b2.fma(a0, c02);
            DoubleVector a1 = DoubleVector.broadcast(DS, ap[ao + ars]);
            c10 = b0.fma(a1, c10); c11 = b1.fma(a1, c11); c12 = b2.fma(a1, c12);
            DoubleVector a2 = DoubleVector.broadcast(DS, ap[ao + 2 * ars]);
            c20 = b0.fma(a2, c20); c21 = b1.fma(a2, c21); c22 = b2.fma(a2, c22);
            DoubleVector a3 = DoubleVector.broadcast(DS, ap[ao + 3 * ars]);
            c30 = b0.fma(a3, c30); c31 = b1.fma(a3, c31); c32 = b2.fma(a3, c32);
        }
        if (add) {
            int o0 = ci;
            c00 = c00.add(DoubleVector.fromArray(DS, c, o0)); c01 = c01.add(DoubleVector.fromArray(DS, c, o0 + 1 * LD)); c02 = c02.add(DoubleVector.fromArray(DS, c, o0 + 2 * LD));
            int o1 = ci + cRow;
            c10 = c10.add(DoubleVector.fromArray(DS, c, o1)); c11 = c11.add(DoubleVector.fromArray(DS, c, o1 + 1 * LD)); c12 = c12.add(DoubleVector.fromArray(DS, c, o1 + 2 * LD));
            int o2 = ci + 2 * cRow;
            c20 = c20.add(DoubleVector.fromArray(DS, c, o2)); c21 = c21.add(DoubleVector.fromArray(DS, c, o2 + 1 * LD)); c22 = c22.add(DoubleVector.fromArray(DS, c, o2 + 2 * LD));
            int o3 = ci + 3 * cRow;
            c30 = c30.add(DoubleVector.fromArray(DS, c, o3)); c31 = c31.add(DoubleVector.fromArray(DS, c, o3 + 1 * LD)); c32 = c32.add(DoubleVector.fromArray(DS, c, o3 + 2 * LD));
        }
        int s0 = ci;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * LD); c02.intoArray(c, s0 + 2 * LD);
        int s1 = ci + cRow;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * LD); c12.intoArray(c, s1 + 2 * LD);
        int s2 = ci + 2 * cRow;
        c20.intoArray(c, s2); c21.intoArray(c, s2 + 1 * LD); c22.intoArray(c, s2 + 2 * LD);
        int s3 = ci + 3 * cRow;
        c30.intoArray(c, s3); c31.intoArray(c, s3 + 1 * LD); c32.intoArray(c, s3 + 2 * LD);
    }

    /** The live rows × cols of a partial tile added to (or put in) C, a vector at a time, the last one masked. */
    private static void partialD(double[] tile, int rows, int cols, double[] c, int ci, int cRow, boolean add) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j += LD) {
                VectorMask<Double> live = DS.indexInRange(j, cols);
                DoubleVector v = DoubleVector.fromArray(DS, tile, r * NR_D + j);
                int o = ci + r * cRow + j;
                if (add) v = DoubleVector.fromArray(DS, c, o, live).add(v);
                v.intoArray(c, o, live);
            }
        }
    }

    /**
     * The 4×4-vector register tile: C tile (+)= A rows · B panel over depth kc; A[r, p] is ap[ai + r*ars + p*acs], B's
     * row p the 4 vectors at bp[bi + p*bStep] (a packed panel's, or B's own row read in place).
     */
    private static void kernelD(int kc, double[] ap, int ai, int ars, int acs, double[] bp, int bi, int bStep, double[] c, int ci, int cRow, boolean add) {
        DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS); DoubleVector c02 = DoubleVector.zero(DS); DoubleVector c03 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS); DoubleVector c12 = DoubleVector.zero(DS); DoubleVector c13 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS); DoubleVector c22 = DoubleVector.zero(DS); DoubleVector c23 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS); DoubleVector c32 = DoubleVector.zero(DS); DoubleVector c33 = DoubleVector.zero(DS);
        for (int p = 0, ao = ai, bo = bi; p < kc; p++, ao += acs, bo += bStep) {
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

    /** 4×4 dot products over the full depth: rows of A and columns of B are both contiguous in p; s: 16 of scratch. */
    private static void dotF(int k, float[] a, int ai, int aRow, float[] b, int bi, int bCol, float[] c, int ci, int cRow, boolean add,
                             float[] s) {
        FloatVector c00 = FloatVector.zero(FS); FloatVector c01 = FloatVector.zero(FS); FloatVector c02 = FloatVector.zero(FS); FloatVector c03 = FloatVector.zero(FS);
        FloatVector c10 = FloatVector.zero(FS); FloatVector c11 = FloatVector.zero(FS); FloatVector c12 = FloatVector.zero(FS); FloatVector c13 = FloatVector.zero(FS);
        FloatVector c20 = FloatVector.zero(FS); FloatVector c21 = FloatVector.zero(FS); FloatVector c22 = FloatVector.zero(FS); FloatVector c23 = FloatVector.zero(FS);
        FloatVector c30 = FloatVector.zero(FS); FloatVector c31 = FloatVector.zero(FS); FloatVector c32 = FloatVector.zero(FS); FloatVector c33 = FloatVector.zero(FS);
        // Every row of A starts at the same lane of a cache line when the rows' lengths are whole vectors: the main loop then
        // runs from A's first 64-byte boundary, so none of its loads splits a cache line (a split load costs two; with all
        // loads split the tile ran at 90 GFLOP/s, aligned at 140). The head before that boundary and the tail after the
        // last whole vector are one partial vector each, after the loop.
        int h = aRow % LF == 0 && bCol % LF == 0 ? Math.floorMod(ALIGNED_F - ai, LF) : 0;
        if (k < h + LF) h = 0;
        int end = h + (k - h) / LF * LF, ah = ai + h, bh = bi + h, kv = end - h; // (a loop from 0: C2 then keeps 64-bit row pointers)
        for (int p = 0; p < kv; p += LF) {
            FloatVector a0 = FloatVector.fromArray(FS, a, ah + p);
            FloatVector a1 = FloatVector.fromArray(FS, a, ah + 1 * aRow + p);
            FloatVector a2 = FloatVector.fromArray(FS, a, ah + 2 * aRow + p);
            FloatVector a3 = FloatVector.fromArray(FS, a, ah + 3 * aRow + p);
            FloatVector b0 = FloatVector.fromArray(FS, b, bh + p);
            c00 = a0.fma(b0, c00); c10 = a1.fma(b0, c10); c20 = a2.fma(b0, c20); c30 = a3.fma(b0, c30);
            FloatVector b1 = FloatVector.fromArray(FS, b, bh + 1 * bCol + p);
            c01 = a0.fma(b1, c01); c11 = a1.fma(b1, c11); c21 = a2.fma(b1, c21); c31 = a3.fma(b1, c31);
            FloatVector b2 = FloatVector.fromArray(FS, b, bh + 2 * bCol + p);
            c02 = a0.fma(b2, c02); c12 = a1.fma(b2, c12); c22 = a2.fma(b2, c22); c32 = a3.fma(b2, c32);
            FloatVector b3 = FloatVector.fromArray(FS, b, bh + 3 * bCol + p);
            c03 = a0.fma(b3, c03); c13 = a1.fma(b3, c13); c23 = a2.fma(b3, c23); c33 = a3.fma(b3, c33);
        }
        // The head (lanes 0 … h − 1 of the vector at 0) and the tail (the last k − end lanes of the vector at k − LF): whole
        // vectors within the rows, the lanes outside zeroed in both operands, so that they add exact zeros (not 0·∞).
        for (int e = 0; e < 2; e++) {
            if (e == 0 ? h == 0 : end == k) continue;
            int p = e == 0 ? 0 : k - LF;
            VectorMask<Float> live = e == 0 ? FS.indexInRange(0, h) : FS.indexInRange(0, LF - (k - end)).not();
            FloatVector z = FloatVector.zero(FS);
            FloatVector a0 = z.blend(FloatVector.fromArray(FS, a, ai + p), live);
            FloatVector a1 = z.blend(FloatVector.fromArray(FS, a, ai + 1 * aRow + p), live);
            FloatVector a2 = z.blend(FloatVector.fromArray(FS, a, ai + 2 * aRow + p), live);
            FloatVector a3 = z.blend(FloatVector.fromArray(FS, a, ai + 3 * aRow + p), live);
            FloatVector b0 = z.blend(FloatVector.fromArray(FS, b, bi + p), live);
            c00 = a0.fma(b0, c00); c10 = a1.fma(b0, c10); c20 = a2.fma(b0, c20); c30 = a3.fma(b0, c30);
            FloatVector b1 = z.blend(FloatVector.fromArray(FS, b, bi + 1 * bCol + p), live);
            c01 = a0.fma(b1, c01); c11 = a1.fma(b1, c11); c21 = a2.fma(b1, c21); c31 = a3.fma(b1, c31);
            FloatVector b2 = z.blend(FloatVector.fromArray(FS, b, bi + 2 * bCol + p), live);
            c02 = a0.fma(b2, c02); c12 = a1.fma(b2, c12); c22 = a2.fma(b2, c22); c32 = a3.fma(b2, c32);
            FloatVector b3 = z.blend(FloatVector.fromArray(FS, b, bi + 3 * bCol + p), live);
            c03 = a0.fma(b3, c03); c13 = a1.fma(b3, c13); c23 = a2.fma(b3, c23); c33 = a3.fma(b3, c33);
        }
        // The 16 sums by one fixed tree of lanewise adds. A merge of x and y for lane bit h gives, in lane i,
        // x[i] + x[i ^ h] where bit h of i is clear and y[i] + y[i ^ h] where it is set: the 16 accumulators merge in
        // pairs, one lane bit a level, until each lane holds one sum. (Written out: a helper method would not be
        // inlined in a method this large, and its vectors would be boxed.)
        c00 = c00.blend(c01, HI1_F).add(c01.blend(c00, HI1_F).rearrange(SW1_F));
        c02 = c02.blend(c03, HI1_F).add(c03.blend(c02, HI1_F).rearrange(SW1_F));
        c10 = c10.blend(c11, HI1_F).add(c11.blend(c10, HI1_F).rearrange(SW1_F));
        c12 = c12.blend(c13, HI1_F).add(c13.blend(c12, HI1_F).rearrange(SW1_F));
        c20 = c20.blend(c21, HI1_F).add(c21.blend(c20, HI1_F).rearrange(SW1_F));
        c22 = c22.blend(c23, HI1_F).add(c23.blend(c22, HI1_F).rearrange(SW1_F));
        c30 = c30.blend(c31, HI1_F).add(c31.blend(c30, HI1_F).rearrange(SW1_F));
        c32 = c32.blend(c33, HI1_F).add(c33.blend(c32, HI1_F).rearrange(SW1_F));
        if (LF >= 4) {
            c00 = c00.blend(c02, HI2_F).add(c02.blend(c00, HI2_F).rearrange(SW2_F));
            c10 = c10.blend(c12, HI2_F).add(c12.blend(c10, HI2_F).rearrange(SW2_F));
            c20 = c20.blend(c22, HI2_F).add(c22.blend(c20, HI2_F).rearrange(SW2_F));
            c30 = c30.blend(c32, HI2_F).add(c32.blend(c30, HI2_F).rearrange(SW2_F));
        }
        if (LF >= 8) {
            c00 = c00.blend(c10, HI4_F).add(c10.blend(c00, HI4_F).rearrange(SW4_F));
            c20 = c20.blend(c30, HI4_F).add(c30.blend(c20, HI4_F).rearrange(SW4_F));
        }
        if (LF >= 16) c00 = c00.blend(c20, HI8_F).add(c20.blend(c00, HI8_F).rearrange(SW8_F));
        // Each accumulator left, the one that started at x = 4r + j (a multiple of LF), holds sums x to x + LF - 1 in order.
        if (LF == 16) {
            // lanes 4r … 4r + 3 are row r's four sums: each row read (where adding) and written by a masked access to
            // the vector whose lane 4r falls on the row's first element, not by 16 lane reads and scalar adds
            int o0 = ci, o1 = ci + cRow - 4, o2 = ci + 2 * cRow - 8, o3 = ci + 3 * cRow - 12;
            if (add) {
                FloatVector old = FloatVector.fromArray(FS, c, o0, ROW0_F)
                        .blend(FloatVector.fromArray(FS, c, o1, ROW1_F), ROW1_F)
                        .blend(FloatVector.fromArray(FS, c, o2, ROW2_F), ROW2_F)
                        .blend(FloatVector.fromArray(FS, c, o3, ROW3_F), ROW3_F);
                c00 = old.add(c00);
            }
            c00.intoArray(c, o0, ROW0_F);
            c00.intoArray(c, o1, ROW1_F);
            c00.intoArray(c, o2, ROW2_F);
            c00.intoArray(c, o3, ROW3_F);
            return;
        }
        // fewer lanes (AVX2 and narrower): the sums through the scratch array s
        c00.intoArray(s, 0);
        if (LF <= 8) c20.intoArray(s, 8);
        if (LF <= 4) { c10.intoArray(s, 4); c30.intoArray(s, 12); }
        if (LF <= 2) { c02.intoArray(s, 2); c12.intoArray(s, 6); c22.intoArray(s, 10); c32.intoArray(s, 14); }
        float s00 = s[0], s01 = s[1], s02 = s[2], s03 = s[3];
        float s10 = s[4], s11 = s[5], s12 = s[6], s13 = s[7];
        float s20 = s[8], s21 = s[9], s22 = s[10], s23 = s[11];
        float s30 = s[12], s31 = s[13], s32 = s[14], s33 = s[15];
        int o0 = ci;
        c[o0] = add ? c[o0] + s00 : s00; c[o0 + 1] = add ? c[o0 + 1] + s01 : s01; c[o0 + 2] = add ? c[o0 + 2] + s02 : s02; c[o0 + 3] = add ? c[o0 + 3] + s03 : s03;
        int o1 = ci + 1 * cRow;
        c[o1] = add ? c[o1] + s10 : s10; c[o1 + 1] = add ? c[o1 + 1] + s11 : s11; c[o1 + 2] = add ? c[o1 + 2] + s12 : s12; c[o1 + 3] = add ? c[o1 + 3] + s13 : s13;
        int o2 = ci + 2 * cRow;
        c[o2] = add ? c[o2] + s20 : s20; c[o2 + 1] = add ? c[o2 + 1] + s21 : s21; c[o2 + 2] = add ? c[o2 + 2] + s22 : s22; c[o2 + 3] = add ? c[o2 + 3] + s23 : s23;
        int o3 = ci + 3 * cRow;
        c[o3] = add ? c[o3] + s30 : s30; c[o3 + 1] = add ? c[o3 + 1] + s31 : s31; c[o3 + 2] = add ? c[o3 + 2] + s32 : s32; c[o3 + 3] = add ? c[o3 + 3] + s33 : s33;
    }

    /** 4×4 dot products over the full depth: rows of A and columns of B are both contiguous in p; s: 16 of scratch. */
    private static void dotD(int k, double[] a, int ai, int aRow, double[] b, int bi, int bCol, double[] c, int ci, int cRow, boolean add,
                             double[] s) {
        DoubleVector c00 = DoubleVector.zero(DS); DoubleVector c01 = DoubleVector.zero(DS); DoubleVector c02 = DoubleVector.zero(DS); DoubleVector c03 = DoubleVector.zero(DS);
        DoubleVector c10 = DoubleVector.zero(DS); DoubleVector c11 = DoubleVector.zero(DS); DoubleVector c12 = DoubleVector.zero(DS); DoubleVector c13 = DoubleVector.zero(DS);
        DoubleVector c20 = DoubleVector.zero(DS); DoubleVector c21 = DoubleVector.zero(DS); DoubleVector c22 = DoubleVector.zero(DS); DoubleVector c23 = DoubleVector.zero(DS);
        DoubleVector c30 = DoubleVector.zero(DS); DoubleVector c31 = DoubleVector.zero(DS); DoubleVector c32 = DoubleVector.zero(DS); DoubleVector c33 = DoubleVector.zero(DS);
        // Every row of A starts at the same lane of a cache line when the rows' lengths are whole vectors: the main loop then
        // runs from A's first 64-byte boundary, so none of its loads splits a cache line (a split load costs two; with all
        // loads split the tile ran at 90 GFLOP/s, aligned at 140). The head before that boundary and the tail after the
        // last whole vector are one partial vector each, after the loop.
        int h = aRow % LD == 0 && bCol % LD == 0 ? Math.floorMod(ALIGNED_D - ai, LD) : 0;
        if (k < h + LD) h = 0;
        int end = h + (k - h) / LD * LD, ah = ai + h, bh = bi + h, kv = end - h; // (a loop from 0: C2 then keeps 64-bit row pointers)
        for (int p = 0; p < kv; p += LD) {
            DoubleVector a0 = DoubleVector.fromArray(DS, a, ah + p);
            DoubleVector a1 = DoubleVector.fromArray(DS, a, ah + 1 * aRow + p);
            DoubleVector a2 = DoubleVector.fromArray(DS, a, ah + 2 * aRow + p);
            DoubleVector a3 = DoubleVector.fromArray(DS, a, ah + 3 * aRow + p);
            DoubleVector b0 = DoubleVector.fromArray(DS, b, bh + p);
            c00 = a0.fma(b0, c00); c10 = a1.fma(b0, c10); c20 = a2.fma(b0, c20); c30 = a3.fma(b0, c30);
            DoubleVector b1 = DoubleVector.fromArray(DS, b, bh + 1 * bCol + p);
            c01 = a0.fma(b1, c01); c11 = a1.fma(b1, c11); c21 = a2.fma(b1, c21); c31 = a3.fma(b1, c31);
            DoubleVector b2 = DoubleVector.fromArray(DS, b, bh + 2 * bCol + p);
            c02 = a0.fma(b2, c02); c12 = a1.fma(b2, c12); c22 = a2.fma(b2, c22); c32 = a3.fma(b2, c32);
            DoubleVector b3 = DoubleVector.fromArray(DS, b, bh + 3 * bCol + p);
            c03 = a0.fma(b3, c03); c13 = a1.fma(b3, c13); c23 = a2.fma(b3, c23); c33 = a3.fma(b3, c33);
        }
        // The head (lanes 0 … h − 1 of the vector at 0) and the tail (the last k − end lanes of the vector at k − LD): whole
        // vectors within the rows, the lanes outside zeroed in both operands, so that they add exact zeros (not 0·∞).
        for (int e = 0; e < 2; e++) {
            if (e == 0 ? h == 0 : end == k) continue;
            int p = e == 0 ? 0 : k - LD;
            VectorMask<Double> live = e == 0 ? DS.indexInRange(0, h) : DS.indexInRange(0, LD - (k - end)).not();
            DoubleVector z = DoubleVector.zero(DS);
            DoubleVector a0 = z.blend(DoubleVector.fromArray(DS, a, ai + p), live);
            DoubleVector a1 = z.blend(DoubleVector.fromArray(DS, a, ai + 1 * aRow + p), live);
            DoubleVector a2 = z.blend(DoubleVector.fromArray(DS, a, ai + 2 * aRow + p), live);
            DoubleVector a3 = z.blend(DoubleVector.fromArray(DS, a, ai + 3 * aRow + p), live);
            DoubleVector b0 = z.blend(DoubleVector.fromArray(DS, b, bi + p), live);
            c00 = a0.fma(b0, c00); c10 = a1.fma(b0, c10); c20 = a2.fma(b0, c20); c30 = a3.fma(b0, c30);
            DoubleVector b1 = z.blend(DoubleVector.fromArray(DS, b, bi + 1 * bCol + p), live);
            c01 = a0.fma(b1, c01); c11 = a1.fma(b1, c11); c21 = a2.fma(b1, c21); c31 = a3.fma(b1, c31);
            DoubleVector b2 = z.blend(DoubleVector.fromArray(DS, b, bi + 2 * bCol + p), live);
            c02 = a0.fma(b2, c02); c12 = a1.fma(b2, c12); c22 = a2.fma(b2, c22); c32 = a3.fma(b2, c32);
            DoubleVector b3 = z.blend(DoubleVector.fromArray(DS, b, bi + 3 * bCol + p), live);
            c03 = a0.fma(b3, c03); c13 = a1.fma(b3, c13); c23 = a2.fma(b3, c23); c33 = a3.fma(b3, c33);
        }
        // The 16 sums by one fixed tree of lanewise adds. A merge of x and y for lane bit h gives, in lane i,
        // x[i] + x[i ^ h] where bit h of i is clear and y[i] + y[i ^ h] where it is set: the 16 accumulators merge in
        // pairs, one lane bit a level, until each lane holds one sum. (Written out: a helper method would not be
        // inlined in a method this large, and its vectors would be boxed.)
        c00 = c00.blend(c01, HI1_D).add(c01.blend(c00, HI1_D).rearrange(SW1_D));
        c02 = c02.blend(c03, HI1_D).add(c03.blend(c02, HI1_D).rearrange(SW1_D));
        c10 = c10.blend(c11, HI1_D).add(c11.blend(c10, HI1_D).rearrange(SW1_D));
        c12 = c12.blend(c13, HI1_D).add(c13.blend(c12, HI1_D).rearrange(SW1_D));
        c20 = c20.blend(c21, HI1_D).add(c21.blend(c20, HI1_D).rearrange(SW1_D));
        c22 = c22.blend(c23, HI1_D).add(c23.blend(c22, HI1_D).rearrange(SW1_D));
        c30 = c30.blend(c31, HI1_D).add(c31.blend(c30, HI1_D).rearrange(SW1_D));
        c32 = c32.blend(c33, HI1_D).add(c33.blend(c32, HI1_D).rearrange(SW1_D));
        if (LD >= 4) {
            c00 = c00.blend(c02, HI2_D).add(c02.blend(c00, HI2_D).rearrange(SW2_D));
            c10 = c10.blend(c12, HI2_D).add(c12.blend(c10, HI2_D).rearrange(SW2_D));
            c20 = c20.blend(c22, HI2_D).add(c22.blend(c20, HI2_D).rearrange(SW2_D));
            c30 = c30.blend(c32, HI2_D).add(c32.blend(c30, HI2_D).rearrange(SW2_D));
        }
        if (LD >= 8) {
            c00 = c00.blend(c10, HI4_D).add(c10.blend(c00, HI4_D).rearrange(SW4_D));
            c20 = c20.blend(c30, HI4_D).add(c30.blend(c20, HI4_D).rearrange(SW4_D));
        }
        if (LD >= 16) c00 = c00.blend(c20, HI8_D).add(c20.blend(c00, HI8_D).rearrange(SW8_D));
        // Each accumulator left, the one that started at x = 4r + j (a multiple of LD), holds sums x to x + LD - 1 in order.
        double s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33;
        if (LD == 8) { // lane reads, as in dotF: the store to s was left to the Vector API's Java code
            s00 = c00.lane(0); s01 = c00.lane(1); s02 = c00.lane(2); s03 = c00.lane(3);
            s10 = c00.lane(4); s11 = c00.lane(5); s12 = c00.lane(6); s13 = c00.lane(7);
            s20 = c20.lane(0); s21 = c20.lane(1); s22 = c20.lane(2); s23 = c20.lane(3);
            s30 = c20.lane(4); s31 = c20.lane(5); s32 = c20.lane(6); s33 = c20.lane(7);
        } else {
            c00.intoArray(s, 0);
            if (LD <= 8) c20.intoArray(s, 8);
            if (LD <= 4) { c10.intoArray(s, 4); c30.intoArray(s, 12); }
            if (LD <= 2) { c02.intoArray(s, 2); c12.intoArray(s, 6); c22.intoArray(s, 10); c32.intoArray(s, 14); }
            s00 = s[0]; s01 = s[1]; s02 = s[2]; s03 = s[3];
            s10 = s[4]; s11 = s[5]; s12 = s[6]; s13 = s[7];
            s20 = s[8]; s21 = s[9]; s22 = s[10]; s23 = s[11];
            s30 = s[12]; s31 = s[13]; s32 = s[14]; s33 = s[15];
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

    /** Lanes from … from + 3 (none past the species' lanes). */
    private static <E> VectorMask<E> lanes(VectorSpecies<E> species, int from) {
        long bits = 0;
        for (int i = from; i < Math.min(from + 4, species.length()); i++) bits |= 1L << i;
        return VectorMask.fromLong(species, bits);
    }

    /** The lanes whose index has bit h set (none where h is past the species' lanes). */
    private static <E> VectorMask<E> high(VectorSpecies<E> species, int h) {
        long bits = 0;
        for (int i = 0; i < species.length(); i++) if ((i & h) != 0) bits |= 1L << i;
        return VectorMask.fromLong(species, bits);
    }

    /** The shuffle that exchanges lane i with lane i ^ h (the identity where h is past the species' lanes). */
    private static <E> VectorShuffle<E> swap(VectorSpecies<E> species, int h) {
        return VectorShuffle.fromOp(species, i -> (i ^ h) & (species.length() - 1));
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}

