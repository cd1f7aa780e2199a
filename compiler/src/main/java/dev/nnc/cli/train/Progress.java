package dev.nnc.cli.train;

import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.train.Listener;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * What the user sees while training: on a terminal, a bar per epoch with the samples done, samples/s, the running
 * loss and the time left; otherwise (a log, a pipe, CI) nothing but one line per epoch. Either way each epoch ends
 * with a line of its losses and accuracies.
 *
 * <p>The bar is drawn on the training thread itself, never behind its back: it is one line that starts with a
 * carriage return and ends by clearing what is left of the old one, and it is wiped ({@link #clear}) before anything
 * else is printed — the epoch's line (on standard output, which shares the terminal), a message when training stops,
 * the summary. So every line starts on a clean line, however short the epoch. It is kept narrower than the terminal
 * ({@code COLUMNS}, else 80 columns), since a line that wraps cannot be redrawn in place.
 */
public final class Progress implements Listener {
    /** Redraw at most this often: a terminal is slower than a short epoch's batches. */
    static final long INTERVAL_NANOS = 200_000_000L;

    private final PrintWriter out;
    private final PrintWriter terminal;
    private final LongSupplier clock;
    private final int width;
    private int epochs;
    private int samples;
    private long epochStart, lastDraw;
    private boolean drawn;

    /** @param terminal where the bar is drawn (standard error on a terminal), or null for plain lines only */
    public Progress(PrintWriter out, PrintWriter terminal) {
        this(out, terminal, System::nanoTime, columns());
    }

    Progress(PrintWriter out, PrintWriter terminal, LongSupplier clock, int width) {
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
        this.width = width;
    }

    /** Whether standard error is a terminal a bar can be redrawn on. */
    public static boolean interactive() {
        var console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) return false;
        try { // JDK 22+ has a console even when redirected; it says whether it is a terminal
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static int columns() {
        try {
            int c = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "80").strip());
            return c >= 20 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    @Override public void begin(int firstEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {
        this.epochs = epochs;
        this.samples = samplesPerEpoch;
        if (firstEpoch > 1) out.printf("resuming at epoch %d of %d%n", firstEpoch, epochs);
        out.flush();
        epochStart = clock.getAsLong();
    }

    @Override public void batch(int epoch, int batch, int done, double meanLoss) {
        if (terminal == null) return;
        long now = clock.getAsLong();
        if (batch == 1) epochStart = now - 1; // the epoch's clock starts with its first batch
        if (drawn && now - lastDraw < INTERVAL_NANOS) return;
        lastDraw = now;
        String line = bar(epoch, epochs, done, samples, meanLoss, (now - epochStart) / 1e9);
        terminal.print("\r" + (line.length() < width ? line : line.substring(0, width - 1)) + "\033[K");
        terminal.flush();
        drawn = true;
    }

    @Override public void epoch(EpochStats e) {
        clear();
        out.println(line(e, epochs, samples));
        out.flush();
    }

    @Override public void saved(Path file, int epoch) {}

    @Override public void end() { clear(); }

    /** Wipes the bar, if one is drawn, so that what is printed next starts on a clean line. */
    public void clear() {
        if (!drawn) return;
        terminal.print("\r\033[K");
        terminal.flush();
        drawn = false;
    }

    /** {@code epoch  3/10 ━━━━━━━━━━━━━━━━╸━━━━━━━━━  61 %  12,345/s  loss 0.4123  0:12 left} */
    static String bar(int epoch, int epochs, int done, int samples, double loss, double seconds) {
        double fraction = samples == 0 ? 1 : Math.min(1, (double) done / samples);
        int cells = 20, full = (int) (fraction * cells);
        var b = new StringBuilder(String.format(Locale.ROOT, "epoch %" + Integer.toString(epochs).length() + "d/%d ", epoch, epochs));
        b.append("█".repeat(full)).append("░".repeat(cells - full));
        b.append(String.format(Locale.ROOT, " %3d %%", (int) (100 * fraction)));
        if (seconds > 0) b.append(String.format(Locale.ROOT, "  %,.0f/s", done / seconds));
        if (Double.isFinite(loss)) b.append(String.format(Locale.ROOT, "  loss %.4f", loss));
        if (seconds > 0 && done > 0 && done < samples) {
            long left = Math.round(seconds * (samples - done) / done);
            b.append(String.format(Locale.ROOT, "  %d:%02d left", left / 60, left % 60));
        }
        return b.toString();
    }

    /** {@code epoch  3/10  loss 0.4123  accuracy 85.2 %  validation loss 0.4410  accuracy 84.1 %  52 311 samples/s  1.1 s} */
    public static String line(EpochStats e, int epochs, int samples) {
        var b = new StringBuilder(String.format(Locale.ROOT, "epoch %" + Integer.toString(epochs).length() + "d/%d  loss %.4f", e.epoch(), epochs, e.trainLoss()));
        if (!Double.isNaN(e.trainAccuracy())) b.append(String.format(Locale.ROOT, "  accuracy %5.1f %%", 100 * e.trainAccuracy()));
        if (!Double.isNaN(e.validationLoss())) {
            b.append(String.format(Locale.ROOT, "  validation loss %.4f", e.validationLoss()));
            if (!Double.isNaN(e.validationAccuracy())) b.append(String.format(Locale.ROOT, "  accuracy %5.1f %%", 100 * e.validationAccuracy()));
        }
        b.append(String.format(Locale.ROOT, "  %,.0f samples/s  %.2f s", samples / Math.max(e.seconds(), 1e-9), e.seconds()));
        return b.toString();
    }
}
