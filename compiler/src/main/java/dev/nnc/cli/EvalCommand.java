package dev.nnc.cli;

import dev.nnc.driver.Build;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.data.TargetDomain;
import dev.nnc.runtime.predict.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--weights", paramLabel = "WEIGHTS",
            description = "the weights (safetensors) nnc train wrote; not needed when every parameter has given values (= [0, -1])")
    Path weights;

    @Option(names = "--data", paramLabel = "FILE", split = ",", description = "labelled data: a CSV file, or IDX files (inputs, then targets)")
    List<Path> data;

    @CommandLine.Mixin BackendOptions backend = new BackendOptions();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var loaded = Loading.build(file, network, spec, () -> Build.Request.UNTRAINED);
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        List<Path> files = data;
        if (files == null) {
            files = built.block().settings().test();
            if (files.isEmpty()) throw new CommandLine.ParameterException(spec.commandLine(), "give --data FILE: " + file + " names no test data");
        }
        try {
            var w = Weights.load(built, weights, backend);
            var sig = w.trained().model().signature();
            var data = DataFiles.read(files, sig, true, TargetDomain.forEvaluation(w.domains()));
            for (String note : data.notes()) err.println("nnc: note: " + note); // as train says them: a column not used
            out.print(Evaluation.report(w.trained(), data));
            out.flush();
            return Main.OK;
        } catch (CheckpointError | DataError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (Weights.Missing e) {
            err.println("nnc: " + e.getMessage());
            return Main.USAGE;
        } catch (Build.BadRequest e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
