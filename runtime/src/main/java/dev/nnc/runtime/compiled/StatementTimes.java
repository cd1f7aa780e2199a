package dev.nnc.runtime.compiled;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a generated network's time goes, statement by statement: with {@code -Dnnc.profile=statements} the JVM backend
 * times every statement of its blocks (a nest, a matrix product, an assignment) by {@link System#nanoTime} around it,
 * and the times are printed when the JVM exits. A sampling profiler cannot say this: the generated nests are inlined
 * into one another with the Vector API's operations, and JFR puts its samples on code that never runs. The clock costs
 * about 20 ns a statement; one thread ({@code -Dnnc.threads=1}) gives the truest times, several share the counters.
 * What runs in the JVM's first seconds ({@code -Dnnc.profile.warmup}, 5 by default) runs in the interpreter and C1 and
 * is left out of the report, which would otherwise charge the products (compiled last) up to twice their steady time;
 * a run shorter than that is reported whole, and says so.
 *
 * <pre>JAVA_TOOL_OPTIONS="-Dnnc.profile=statements -Dnnc.threads=1" ./nnc train samples/lenet.nn --epochs 2</pre>
 */
public final class StatementTimes {
    /** Whether the code generated in this JVM is timed (read by the generator). */
    public static final boolean ON = "statements".equals(System.getProperty("nnc.profile"));

    private static final int MAX = 4096;
    /**
     * Nanoseconds and calls of statement i at 16·i and 16·i + 1, and of those after the warm-up at 16·i + 2 and
     * 16·i + 3: a cache line each, so threads timing different ones do not share one.
     */
    private static final AtomicLongArray TIMES = new AtomicLongArray(ON ? 16 * MAX : 0);
    private static final String[] LABELS = new String[MAX];
    private static int labels;
    private static final double WARMUP = warmup();
    private static final long WARM_UNTIL = System.nanoTime() + (long) (1e9 * WARMUP);

    static {
        if (ON) Runtime.getRuntime().addShutdownHook(new Thread(() -> print(System.err)));
    }

    private StatementTimes() {}

    /** {@code -Dnnc.profile.warmup}: seconds, 5 unless given; a value that is not a number of seconds is said and ignored. */
    private static double warmup() {
        String given = System.getProperty("nnc.profile.warmup", "5");
        try {
            double s = Double.parseDouble(given);
            if (s >= 0 && s < 1e6) return s;
        } catch (NumberFormatException e) {
            // said below
        }
        if (ON) System.err.println("nnc: -Dnnc.profile.warmup=" + given + " is not a number of seconds (0 or more); the profile leaves out the first 5");
        return 5;
    }

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
        int at = start - WARM_UNTIL > 0 ? 16 * id + 2 : 16 * id;
        TIMES.addAndGet(at, t);
        TIMES.incrementAndGet(at + 1);
    }

    /** The statements that ran, in the order they were generated: share of the time, µs a call, calls. */
    static synchronized void print(PrintStream out) {
        long total = 0, warm = 0;
        for (int i = 0; i < labels; i++) {
            total += TIMES.get(16 * i) + TIMES.get(16 * i + 2);
            warm += TIMES.get(16 * i + 2);
        }
        if (total == 0) return;
        boolean steady = warm > 0; // else the run ended within the warm-up: report it all
        out.println("nnc: time per statement of the generated code (share, µs a call, calls)"
                + (steady ? ", after the first " + new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(WARMUP) + " s (JIT warm-up):"
                          : ", the whole run (it ended within the JIT's warm-up):"));
        for (int i = 0; i < labels; i++) {
            long t = steady ? TIMES.get(16 * i + 2) : TIMES.get(16 * i) + TIMES.get(16 * i + 2);
            long n = steady ? TIMES.get(16 * i + 3) : TIMES.get(16 * i + 1) + TIMES.get(16 * i + 3);
            if (n == 0) continue;
            out.printf("  %5.1f %%  %9.3f µs  %10d  %s%n", 100.0 * t / (steady ? warm : total), t / 1e3 / n, n, LABELS[i]);
        }
    }
}
