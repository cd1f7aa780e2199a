package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.util.HashMap;

/**
 * Loss, accuracy and the confusion matrix of a model on a data set. Accuracy means something only for a
 * classifier: a scalar target of 0s and 1s (the output is right when on the target's side of ½), or a
 * vector target that is one-hot (right when the output's largest entry is the target's class). For
 * anything else it is NaN.
 */
public final class Metrics {
    private Metrics() {}

    /** Evaluation goes through the data in chunks of this many samples, so memory stays flat on big sets. */
    static final int CHUNK = 2048;

    public enum Task { BINARY, CLASSES, OTHER }

    public record Result(double loss, double accuracy, long[][] confusion) {}

    /** What kind of targets these are: decided from the data, so a regression is never scored as a classifier. */
    public static Task task(Batch data, TensorInfo target) {
        if (target == null || data.size() == 0 || !data.columns().containsKey(target.name())) return Task.OTHER;
        double[] y = data.column(target.name());
        int k = target.size();
        if (k == 1) {
            for (double v : y) if (v != 0 && v != 1) return Task.OTHER;
            return Task.BINARY;
        }
        for (int s = 0; s < data.size(); s++) {
            int ones = 0;
            for (int c = 0; c < k; c++) {
                double v = y[s * k + c];
                if (v == 1) ones++;
                else if (v != 0) return Task.OTHER;
            }
            if (ones != 1) return Task.OTHER;
        }
        return Task.CLASSES;
    }

    /** The class of one sample's target or output: the index of its largest entry, or 0/1 for a scalar. */
    public static int label(double[] values, int sample, int k) {
        if (k == 1) return values[sample] > 0.5 ? 1 : 0;
        int best = 0;
        for (int c = 1; c < k; c++) if (values[sample * k + c] > values[sample * k + best]) best = c;
        return best;
    }

    /** The task a model is scored on: {@code task}, or OTHER when its first output has no target of its size to compare with. */
    public static Task scored(Task task, Signature sig) {
        TensorInfo target = sig.targets().isEmpty() ? null : sig.targets().get(0);
        return target == null || sig.outputs().get(0).size() != target.size() ? Task.OTHER : task;
    }

    /**
     * How many of {@code samples} outputs (the first output, {@code k} values a sample) are the class of their targets
     * ({@code k} values a sample too); 0 for a task that is not a classification.
     */
    public static int right(Task task, double[] outputs, double[] targets, int samples, int k) {
        if (task == Task.OTHER) return 0;
        int right = 0;
        for (int s = 0; s < samples; s++) if (label(targets, s, k) == label(outputs, s, k)) right++;
        return right;
    }

    /** Mean loss, accuracy and the confusion matrix (rows: true class, columns: predicted) over all of {@code data}. */
    public static Result evaluate(Model model, Batch data, Task task) {
        var sig = model.signature();
        TensorInfo target = sig.targets().isEmpty() ? null : sig.targets().get(0);
        TensorInfo output = sig.outputs().get(0);
        task = scored(task, sig);
        int classes = task == Task.BINARY ? 2 : task == Task.CLASSES ? target.size() : 0;
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        long right = 0;
        for (int from = 0; from < data.size(); from += CHUNK) {
            int to = Math.min(data.size(), from + CHUNK);
            Batch chunk = data.slice(from, to);
            if (task == Task.OTHER) {
                lossSum += model.loss(chunk) * (to - from);
                continue;
            }
            var outputs = new HashMap<String, double[]>();
            lossSum += model.lossAndPredict(chunk, outputs) * (to - from);
            double[] out = outputs.get(output.name());
            double[] y = chunk.column(target.name());
            int k = target.size();
            for (int s = 0; s < chunk.size(); s++) {
                int truth = label(y, s, k), guess = label(out, s, k);
                confusion[truth][guess]++;
                if (truth == guess) right++;
            }
        }
        int n = data.size();
        return new Result(n == 0 ? Double.NaN : lossSum / n, task == Task.OTHER || n == 0 ? Double.NaN : (double) right / n, confusion);
    }
}
