package dev.nnc.runtime.train;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.TargetDomain;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * A training's data sets — the training, validation and test files — each read and checked on a thread of its own,
 * from the moment the files and the network's signature are known: reading them does not depend on the code a
 * backend generates, so it overlaps making the model, and the sets overlap each other. Nothing is reported early: a
 * set's failure is thrown by its getter, which {@link TrainingData#read} calls in the order it always read them
 * (training, validation, test), after the checkpoint and the outputs are checked, so a run says exactly what it said
 * when it read them one after another. {@link #close} stops what is still being read (at its next file, chunk or row) and
 * waits for it, so a command that fails before using the data says so at once and leaves no thread running and no
 * file open.
 */
public final class DataReading implements AutoCloseable {
    private final Pending data, validation, test;

    private DataReading(Pending data, Pending validation, Pending test) {
        this.data = data;
        this.validation = validation;
        this.test = test;
    }

    /**
     * Starts reading the sets {@code settings} names for a network of signature {@code sig}, whose targets must
     * satisfy {@code domains}.
     */
    public static DataReading start(TrainSettings.Merged settings, Signature sig, List<TargetDomain> domains) {
        return new DataReading(Pending.start(settings.data(), sig, domains),
                Pending.start(settings.validation(), sig, domains),
                Pending.start(settings.test(), sig, TargetDomain.forEvaluation(domains)));
    }

    /** The training data as read, before any split. Each set is handed over once: this keeps no copy of it. */
    Dataset data() throws DataError { return data.take(); }

    /** The validation data, or null when no validation files are given. */
    Dataset validation() throws DataError { return validation.take(); }

    /** The test data, or null when no test files are given. */
    Dataset test() throws DataError { return test.take(); }

    /** Whether every set has been read (or failed), so that taking it will not wait. */
    public boolean done() { return data.done() && validation.done() && test.done(); }

    @Override public void close() {
        data.stop();
        validation.stop();
        test.stop();
    }

    /** One set being read, or none (no files given, or handed over already). */
    private static final class Pending {
        private FutureTask<Dataset> task;
        private Thread thread;

        private Pending(FutureTask<Dataset> task, Thread thread) {
            this.task = task;
            this.thread = thread;
        }

        static Pending start(List<Path> files, Signature sig, List<TargetDomain> domains) {
            if (files.isEmpty()) return new Pending(null, null);
            var task = new FutureTask<>(() -> DataFiles.read(files, sig, true, domains));
            var thread = new Thread(task, "nnc-data");
            thread.setDaemon(true); // never what keeps a JVM alive, should a caller forget to close
            thread.start();
            return new Pending(task, thread);
        }

        boolean done() { return task == null || task.isDone(); }

        Dataset take() throws DataError {
            if (task == null) return null;
            try {
                Dataset read = task.get();
                stop(); // the thread is ending: wait for it, then forget the set
                task = null;
                thread = null;
                return read;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DataError d) throw d;
                if (cause instanceof RuntimeException r) throw r;
                if (cause instanceof Error r) throw r;
                throw new IllegalStateException("internal: " + cause, cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new DataError("interrupted while reading the data");
            } catch (CancellationException e) {
                throw new IllegalStateException("internal: the data was read after the reading was closed", e);
            }
        }

        /** Stops the reading (interrupted, a read closes its file and stops at its next file, chunk or row) and waits for the thread to end. */
        void stop() {
            if (task == null) return;
            task.cancel(true);
            boolean interrupted = false;
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
