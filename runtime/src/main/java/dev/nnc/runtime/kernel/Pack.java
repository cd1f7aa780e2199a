package dev.nnc.runtime.kernel;

import java.util.Arrays;

/**
 * Copies a block of an operand into panels the micro-kernels read with unit stride, whatever the
 * operand's layout: this is what lets one micro-kernel serve every stride combination.
 *
 * <p>The block is {@code X[r, p]} for {@code r < rows, p < depth}, {@code X[r, p] = src[off + r*rowStride +
 * p*depthStride]}. It is cut into panels of {@code w} rows; panel {@code q} starts at {@code at + q*w*depth} and
 * holds {@code X[q*w + r, p]} at {@code p*w + r}. Rows past {@code rows} in the last panel are zero, so
 * kernels may always compute full panels. A is packed with its rows as X's rows; B with its columns.
 */
final class Pack {
    /** Depth steps per pass when transposing: 32 steps of a 64-wide panel are 8 KiB of float32. */
    private static final int CHUNK = 32;

    private Pack() {}

    static void f32(float[] src, int off, int rowStride, int depthStride, int rows, int depth, int w, float[] dst, int at) {
        for (int r0 = 0; r0 < rows; r0 += w) {
            int base = at + r0 * depth, live = Math.min(w, rows - r0), s0 = off + r0 * rowStride;
            if (rowStride == 1) {
                // The panel's rows are adjacent in memory: one copy per depth step.
                for (int p = 0; p < depth; p++) System.arraycopy(src, s0 + p * depthStride, dst, base + p * w, live);
            } else if (depthStride == 1) {
                // Each row is contiguous along the depth (a transposed operand): read along rows, a chunk of
                // depth at a time so the panel lines being written stay in L1.
                for (int p0 = 0; p0 < depth; p0 += CHUNK) {
                    int p1 = Math.min(depth, p0 + CHUNK);
                    for (int r = 0; r < live; r++) {
                        int s = s0 + r * rowStride;
                        for (int p = p0, d = base + p0 * w + r; p < p1; p++, d += w) dst[d] = src[s + p];
                    }
                }
            } else {
                for (int p = 0; p < depth; p++) {
                    int s = s0 + p * depthStride, d = base + p * w;
                    for (int r = 0; r < live; r++) dst[d + r] = src[s + r * rowStride];
                }
            }
            if (live < w) {
                for (int p = 0; p < depth; p++) Arrays.fill(dst, base + p * w + live, base + (p + 1) * w, 0f);
            }
        }
    }

    static void f64(double[] src, int off, int rowStride, int depthStride, int rows, int depth, int w, double[] dst, int at) {
        for (int r0 = 0; r0 < rows; r0 += w) {
            int base = at + r0 * depth, live = Math.min(w, rows - r0), s0 = off + r0 * rowStride;
            if (rowStride == 1) {
                // The panel's rows are adjacent in memory: one copy per depth step.
                for (int p = 0; p < depth; p++) System.arraycopy(src, s0 + p * depthStride, dst, base + p * w, live);
            } else if (depthStride == 1) {
                // Each row is contiguous along the depth (a transposed operand): read along rows, a chunk of
                // depth at a time so the panel lines being written stay in L1.
                for (int p0 = 0; p0 < depth; p0 += CHUNK) {
                    int p1 = Math.min(depth, p0 + CHUNK);
                    for (int r = 0; r < live; r++) {
                        int s = s0 + r * rowStride;
                        for (int p = p0, d = base + p0 * w + r; p < p1; p++, d += w) dst[d] = src[s + p];
                    }
                }
            } else {
                for (int p = 0; p < depth; p++) {
                    int s = s0 + p * depthStride, d = base + p * w;
                    for (int r = 0; r < live; r++) dst[d + r] = src[s + r * rowStride];
                }
            }
            if (live < w) {
                for (int p = 0; p < depth; p++) Arrays.fill(dst, base + p * w + live, base + (p + 1) * w, 0.0);
            }
        }
    }
}
