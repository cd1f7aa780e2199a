package dev.nnc.runtime.compiled;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Helper threads that stay: after a job each spins a while for the next before it parks, so the hand-offs of a
 * training loop (a batch's slices, the gradient mean, the optimizer step, one after another) cost about a
 * microsecond each rather than a thread's wake-up and a future. One job at a time: {@link #tryRun} declines when
 * another thread's job holds the crew (or a job's task runs a job of its own), and the caller then goes elsewhere.
 */
final class Crew {
    /** How long a helper, or the caller waiting for its helpers, spins before it parks. */
    private static final long SPIN_NANOS = 50_000;

    /** Not a lock the holder may take again: a task that runs a job of its own must not hand it to the busy helpers. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final List<Helper> helpers = new ArrayList<>();

    /** One call's tasks: handed out one at a time from {@code next}; {@code running} helpers have not finished. */
    private static final class Job {
        final Pool.ThreadTask task;
        final int count;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger(), running;
        volatile boolean callerParked;
        volatile Throwable failure;

        Job(Pool.ThreadTask task, int count, int helpers) {
            this.task = task;
            this.count = count;
            running = new AtomicInteger(helpers);
        }

        /** Runs tasks until none is left; a failure stops the others from starting new ones. */
        void work(int thread) {
            try {
                for (int i; (i = next.getAndIncrement()) < count; ) task.run(thread, i);
            } catch (Throwable t) {
                if (failure == null) failure = t;
                next.set(count);
            }
        }

        void helperDone() {
            if (running.decrementAndGet() == 0 && callerParked) LockSupport.unpark(caller);
        }

        void awaitHelpers() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (running.get() > 0) {
                if (System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                callerParked = true; // then look again: the last helper either sees this or has already finished
                if (running.get() > 0) LockSupport.park(this);
            }
        }
    }

    private static final class Helper extends Thread {
        final int index;
        volatile Job job;
        volatile boolean parked;

        Helper(int index) {
            super("nnc-model-" + index);
            this.index = index;
            setDaemon(true);
        }

        void hand(Job j) {
            job = j;
            if (parked) LockSupport.unpark(this);
        }

        @Override public void run() {
            while (true) {
                Job j = await();
                job = null; // before the caller can learn this job is done, so its next one is not lost
                j.work(index);
                j.helperDone();
            }
        }

        private Job await() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job j = job;
                if (j != null) return j;
                if (System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true; // then look again: the caller either sees this and unparks, or its job is already there
                if ((j = job) == null) LockSupport.park(this);
                parked = false;
                if (j != null) return j;
                until = System.nanoTime() + SPIN_NANOS;
            }
        }
    }

    /**
     * Runs tasks 0 … count − 1 on {@code threads} threads, the caller's (thread 0) among them, and returns true; or
     * returns false at once, having run nothing, when the crew is busy.
     */
    boolean tryRun(int threads, int count, Pool.ThreadTask task) {
        if (!busy.compareAndSet(false, true)) return false;
        Job j;
        try {
            while (helpers.size() < threads - 1) {
                var h = new Helper(helpers.size() + 1);
                h.start();
                helpers.add(h);
            }
            j = new Job(task, count, threads - 1);
            for (int p = 0; p < threads - 1; p++) helpers.get(p).hand(j);
            j.work(0);
            j.awaitHelpers();
        } finally {
            busy.set(false);
        }
        Throwable failure = j.failure;
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException("internal: " + failure, failure);
        return true;
    }
}
