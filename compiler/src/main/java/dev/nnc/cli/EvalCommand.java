package dev.nnc.cli;

import dev.nnc.cli.train.TrainBlock;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.train.Metrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate trained weights on labelled data: loss, accuracy, confusion matrix.",
                "The mean loss, and for a classifier the accuracy and the confusion matrix. Without --data, the train",
                "block's test data."})
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = "--weights", paramLabel = "WEIGHTS", required = true, description = "the weights (safetensors) nnc train wrote")
    Path weights;

    @Option(names = "--data", paramLabel = "FILE", split = ",", description = "labelled data: a CSV file, or IDX files (inputs, then targets)")
    List<Path> data;

    @CommandLine.Mixin Backends backend = new Backends();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var loaded = Loading.network(file, network, err);
        if (loaded instanceof Loading.Failed f) return f.status();
        var ok = (Loading.Ok) loaded;
        List<Path> files = data;
        if (files == null) {
            files = TrainBlock.of(ok.program(), ok.network().name(), file.getParent() == null ? Path.of("") : file.getParent()).test();
            if (files.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "give --data FILE: " + file + " names no test data");
        }
        try {
            var w = Weights.load(ok, weights, backend, spec);
            var sig = w.model().signature();
            var set = w.normalize(DataInput.read(files, sig, true));
            var batch = set.batch();
            var task = Metrics.task(batch, sig.targets().isEmpty() ? null : sig.targets().get(0));
            var r = Metrics.evaluate(w.model(), batch, task);
            out.printf(Locale.ROOT, "%,d samples  loss %.6f%n", batch.size(), r.loss());
            if (!Double.isNaN(r.accuracy())) {
                out.printf(Locale.ROOT, "accuracy %.2f %%%n", 100 * r.accuracy());
                out.print(confusion(r.confusion()));
            }
            out.flush();
            return Main.OK;
        } catch (CheckpointError | DataError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Rows are the true classes, columns the predicted ones; the last column is each class's recall. */
    static String confusion(long[][] m) {
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
