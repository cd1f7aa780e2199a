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

    /**
     * What {@link #encode} wrote. Anything else — an edited or damaged checkpoint — is an IllegalArgumentException
     * saying which entry is wrong and how; the epochs must be numbered 1, 2, … in order, as a resume counts on.
     */
    public static List<EpochStats> decode(String text) {
        List<EpochStats> out = new ArrayList<>();
        if (text == null || text.isBlank()) return out;
        String[] items = text.split(";", -1);
        for (int k = 0; k < items.length; k++) {
            String item = items[k];
            String[] head = item.split(":", 2);
            String[] v = head.length == 2 ? head[1].split(",", -1) : new String[0];
            String entry = "entry " + (k + 1) + " \"" + (item.length() > 40 ? item.substring(0, 40) + "…" : item) + "\"";
            if (v.length != 6) throw new IllegalArgumentException(entry + " is not EPOCH:BATCH_LOSS,LOSS,ACCURACY,VALIDATION_LOSS,VALIDATION_ACCURACY,SECONDS");
            int epoch;
            try {
                epoch = Integer.parseInt(head[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(entry + " does not start with an epoch number");
            }
            if (epoch != k + 1) throw new IllegalArgumentException(entry + " is epoch " + epoch + ", expected epoch " + (k + 1) + " (the epochs in order from 1)");
            double[] d = new double[6];
            for (int i = 0; i < 6; i++) {
                try {
                    d[i] = Double.parseDouble(v[i].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(entry + " has \"" + v[i] + "\" where a number belongs");
                }
            }
            out.add(new EpochStats(epoch, d[0], d[1], d[2], d[3], d[4], d[5]));
        }
        return out;
    }
}
