package dev.nnc.runtime.compiled;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PiecesTest {
    @Test
    void oneThreadRunsTheBatchWhole() {
        for (int n : new int[] {1, 7, 64, 256, 100_000}) assertArrayEquals(new int[] {0, n}, Pieces.cut(n, 1));
    }

    /**
     * Every batch size and thread count: the pieces cover the batch once, in order, none under the smallest (unless
     * the batch is), each no larger than the one before but the last, which takes what would be left under the smallest.
     */
    @Test
    void piecesCoverTheBatchLargestFirst() {
        for (int threads = 2; threads <= 8; threads++) {
            for (int n = 1; n <= 1000; n++) {
                int[] cut = Pieces.cut(n, threads);
                String what = n + " samples on " + threads + " threads";
                assertEquals(0, cut[0]);
                assertEquals(n, cut[cut.length - 1]);
                for (int p = 0; p + 1 < cut.length; p++) {
                    int size = cut[p + 1] - cut[p];
                    assertTrue(size >= Math.min(Pieces.SMALLEST, n), what + ": piece " + p + " of " + size);
                    if (p + 2 < cut.length - 1) assertTrue(size >= cut[p + 2] - cut[p + 1], what + ": piece " + p + " smaller than the next");
                    if (p == cut.length - 2 && p > 0) assertTrue(size < 2 * Pieces.SMALLEST || size <= cut[p] - cut[p - 1], what + ": the last piece " + size);
                }
                // the first piece leaves every other thread as much: no thread waits for a piece larger than its share
                assertTrue(cut[1] - cut[0] <= Math.max(2 * Pieces.SMALLEST - 1, (n + 2 * threads - 1) / (2 * threads)), what);
            }
        }
    }

    @Test
    void lenetsBatchesOnTwoThreads() {
        assertArrayEquals(new int[] {0, 16, 28, 37, 44, 49, 53, 57, 64}, Pieces.cut(64, 2));
        assertArrayEquals(new int[] {0, 64, 112, 148, 175, 196, 211, 223, 232, 238, 243, 247, 251, 256}, Pieces.cut(256, 2));
    }
}
