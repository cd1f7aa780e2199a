package dev.nnc.runtime.compiled;

import java.util.ArrayList;
import java.util.List;

/**
 * How a batch is cut into the pieces its threads take as they come: large pieces first, each about half of what is
 * left over the threads, down to {@link #SMALLEST} samples. Two fixed halves, one per thread, made a step wait for the
 * slower half: on a machine whose cores' speeds drift (a shared host), the two halves of a LeNet step at batch 256
 * ended 0.9–1.6 ms apart on average, a tenth of the step. With pieces that shrink towards the end a thread that falls
 * behind takes fewer of them, and the other waits at most for a last small one. The cut depends only on the batch size
 * and the number of threads, and each piece has its own gradient sums, added in piece order: which thread ran which
 * piece never changes a bit.
 */
final class Pieces {
    private Pieces() {}

    /** The fewest samples a piece has (the batch's last pieces): a few of LeNet's samples take a core about 0.2 ms. */
    static final int SMALLEST = 4;

    /**
     * Where each piece of a batch of {@code n} on {@code threads} threads starts, and n at the end: one piece for one
     * thread; else each piece ⌈left / (2·threads)⌉ samples, at least {@link #SMALLEST}, the last taking what would
     * be left under that.
     */
    static int[] cut(int n, int threads) {
        if (threads <= 1 || n <= 1) return new int[] {0, n};
        List<Integer> starts = new ArrayList<>();
        for (int at = 0; at < n; ) {
            starts.add(at);
            int left = n - at, size = Math.max(SMALLEST, (int) ((left + 2L * threads - 1) / (2L * threads)));
            at += left - size < SMALLEST ? left : size; // no piece smaller than SMALLEST after it
        }
        int[] out = new int[starts.size() + 1];
        for (int k = 0; k < starts.size(); k++) out[k] = starts.get(k);
        out[starts.size()] = n;
        return out;
    }
}
