package dev.nnc.runtime.predict;

import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.train.Metrics;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Predictions as CSV, the one format {@code nnc predict} and a model jar's {@code predict} both write: a header
 * naming each output element as an input column would be named, one row per sample, and for a classifier a last
 * column {@code class} with the predicted label.
 */
public final class PredictionCsv {
    private PredictionCsv() {}

    /**
     * The header names each output element as an input column would be named ({@code p1}, {@code W1_2}), then
     * {@code class}.
     *
     * @param task the task training found (BINARY, CLASSES, OTHER), or null if unknown: no class column then
     */
    public static void write(PrintWriter w, List<TensorInfo> outputs, Map<String, double[]> values, int samples, String task) {
        var header = new StringBuilder();
        for (TensorInfo o : outputs) {
            for (int k = 0; k < o.size(); k++) header.append(header.isEmpty() ? "" : ",").append(o.name()).append(columnSuffix(o, k));
        }
        TensorInfo first = outputs.get(0);
        boolean classes = "CLASSES".equals(task) && first.size() > 1, binary = "BINARY".equals(task) && first.size() == 1;
        if (classes || binary) header.append(",class");
        w.println(header);
        for (int s = 0; s < samples; s++) {
            var row = new StringBuilder();
            for (TensorInfo o : outputs) {
                double[] v = values.get(o.name());
                for (int k = 0; k < o.size(); k++) row.append(row.isEmpty() ? "" : ",").append(v[s * o.size() + k]);
            }
            if (classes || binary) row.append(',').append(Metrics.label(values.get(first.name()), s, first.size()));
            w.println(row);
        }
        w.flush();
    }

    /**
     * The predictions as CSV, to {@code out}, or into {@code file} when one is given, saying on {@code err} how many
     * were written there: what {@code nnc predict} and a model jar's {@code predict} do with them.
     */
    public static void deliver(List<TensorInfo> outputs, Map<String, double[]> values, int samples, String task, java.nio.file.Path file,
                               PrintWriter out, PrintWriter err) throws java.io.IOException {
        var text = new java.io.StringWriter();
        write(new PrintWriter(text), outputs, values, samples, task);
        if (file == null) {
            out.print(text);
            out.flush();
        } else {
            java.nio.file.Files.writeString(file, text.toString(), java.nio.charset.StandardCharsets.UTF_8);
            err.printf("%d predictions written to %s%n", samples, file);
        }
    }

    /** {@code 3} for element 3 of a vector (1-based), {@code 2_5} for [2,5]; nothing for a scalar. */
    public static String columnSuffix(TensorInfo t, int offset) {
        return Arrays.stream(t.position(offset)).mapToObj(Integer::toString).collect(Collectors.joining("_"));
    }
}
