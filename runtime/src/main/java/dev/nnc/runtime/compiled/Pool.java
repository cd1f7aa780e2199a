package dev.nnc.runtime.compiled;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Daemon threads for running a model's slices and pieces (a compiled model's, the reference interpreter's chunks);
 * the caller's thread takes part. A call goes to the {@link Crew}, whose threads are waiting for it; a call made while
 * another holds the crew (another model's training, or a task of the crew's own) to a cached thread pool.
 */
public final class Pool {
    private Pool() {}

    /** Runs calls one at a time, with threads that wait for the next call spinning; calls that overlap go to {@link #POOL}. */
    private static final Crew CREW = new Crew();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nnc-model");
        t.setDaemon(true);
        return t;
    });

    /** A task that is told which of the threads runs it: 0 the caller's, 1 … threads − 1 the helpers'. */
    public interface ThreadTask {
        void run(int thread, int i);
    }

    /** Work on the elements from … to − 1 of an array. */
    public interface RangeTask {
        void run(int from, int to);
    }

    /** Elements below which a pass over an array runs on one thread: a million take a core about a millisecond. */
    static final int RANGE = 1 << 20;

    /**
     * Runs a pass over elements 0 … length − 1 of arrays in as many ranges as the machine has processors (one, for
     * fewer than {@link #RANGE} elements): for passes element by element, whose result does not depend on the split.
     */
    public static void ranges(int length, RangeTask task) {
        int parts = length < RANGE ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), length / (RANGE / 2));
        run(parts, part -> task.run((int) ((long) length * part / parts), (int) ((long) length * (part + 1) / parts)));
    }

    /** Runs tasks 0 … count − 1, one per thread. */
    public static void run(int count, IntConsumer task) { run(count, count, task); }

    /** Runs tasks 0 … count − 1 on up to {@code threads} threads, the caller's among them. */
    public static void run(int threads, int count, IntConsumer task) { run(threads, count, (thread, i) -> task.accept(i)); }

    /** Runs tasks 0 … count − 1 on up to {@code threads} threads, the caller's (thread 0) among them. */
    public static void run(int threads, int count, ThreadTask task) {
        if (threads <= 1 || count <= 1) {
            for (int i = 0; i < count; i++) task.run(0, i);
            return;
        }
        if (CREW.tryRun(threads, count, task)) return;
        var next = new AtomicInteger();
        List<Future<?>> helpers = new ArrayList<>();
        for (int p = 1; p < threads; p++) {
            int thread = p;
            helpers.add(POOL.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < count; ) task.run(thread, i);
            }));
        }
        RuntimeException failure = null;
        try {
            for (int i; (i = next.getAndIncrement()) < count; ) task.run(0, i);
        } catch (RuntimeException e) {
            failure = e;
            next.set(count);
        }
        for (Future<?> f : helpers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("internal: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new IllegalStateException("interrupted", e);
            }
        }
        if (failure != null) throw failure;
    }
}
