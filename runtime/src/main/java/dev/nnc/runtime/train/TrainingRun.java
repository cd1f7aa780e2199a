package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.checkpoint.Checkpoint;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.checkpoint.OutputLock;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.io.FileProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training run of a model a backend made: its weights set (random from the seed, the initial weights, or a resumed
 * checkpoint's weights and optimizer state), every data set read, scaled and checked, and then the epochs trained,
 * with a checkpoint after each. A resume continues the run it was: its seed, its fitted normalisation and its history
 * come from the checkpoint. What the run writes into its checkpoints is said here, with {@link Checkpoint}'s keys.
 */
public final class TrainingRun {
    /**
     * What a run is asked to do.
     *
     * @param source     the .nn file, whose name and hash ({@code sourceHash}) every checkpoint records
     * @param init       weights to start from, or null
     * @param resume     a checkpoint to continue, or null (not both)
     * @param output     where the weights and checkpoints go
     * @param plot       where the curves go, or null: checked as an output before the data is taken
     * @param optimizer  the optimizer compiled in, as checkpoints record it
     * @param evaluateTraining whether each epoch ends with a pass over the training data for its loss and accuracy
     *                   (see {@link Trainer})
     */
    public record Request(Path source, String sourceHash, TrainSettings.Merged settings, Path init, Path resume, Path output, Path plot,
                          String optimizer, boolean evaluateTraining) {}

    private final Model model;
    private final Request request;
    private final long seed;
    private final List<String> notes;
    private final Normalization normalization;
    private final Dataset train, validation, test;
    private final List<EpochStats> earlier;
    private final boolean sourceChanged;

    /** Keeps the training and validation sets scaled in place (their arrays were read for this run alone), the test set as read. */
    private TrainingRun(Model model, Request request, long seed, TrainingData sets, Normalization normalization, List<EpochStats> earlier,
                        boolean sourceChanged) {
        this.model = model;
        this.request = request;
        this.seed = seed;
        this.notes = sets.all().notes();
        this.normalization = normalization;
        this.train = normalization.applyInPlace(sets.train());
        this.validation = normalization.applyInPlace(sets.validation());
        this.test = sets.test();
        this.earlier = earlier;
        this.sourceChanged = sourceChanged;
    }

    /**
     * Sets the model's weights, checks the outputs and takes the data {@code reading} reads (started with this run's
     * settings, {@link DataReading#start}): everything before the first epoch.
     */
    public static TrainingRun prepare(Model model, Request r, DataReading reading) throws CheckpointError, DataError, FileProblem {
        boolean resume = r.resume() != null;
        Checkpoint.Loaded start = resume || r.init() != null ? Checkpoint.read(resume ? r.resume() : r.init()) : null;
        long seed = r.settings().seed(resume ? start.parsed().seed() : null);
        model.initialize(seed);
        if (start != null) Checkpoint.restore(start, model, resume); // the weights checked before the data is read
        TrainingData.checkOutputs(r.output(), r.plot(), r.source(), r.init(), r.settings());
        if (model instanceof ResidentTraining resident) resident.warmUp(r.settings().batch(), reading::done); // the time would be spent waiting
        var sets = TrainingData.read(r.settings(), seed, reading);
        Normalization norm;
        if (resume && start.parsed().normalization() != null) {
            norm = start.parsed().normalization(); // the fitted values of the run resumed
        } else {
            Normalization chosen = r.settings().normalize();
            norm = (chosen != null ? chosen : Normalization.defaultFor(sets.train())).fit(sets.train(), model.signature());
        }
        List<EpochStats> earlier = resume ? start.parsed().history() : List.of();
        boolean changed = resume && !r.sourceHash().equals(start.meta(Checkpoint.SOURCE_SHA256));
        return new TrainingRun(model, r, seed, sets, norm, earlier, changed);
    }

    public Model model() { return model; }

    public Request request() { return request; }

    /** Whether a resumed run's program has changed since its checkpoint was written. */
    public boolean sourceChanged() { return sourceChanged; }

    /** The epochs a resumed run trained before. */
    public List<EpochStats> earlier() { return earlier; }

    /** Whether a resumed run has trained every epoch asked for already. */
    public boolean done() { return earlier.size() >= request.settings().epochs(); }

    /** What the training data's reader noted: warnings that are not errors (a CSV column no input reads), one line each. */
    public List<String> notes() { return notes; }

    /** The sets trained and validated on, scaled. */
    public Dataset train() { return train; }

    public Dataset validation() { return validation; }

    /** Claims the output, before the first word of training: a second training of the same output stops here. */
    public OutputLock claim() throws FileProblem { return OutputLock.acquire(request.output()); }

    /** Trains the epochs left, writing a checkpoint after each. */
    public Trainer.Result run(Listener listener) throws TrainingStopped, IOException {
        var s = request.settings();
        var trainer = new Trainer(model, new Trainer.Options(s.epochs(), s.batch(), seed, s.schedule(), request.output(), metadata(),
                request.evaluateTraining()), listener);
        return trainer.run(train.batch(), validation.batch(), earlier);
    }

    /** What every checkpoint of the run records besides what {@link Checkpoint#save} and {@link Trainer} add. */
    private Map<String, String> metadata() {
        var sig = model.signature();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoint.SOURCE_SHA256, request.sourceHash());
        meta.put(Checkpoint.SOURCE, request.source().getFileName().toString());
        meta.put(Checkpoint.OPTIMIZER, request.optimizer());
        meta.put(Checkpoint.SCHEDULE, request.settings().schedule().spelling());
        meta.put(Checkpoint.BATCH, Integer.toString(request.settings().batch()));
        meta.put(Checkpoint.EPOCHS, Integer.toString(request.settings().epochs()));
        meta.put(Checkpoint.NORMALIZATION, normalization.encode());
        meta.put(Checkpoint.TASK, Metrics.task(train.batch(), sig.targets().isEmpty() ? null : sig.targets().get(0)).name());
        return meta;
    }

    /** The trained model on the test data, scaled as training was, with its size; null without test data. */
    public Tested test(Trainer.Result result) {
        if (test == null) return null;
        Batch b = normalization.apply(test).batch();
        return new Tested(Metrics.evaluate(model, b, result.task()), b.size());
    }

    public record Tested(Metrics.Result metrics, int samples) {}
}
