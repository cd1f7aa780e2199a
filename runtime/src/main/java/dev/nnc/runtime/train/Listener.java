package dev.nnc.runtime.train;

import java.nio.file.Path;

/** What the training loop reports as it goes, for a progress bar, log lines or a test. */
public interface Listener {
    /** Training starts (or resumes) at {@code firstEpoch} (1-based) of {@code epochs}. */
    default void begin(int firstEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {}

    /** A mini-batch was trained: {@code samples} done so far this epoch, the epoch's mean batch loss so far. */
    default void batch(int epoch, int batch, int samples, double meanLoss) {}

    /** The epoch is evaluated (its checkpoint not yet written). */
    default void epoch(EpochStats stats) {}

    default void saved(Path file, int epoch) {}

    default void end() {}

    Listener NONE = new Listener() {};
}
