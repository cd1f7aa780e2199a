package dev.nnc.cli;

import dev.nnc.driver.Build;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.io.UserFiles;
import dev.nnc.runtime.predict.PredictionCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a trained network on inputs and write its outputs as CSV.",
                "One row per sample, one column per output element (p[1], p[2], …), and for a classifier the predicted class."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = "--weights", paramLabel = "WEIGHTS",
            description = "the weights (safetensors) nnc train wrote; not needed when every parameter has given values (= [0, -1])")
    Path weights;

    @Option(names = "--input", paramLabel = "FILE", split = ",", required = true, description = "inputs: a CSV file, or IDX files (one per input)")
    List<Path> input;

    @Option(names = {"-o", "--output"}, paramLabel = "CSV", description = "where the predictions go (default: standard output)")
    Path output;

    @CommandLine.Mixin BackendOptions backend = new BackendOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var loaded = Loading.build(file, network, spec, () -> Build.Request.UNTRAINED);
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        try {
            List<Path> inputs = new ArrayList<>(List.of(file));
            if (weights != null) inputs.add(weights); // none when every parameter has given values
            inputs.addAll(input);
            UserFiles.checkOutputs(Arrays.asList(output), inputs); // before the work, not after it
            var w = Weights.load(built, weights, backend).trained();
            var sig = w.model().signature();
            var data = DataFiles.read(input, sig, false, List.of()); // targets, if any, are not used
            for (String note : data.notes()) err.println("nnc: note: " + note); // as train says them: a column not used
            var outputs = w.predict(data);
            PredictionCsv.deliver(sig.outputs(), outputs, data.size(), w.task(), output, out, err);
            return Main.OK;
        } catch (CheckpointError | DataError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (Weights.Missing e) {
            err.println("nnc: " + e.getMessage());
            return Main.USAGE;
        } catch (Build.BadRequest e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            err.println("nnc: " + FileProblem.writing(output, e).getMessage());
            return Main.ERRORS;
        }
    }
}
