package dev.nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;

/**
 * What one epoch achieved: the mean training loss over its mini-batches (as they were trained), loss and
 * accuracy of the model at the end of the epoch on the training and validation data (NaN where there is
 * no validation data or the task is not classification), and how long it took.
 */
public record EpochStats(int epoch, double batchLoss, double trainLoss, double trainAccuracy,
                         double validationLoss, double validationAccuracy, double seconds) {

    /** The history as one metadata string, exact (Double.toString round-trips). */
    public static String encode(List<EpochStats> history) {
        var b = new StringBuilder();
        for (EpochStats e : history) {
            b.append(b.isEmpty() ? "" : ";").append(e.epoch).append(':').append(e.batchLoss).append(',').append(e.trainLoss).append(',')
                    .append(e.trainAccuracy).append(',').append(e.validationLoss).append(',').append(e.validationAccuracy).append(',').append(e.seconds);
        }
        return b.toString();
    }

    public static List<EpochStats> decode(String text) {
        List<EpochStats> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        for (String item : text.split(";")) {
            String[] head = item.split(":", 2);
            String[] v = head[1].split(",");
            out.add(new EpochStats(Integer.parseInt(head[0]), d(v[0]), d(v[1]), d(v[2]), d(v[3]), d(v[4]), d(v[5])));
        }
        return out;
    }

    private static double d(String s) { return Double.parseDouble(s); }
}
