package dev.nnc.cli;

import dev.nnc.driver.Build;
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

    /** @param built built as {@link Build.Request#UNTRAINED} asks: nothing trains here */
    static Loaded load(Build.Built built, Path weights, BackendOptions backend) throws CheckpointError {
        return restore(built, weights, backend.create(built, 1));
    }

    /**
     * The weights only read (nnc export): restored into the reference interpreter, which needs no generated code and
     * so no backend's notes or fallbacks.
     */
    static Loaded read(Build.Built built, Path weights) throws CheckpointError {
        return restore(built, weights, built.model("interp", null, 1, note -> { }));
    }

    private static Loaded restore(Build.Built built, Path weights, Model model) throws CheckpointError {
        try {
            return new Loaded(Trained.restore(model, weights), built.graph().domains());
        } catch (Trained.WeightsNeeded e) {
            throw new Missing(e.getMessage());
        }
    }
}
