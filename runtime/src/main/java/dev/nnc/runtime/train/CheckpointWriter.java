package dev.nnc.runtime.train;

import dev.nnc.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Writes a training's checkpoints on a thread of its own, one at a time and in order, so that encoding the file and
 * forcing it to disk overlap the next epoch's training instead of holding it up. Each write is still atomic
 * ({@link Checkpoint.Snapshot#write}): the file on disk is always a whole checkpoint. A write's failure is thrown by
 * the next call, or by {@link #close}, which waits for the last write: when the trainer returns or throws, every
 * checkpoint it announced is on disk.
 */
final class CheckpointWriter implements AutoCloseable {
    private final Listener listener;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nnc-checkpoint");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Void> pending;
    private Path pendingFile;
    private int pendingEpoch;

    CheckpointWriter(Listener listener) { this.listener = listener; }

    /** Writes the snapshot of {@code epoch} as {@code file} once the write before it is done. */
    void write(Checkpoint.Snapshot snapshot, Path file, int epoch) throws IOException {
        finish();
        pending = CompletableFuture.runAsync(() -> {
            try {
                snapshot.write(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, thread);
        pendingFile = file;
        pendingEpoch = epoch;
    }

    /** Waits for the write under way, if any, and throws its failure. */
    void finish() throws IOException {
        if (pending == null) return;
        var done = pending;
        pending = null;
        try {
            done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("internal: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing " + pendingFile, e);
        }
        listener.saved(pendingFile, pendingEpoch);
    }

    @Override public void close() throws IOException {
        try {
            finish();
        } finally {
            thread.shutdown();
        }
    }
}
