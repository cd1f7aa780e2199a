package dev.nnc.cli;

import dev.nnc.cli.train.OutputName;
import dev.nnc.driver.Build;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.train.DataReading;
import dev.nnc.runtime.train.TrainingRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on its data and write its weights (safetensors) after every epoch.",
                "Settings come from the file's train block; the options here override them."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @CommandLine.Mixin TrainOptions settings = new TrainOptions();

    @Option(names = "--init", paramLabel = "WEIGHTS", description = "start from these weights instead of random ones")
    Path init;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "continue a run from its checkpoint (written to it again unless -o says otherwise)")
    Path resume;

    @Option(names = {"-o", "--output"}, paramLabel = "WEIGHTS",
            description = "where the weights go (default: the .nn file's name, xor.nn → xor.safetensors, in the current directory)")
    Path output;

    @Option(names = "--plot", paramLabel = "PNG", description = "draw the loss and accuracy curves into this PNG file")
    Path plot;

    @CommandLine.Mixin BackendOptions backend = new BackendOptions();

    @Option(names = "--no-rewrite", paramLabel = "NAME", split = ",", description = "turn off a stability rewrite (see nnc explain --notes)")
    List<String> noRewrite = List.of();

    @Option(names = "--quiet", description = "no progress bar, only the summary")
    boolean quiet;

    @Option(names = "--evaluate-training", description = "end each epoch with a pass over the training data for its loss and accuracy "
            + "(by default they are the epoch's batches', as trained)")
    boolean evaluateTraining;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (init != null && resume != null) throw new CommandLine.ParameterException(spec.commandLine(), "--init and --resume both set the weights; give one");
        var loaded = Loading.build(file, network, spec, () -> Rewrites.request(noRewrite, settings.optimizer, settings.lr, spec));
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        var merged = settings.settings().over(built.block().settings());
        String name = built.graph().name();
        try {
            merged.check(built.optimizer().name(), built.optimizer().rate() != null, file + " has no train block with data for " + name + "; give --data FILE");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path weights = output != null ? output : resume != null ? resume : OutputName.weights(file, name, built.program().networks().size());
        // the data is read while the backend makes the model; what is wrong with it is said where it always was
        try (var reading = DataReading.start(merged, built.signature(), built.graph().domains());
             Model model = backend.create(built, merged.batch())) {
            var request = new TrainingRun.Request(file, Build.sourceHash(file), merged, init, resume, weights, plot, built.optimizer().describe(),
                    evaluateTraining);
            return TrainReport.train(TrainingRun.prepare(model, request, reading), name, quiet, out, err);
        } catch (CheckpointError | DataError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (IOException e) {
            err.println("nnc: " + (e instanceof FileProblem ? "" : "cannot write: ") + e.getMessage());
            return Main.ERRORS;
        }
    }
}
