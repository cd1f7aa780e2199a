package dev.nnc.cli;

import dev.nnc.cli.train.OutputName;
import dev.nnc.cli.train.Plot;
import dev.nnc.cli.train.Progress;
import dev.nnc.runtime.train.EpochStats;
import dev.nnc.runtime.train.RateSchedule;
import dev.nnc.runtime.train.Trainer;
import dev.nnc.runtime.train.TrainingRun;
import dev.nnc.runtime.train.TrainingStopped;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;

/** What {@code nnc train} says of a training run as it runs it: the headline, the progress, the summary and the test. */
final class TrainReport {
    private TrainReport() {}

    /** Runs a prepared run, saying what it does; the exit status. */
    static int train(TrainingRun run, String network, boolean quiet, PrintWriter out, PrintWriter err) throws IOException {
        var r = run.request();
        if (run.sourceChanged()) err.println("nnc: warning: " + r.source() + " has changed since " + r.resume() + " was written");
        int epochs = r.settings().epochs(), batch = r.settings().batch();
        if (run.done()) {
            out.println(r.resume() + " has already trained " + run.earlier().size() + " epochs (of " + epochs + "); nothing to do");
            return Main.OK;
        }
        var listener = new Progress(out, !quiet && Progress.interactive() ? err : null);
        Trainer.Result result;
        var claim = run.claim(); // before the first word of training: a second training stops here
        try (claim) { // released whatever happens from here on
            String replacing = r.resume() != null && r.output().equals(r.resume()) ? null : OutputName.replacing(r.output());
            if (replacing != null) err.println("nnc: note: " + replacing);
            RateSchedule sched = r.settings().schedule();
            out.printf(Locale.ROOT, "training %s (%s) on %s%s, %s, batch %d, %d epoch%s, %s backend%n",
                    network, Words.count(run.model().signature().parameterCount(), "parameter"), Words.count(run.train().size(), "sample"),
                    run.validation().size() > 0 ? String.format(Locale.ROOT, " (validating on %,d)", run.validation().size()) : "",
                    r.optimizer() + (sched instanceof RateSchedule.Constant ? "" : " with a " + sched.spelling() + " schedule"),
                    batch, epochs, epochs == 1 ? "" : "s", run.model().backend());
            for (String note : run.notes()) err.println("nnc: note: " + note);
            result = run.run(listener);
        } catch (TrainingStopped e) {
            listener.clear(); // no bar for the message to run into
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } finally {
            listener.clear(); // nor for those of the failures the caller reports
        }
        summary(out, result, run.earlier().size(), run.train().size());
        out.printf("weights written to %s%n", r.output());
        var tested = run.test(result);
        if (tested != null) {
            var m = tested.metrics();
            out.printf(Locale.ROOT, "test: loss %.4f%s on %,d samples%n", m.loss(),
                    Double.isNaN(m.accuracy()) ? "" : String.format(Locale.ROOT, ", accuracy %.2f %%", 100 * m.accuracy()), tested.samples());
        }
        if (r.plot() != null) {
            Plot.write(r.plot(), network, result.history());
            out.printf("curves drawn in %s%n", r.plot());
        }
        return Main.OK;
    }

    /** {@code trained 10 epochs in 7 min 41 s (1,301 samples/s); at the end: loss 0.2201, accuracy 91.8 %, …} */
    private static void summary(PrintWriter out, Trainer.Result result, int resumedAfter, int samples) {
        var run = result.history().subList(resumedAfter, result.history().size());
        double seconds = run.stream().mapToDouble(EpochStats::seconds).sum();
        var last = result.last();
        var b = new StringBuilder(String.format(Locale.ROOT, "trained %d epoch%s in %s (%,.0f samples/s); at the end: loss %.4f",
                run.size(), run.size() == 1 ? "" : "s", duration(seconds), run.size() * (double) samples / Math.max(seconds, 1e-9), last.trainLoss()));
        if (!Double.isNaN(last.trainAccuracy())) b.append(String.format(Locale.ROOT, ", accuracy %.1f %%", 100 * last.trainAccuracy()));
        if (!Double.isNaN(last.validationLoss())) {
            b.append(String.format(Locale.ROOT, "; validation loss %.4f", last.validationLoss()));
            if (!Double.isNaN(last.validationAccuracy())) b.append(String.format(Locale.ROOT, ", accuracy %.1f %%", 100 * last.validationAccuracy()));
        }
        out.println(b);
    }

    static String duration(double seconds) {
        if (seconds < 60) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        return s < 3600 ? String.format("%d min %d s", s / 60, s % 60) : String.format("%d h %d min", s / 3600, s % 3600 / 60);
    }
}
