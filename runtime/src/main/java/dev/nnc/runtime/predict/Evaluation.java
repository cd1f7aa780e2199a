package dev.nnc.runtime.predict;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.train.Metrics;
import java.util.Locale;

/** What {@code nnc eval} and a model jar's {@code eval} print: the mean loss, and for a classifier the accuracy and the confusion matrix. */
public final class Evaluation {
    private Evaluation() {}

    /** Evaluates the trained model on labelled data (scaled as in training) and returns the report. */
    public static String report(Trained trained, Dataset data) {
        var sig = trained.model().signature();
        Batch batch = trained.normalize(data).batch();
        var task = Metrics.task(batch, sig.targets().isEmpty() ? null : sig.targets().get(0));
        var r = Metrics.evaluate(trained.model(), batch, task);
        var b = new StringBuilder(String.format(Locale.ROOT, "%,d samples  loss %.6f%n", batch.size(), r.loss()));
        if (!Double.isNaN(r.accuracy())) {
            b.append(String.format(Locale.ROOT, "accuracy %.2f %%%n", 100 * r.accuracy()));
            b.append(confusion(r.confusion()));
        }
        return b.toString();
    }

    /** Rows are the true classes, columns the predicted ones; the last column is each class's recall. */
    public static String confusion(long[][] m) {
        int k = m.length;
        long max = 1;
        for (long[] row : m) for (long v : row) max = Math.max(max, v);
        int w = Math.max(Long.toString(max).length(), Integer.toString(k - 1).length()) + 1;
        var b = new StringBuilder("confusion matrix (rows: true class, columns: predicted class)\n");
        b.append(" ".repeat(6));
        for (int c = 0; c < k; c++) b.append(String.format("%" + w + "d", c));
        b.append("   recall\n");
        for (int r = 0; r < k; r++) {
            long total = 0;
            for (long v : m[r]) total += v;
            b.append(String.format("%5d ", r));
            for (int c = 0; c < k; c++) b.append(String.format("%" + w + "d", m[r][c]));
            b.append(total == 0 ? "        -" : String.format(Locale.ROOT, "  %6.1f %%", 100.0 * m[r][r] / total)).append('\n');
        }
        return b.toString();
    }
}
