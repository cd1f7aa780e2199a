package dev.nnc.cli;

import dev.nnc.cli.train.OptimizerChoice;
import dev.nnc.cli.train.TrainBlock;
import dev.nnc.driver.Compile;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Normalization;
import java.nio.file.Path;

/** A network compiled with trained weights, for predict and eval; the normalisation training fitted comes with them. */
record Weights(Model model, Checkpoint.Loaded file) {
    static Weights load(Loading.Ok ok, Path weights, Backends backend, picocli.CommandLine.Model.CommandSpec spec) throws CheckpointError {
        var graph = Compile.graph(ok.program(), ok.network(), Compile.Options.DEFAULT);
        var opt = OptimizerChoice.choose(ok.program().scope(), TrainBlock.EMPTY, null, null); // not used: no training here
        Model model;
        try {
            model = backend.create(graph, opt);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        var loaded = Checkpoint.read(weights);
        Checkpoint.restore(loaded, model, false);
        return new Weights(model, loaded);
    }

    /** The inputs scaled as in training: the fitted normalisation from the weights' metadata, or the format's default. */
    Dataset normalize(Dataset data) {
        String saved = file.meta(Checkpoint.NORMALIZATION);
        return (saved != null ? Normalization.decode(saved) : Normalization.defaultFor(data).fit(data, model.signature())).apply(data);
    }

    /** The task training found (BINARY, CLASSES, OTHER), or null if the weights do not say. */
    String task() { return file.meta("nnc.task"); }
}
