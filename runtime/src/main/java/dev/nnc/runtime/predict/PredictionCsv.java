package dev.nnc.runtime.predict;

import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.checkpoint.AtomicFile;
import dev.nnc.runtime.train.Metrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Predictions as CSV, the one format {@code nnc predict} (on every backend) and a model jar's {@code predict} write:
 * a header naming each output element as the .nn source does ({@link #column}), one row per sample, and for a
 * classifier a last column {@code class} with the predicted label.
 */
public final class PredictionCsv {
    private PredictionCsv() {}

    /**
     * The header names each output element ({@code p[1]}, {@code "m[1,2]"}), then {@code class}.
     *
     * @param task the task training found (BINARY, CLASSES, OTHER), or null if unknown: no class column then
     */
    public static void write(PrintWriter w, List<TensorInfo> outputs, Map<String, double[]> values, int samples, String task) {
        var header = new StringBuilder();
        for (TensorInfo o : outputs) {
            for (int k = 0; k < o.size(); k++) header.append(header.isEmpty() ? "" : ",").append(column(o, k));
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
    public static void deliver(List<TensorInfo> outputs, Map<String, double[]> values, int samples, String task, Path file,
                               PrintWriter out, PrintWriter err) throws IOException {
        var text = new StringWriter();
        write(new PrintWriter(text), outputs, values, samples, task);
        if (file == null) {
            out.print(text);
            out.flush();
        } else {
            // whole or not at all: a full disk leaves the earlier predictions, not half of the new ones
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
            err.printf("%d predictions written to %s%n", samples, file);
        }
    }

    /**
     * The column of an output element, named as the .nn source names it, counting from 1: {@code p} for a scalar,
     * {@code a3[10]} for element 10 of {@code a3} (never {@code a310}, which could be element 10 of a3 or element 0 of
     * a31), {@code m[1,2]} for a matrix, quoted in the CSV for its comma. A data file's header may use the same names.
     */
    public static String column(TensorInfo t, int offset) {
        String name = t.element(offset);
        return name.contains(",") || name.contains("\"") ? "\"" + name.replace("\"", "\"\"") + "\"" : name;
    }
}
