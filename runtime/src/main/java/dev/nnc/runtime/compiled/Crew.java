package dev.nnc.runtime.compiled;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Helper threads that stay: after a job each spins a while for the next before it parks, so the hand-offs of a
 * training loop (a batch's slices, the gradient mean, the optimizer step, one after another) cost about a
 * microsecond each rather than a thread's wake-up and a future. The caller waits for the tasks, not for the helpers:
 * a helper the operating system has not run yet (the machine busy with other work) finds the tasks taken by the
 * caller and nothing to do, and holds nobody up. One job at a time: {@link #tryRun} declines when another thread's
 * job holds the crew (or a job's task runs a job of its own), and the caller then goes elsewhere.
 */
final class Crew {
    /** How long a helper, or the caller waiting for a helper's task, spins before it parks. */
    private static final long SPIN_NANOS = 50_000;

    /** Not a lock the holder may take again: a task that runs a job of its own must not hand it to the busy helpers. */
    private final AtomicBoolean busy = new AtomicBoolean();
    private final List<Helper> helpers = new ArrayList<>();

    /** One call's tasks, taken one at a time from {@code next} by whichever thread comes; {@code finished} of them done. */
    private static final class Job {
        final Pool.ThreadTask task;
        final int count;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        volatile boolean callerParked;
        /** The first failure; the tasks not yet started are then skipped (taken and counted, not run). */
        volatile Throwable failure;

        Job(Pool.ThreadTask task, int count) {
            this.task = task;
            this.count = count;
        }

        void work(int thread) {
            for (int i; (i = next.getAndIncrement()) < count; ) {
                try {
                    if (failure == null) task.run(thread, i);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                if (finished.incrementAndGet() == count && callerParked) LockSupport.unpark(caller);
            }
        }

        void awaitTasks() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (finished.get() < count) {
                if (System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                callerParked = true; // then look again: the thread that finishes the last task sees this, or has finished it
                if (finished.get() < count) LockSupport.park(this);
            }
        }
    }

    private static final class Helper extends Thread {
        final int index;
        /** The job handed to this helper and not yet taken; a newer one replaces it (the older one's tasks are all done). */
        final AtomicReference<Job> job = new AtomicReference<>();
        volatile boolean parked;

        Helper(int index) {
            super("nnc-model-" + index);
            this.index = index;
            setDaemon(true);
        }

        void hand(Job j) {
            job.set(j);
            if (parked) LockSupport.unpark(this);
        }

        @Override public void run() {
            while (true) await().work(index);
        }

        private Job await() {
            long until = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job j = job.getAndSet(null);
                if (j != null) return j;
                if (System.nanoTime() < until) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true; // then look again: the caller either sees this and unparks, or its job is already there
                if (job.get() == null) LockSupport.park(this);
                parked = false;
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
            j = new Job(task, count);
            for (int p = 0; p < threads - 1; p++) helpers.get(p).hand(j);
            j.work(0);
            j.awaitTasks();
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
