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
     * message that says what differs, and the model is left as it was. Without weights (null), a network whose
     * parameters all start at given values ({@code = [0, -1]}) runs with those; any other is a usage mistake.
     *
     * @throws WeightsNeeded without weights for a network with a parameter drawn at random
     */
    public static Trained restore(Model model, Path weights) throws CheckpointError {
        if (weights == null) {
            var drawn = model.drawnParameter();
            if (drawn.isPresent()) {
                throw new WeightsNeeded("give --weights WEIGHTS: " + drawn.get() + " starts at random values, so "
                        + model.signature().network() + " needs trained weights");
            }
            model.initialize(0);
            return new Trained(model, null);
        }
        var loaded = Checkpoint.read(weights);
        Checkpoint.restore(loaded, model, false);
        return new Trained(model, loaded);
    }

    /** A network run without weights that needs them: a usage mistake, whose message says which parameter is drawn. */
    public static final class WeightsNeeded extends IllegalArgumentException {
        WeightsNeeded(String message) { super(message); }
    }

    /** What the weights' metadata says under {@code key}; null without weights, or when they do not say. */
    private String meta(String key) { return file == null ? null : file.meta(key); }

    /** The inputs scaled as in training: the fitted normalisation from the weights' metadata, or the format's default. */
    public Dataset normalize(Dataset data) {
        Normalization saved = file == null ? null : file.parsed().normalization(); // checked against the network when read
        return (saved != null ? saved : Normalization.defaultFor(data).fit(data, model.signature())).apply(data);
    }

    /** The task training found (BINARY, CLASSES, OTHER), or null if the weights do not say. */
    public String task() { return file == null ? null : file.parsed().task(); }

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
}
