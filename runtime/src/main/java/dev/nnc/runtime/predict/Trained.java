package dev.nnc.runtime.predict;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Format;
import dev.nnc.runtime.data.Normalization;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model with trained weights, for prediction and evaluation, and what training left in the weights' metadata
 * beside them: the fitted input normalisation and the task. {@code nnc predict}, {@code nnc eval} and a model jar
 * all go through here, so they scale inputs and label classes alike.
 */
public record Trained(Model model, Checkpoint.Loaded file) {
    /**
     * Reads the weights into the model. Weights of another network (other names or shapes) are refused with a
     * message that says what differs, and the model is left as it was.
     */
    public static Trained restore(Model model, Path weights) throws CheckpointError {
        var loaded = Checkpoint.read(weights);
        Checkpoint.restore(loaded, model, false);
        return new Trained(model, loaded);
    }

    /** The inputs scaled as in training: the fitted normalisation from the weights' metadata, or the format's default. */
    public Dataset normalize(Dataset data) {
        Normalization saved = file.parsed().normalization(); // checked against the network when read
        return (saved != null ? saved : Normalization.defaultFor(data).fit(data, model.signature())).apply(data);
    }

    /** The task training found (BINARY, CLASSES, OTHER), or null if the weights do not say. */
    public String task() { return file.parsed().task(); }

    /** The outputs for every sample of the data, scaled first as in training, by output name, batch-major. */
    public Map<String, double[]> predict(Dataset data) { return model.predict(normalize(data).batch()); }

    /**
     * The outputs for inputs given as a batch (each input's elements by its .nn name, sample after sample), scaled
     * first as the weights say; weights that say nothing leave them as they are.
     */
    public Map<String, double[]> predict(Batch inputs) {
        var sig = model.signature();
        return predict(new Dataset(inputs.size(), inputs.columns(), sig.inputs(), List.of(), List.of(), new Format.Csv(), List.of()));
    }

    /** The metadata key of the task. */
    public static final String TASK = Checkpoint.TASK;
}
