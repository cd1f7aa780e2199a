package dev.nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;

/**
 * What one epoch achieved: the mean training loss over its mini-batches (as they were trained), loss and
 * accuracy on the training data (see {@link Trainer}: as trained, or at the end of the epoch) and on the validation data
 * at the end of the epoch (NaN where there is no validation data or the task is not classification), and how long it
 * took (NaN for an epoch read back from a checkpoint, which does not record it).
 */
public record EpochStats(int epoch, double batchLoss, double trainLoss, double trainAccuracy,
                         double validationLoss, double validationAccuracy, double seconds) {

    /**
     * The history as one metadata string, exact (Double.toString round-trips). The epochs' times are left out: a
     * checkpoint records what the run computed, so that the same run writes the same bytes however fast it ran.
     */
    public static String encode(List<EpochStats> history) {
        var b = new StringBuilder();
        for (EpochStats e : history) {
            b.append(b.isEmpty() ? "" : ";").append(e.epoch).append(':').append(e.batchLoss).append(',').append(e.trainLoss).append(',')
                    .append(e.trainAccuracy).append(',').append(e.validationLoss).append(',').append(e.validationAccuracy);
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
            // checkpoints of nnc 0.1 before 2026-12-06 also hold the epoch's seconds, a sixth number: read and not kept
            if (v.length != 5 && v.length != 6) throw new IllegalArgumentException(entry + " is not EPOCH:BATCH_LOSS,LOSS,ACCURACY,VALIDATION_LOSS,VALIDATION_ACCURACY");
            int epoch;
            try {
                epoch = Integer.parseInt(head[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(entry + " does not start with an epoch number");
            }
            if (epoch != k + 1) throw new IllegalArgumentException(entry + " is epoch " + epoch + ", expected epoch " + (k + 1) + " (the epochs in order from 1)");
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                try {
                    d[i] = Double.parseDouble(v[i].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(entry + " has \"" + v[i] + "\" where a number belongs");
                }
            }
            out.add(new EpochStats(epoch, d[0], d[1], d[2], d[3], d[4], Double.NaN));
        }
        return out;
    }
}
