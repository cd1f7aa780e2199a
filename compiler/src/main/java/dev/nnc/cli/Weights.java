package dev.nnc.cli;

import dev.nnc.cli.train.OptimizerChoice;
import dev.nnc.cli.train.TrainBlock;
import dev.nnc.driver.Compile;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.predict.Trained;
import dev.nnc.runtime.data.TargetDomain;
import java.nio.file.Path;
import java.util.List;

/**
 * A network compiled with trained weights, for predict and eval; the normalisation training fitted comes with them.
 * Without weights (null), a network whose parameters all have given values runs with those.
 */
final class Weights {
    private Weights() {}

    /** Trained weights, and what the network's targets must satisfy (see {@link dev.nnc.ir.Graph#domains()}). */
    record Loaded(Trained trained, List<TargetDomain> domains) {}

    /** No --weights for a network that needs them: a usage mistake, said in one line (exit status 2). */
    static final class Missing extends RuntimeException {
        Missing(String message) { super(message, null, false, false); }
    }

    static Loaded load(Loading.Ok ok, Path weights, Backends backend, picocli.CommandLine.Model.CommandSpec spec) throws CheckpointError {
        var graph = Compile.graph(ok.program(), ok.network(), Compile.Options.DEFAULT);
        var opt = OptimizerChoice.choose(ok.program().scope(), TrainBlock.EMPTY, null, null); // not used: no training here
        Model model;
        try {
            model = backend.create(graph, opt, 1);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            return new Loaded(Trained.restore(model, weights), graph.domains());
        } catch (Trained.WeightsNeeded e) {
            throw new Missing(e.getMessage());
        }
    }
}
