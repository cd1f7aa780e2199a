package dev.nnc.driver;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Threads with a stack deep enough for any program the parser accepts. Every stage walks expressions
 * recursively, and a program may be as deep as the parser's nesting limit ({@code parse.Nesting}) and as long as a
 * sum of a hundred thousand terms (a left-deep chain); a JVM thread's default stack (1 MiB for new threads, 8 MiB for
 * the main one) overflows at a few thousand levels. The stack is reserved address space, not memory: pages are
 * committed only as deep as a program actually goes. The command line and the language server run their work here.
 */
public final class DeepStack {
    /** Room for the limits' deepest program through every stage, several times over. */
    static final long BYTES = 1L << 30;

    private DeepStack() {}

    /** Whether this thread is one of ours. */
    private static final ThreadLocal<Boolean> DEEP = ThreadLocal.withInitial(() -> false);

    /**
     * Runs {@code work} on a deep-stack thread and returns what it returns, or throws what it throws; on this thread
     * when it is one already.
     */
    public static <T> T call(Supplier<T> work) {
        if (DEEP.get()) return work.get();
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread t = factory("nnc").newThread(() -> {
            try {
                result[0] = work.get();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the work goes on; say so when it is done
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure[0] instanceof RuntimeException e) throw e;
        if (failure[0] instanceof Error e) throw e;
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
        @SuppressWarnings("unchecked") T value = (T) result[0];
        return value;
    }

    /** A factory of deep-stack threads named {@code name-N}, for executors. */
    public static ThreadFactory factory(String name) {
        var count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(null, () -> {
                DEEP.set(true);
                r.run();
            }, name + "-" + count.incrementAndGet(), BYTES);
            t.setDaemon(false);
            return t;
        };
    }
}
