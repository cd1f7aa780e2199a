package dev.nnc.cli.train;

import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.train.Listener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What the user sees while training: on a terminal, a bar per epoch with samples/s, the running loss and
 * the time left; otherwise (a log, a pipe, CI) nothing but one line per epoch. Either way each epoch ends
 * with a line of its losses and accuracies.
 */
public final class Progress implements Listener {
    private final PrintWriter out;
    private final PrintStream terminal;
    private int epochs;
    private int samples;
    private ProgressBar bar;

    /** @param terminal where the bar is drawn, or null for plain lines only */
    public Progress(PrintWriter out, PrintStream terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard error is a terminal a bar can be redrawn on. */
    public static boolean interactive() {
        var console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) return false;
        try { // JDK 22+ has a console even when redirected; it says whether it is a terminal
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override public void begin(int firstEpoch, int epochs, int batchesPerEpoch, int samplesPerEpoch) {
        this.epochs = epochs;
        this.samples = samplesPerEpoch;
        if (firstEpoch > 1) out.printf("resuming at epoch %d of %d%n", firstEpoch, epochs);
        out.flush();
    }

    @Override public void batch(int epoch, int batch, int done, double meanLoss) {
        if (terminal == null) return;
        if (bar == null) {
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch, epochs)).setInitialMax(samples)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUnit(" samples", 1).showSpeed(new java.text.DecimalFormat("#"))
                    .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(terminal)).clearDisplayOnFinish().build();
        }
        bar.stepTo(done);
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", meanLoss));
    }

    @Override public void epoch(EpochStats e) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.println(line(e, epochs, samples));
        out.flush();
    }

    @Override public void saved(Path file, int epoch) {}

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
