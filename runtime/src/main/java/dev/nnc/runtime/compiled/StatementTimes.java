package dev.nnc.runtime.compiled;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a generated network's time goes, statement by statement: with {@code -Dnnc.profile=statements} the JVM backend
 * times every statement of its blocks (a nest, a matrix product, an assignment) by {@link System#nanoTime} around it,
 * and the times are printed when the JVM exits. A sampling profiler cannot say this: the generated nests are inlined
 * into one another with the Vector API's operations, and JFR puts its samples on code that never runs. The clock costs
 * about 20 ns a statement; one thread ({@code -Dnnc.threads=1}) gives the truest times, several share the counters.
 *
 * <pre>JAVA_TOOL_OPTIONS="-Dnnc.profile=statements -Dnnc.threads=1" ./nnc train samples/lenet.nn --epochs 2</pre>
 */
public final class StatementTimes {
    /** Whether the code generated in this JVM is timed (read by the generator). */
    public static final boolean ON = "statements".equals(System.getProperty("nnc.profile"));

    private static final int MAX = 4096;
    /** Nanoseconds and calls of statement i at 16·i and 16·i + 1: a cache line each, so threads timing different ones do not share one. */
    private static final AtomicLongArray TIMES = new AtomicLongArray(ON ? 16 * MAX : 0);
    private static final String[] LABELS = new String[MAX];
    private static int labels;

    static {
        if (ON) Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err)));
    }

    private StatementTimes() {}

    /** A number for a statement the generator times, and what the report calls it; −1 past the first 4096. */
    public static synchronized int label(String statement) {
        if (labels == MAX) return -1;
        LABELS[labels] = statement;
        return labels++;
    }

    /** Called by generated code after statement {@code id}, which began at {@code start} (System.nanoTime). */
    public static void add(int id, long start) {
        long t = System.nanoTime() - start;
        if (id < 0 || !ON) return; // a model jar generated with the profile on, run without it
        TIMES.addAndGet(16 * id, t);
        TIMES.incrementAndGet(16 * id + 1);
    }

    /** The statements that ran, in the order they were generated: share of the time, µs a call, calls. */
    static synchronized void print(PrintStream out) {
        long total = 0;
        for (int i = 0; i < labels; i++) total += TIMES.get(16 * i);
        if (total == 0) return;
        out.println("nnc: time per statement of the generated code (share, µs a call, calls):");
        for (int i = 0; i < labels; i++) {
            long t = TIMES.get(16 * i), n = TIMES.get(16 * i + 1);
            if (n == 0) continue;
            out.printf("  %5.1f %%  %9.3f µs  %10d  %s%n", 100.0 * t / total, t / 1e3 / n, n, LABELS[i]);
        }
    }
}
