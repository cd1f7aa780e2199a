package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training loop: epochs of shuffled mini-batches, one optimizer step each at the schedule's rate, and a checkpoint
 * written atomically after every epoch — on a thread of its own, while the next epoch trains. An epoch's loss and
 * accuracy on the training data are those of its batches as they were trained (each before its step), gathered on the
 * way, from a model that keeps the data ({@link ResidentTraining}) and scores its batches; otherwise, or when asked
 * ({@code evaluateTraining}), the model at the end of the epoch is evaluated on the training data again. The validation
 * data is evaluated after every epoch. Everything random comes from the seed, and an epoch's order from the seed and
 * the epoch's number alone, so a run resumed from any checkpoint ends bit for bit where the uninterrupted run ends.
 */
public final class Trainer {
    /**
     * @param output           the checkpoint written after each epoch (and so at the end); null writes none
     * @param metadata         extra checkpoint metadata (source hash, optimizer, normalisation, …)
     * @param evaluateTraining whether to evaluate the training data again after each epoch rather than score its batches
     */
    public record Options(int epochs, int batch, long seed, RateSchedule schedule, Path output, Map<String, String> metadata,
                          boolean evaluateTraining) {
        public Options {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata)); // in order: Map.copyOf's differs from run to run
        }
    }

    public record Result(List<EpochStats> history, Metrics.Task task) {
        public EpochStats last() { return history.isEmpty() ? null : history.get(history.size() - 1); }
    }

    private final Model model;
    private final Options options;
    private final Listener listener;

    public Trainer(Model model, Options options, Listener listener) {
        this.model = model;
        this.options = options;
        this.listener = listener;
    }

    /** Sample indices split into training ({@code [0]}) and validation ({@code [1]}) after a seeded shuffle. */
    public static int[][] split(int samples, double trainingFraction, long seed) {
        int[] order = new int[samples];
        for (int k = 0; k < samples; k++) order[k] = k;
        shuffle(order, new SplittableRandom(seed));
        int cut = (int) Math.round(samples * trainingFraction);
        return new int[][] {Arrays.copyOfRange(order, 0, cut), Arrays.copyOfRange(order, cut, samples)};
    }

    /**
     * Trains from epoch {@code history.size() + 1} (after a resume, the model already holds that
     * checkpoint's parameters, optimizer state and step count) to the last epoch.
     */
    public Result run(Batch train, Batch validation, List<EpochStats> earlier) throws TrainingStopped, IOException {
        TensorInfo target = model.signature().targets().isEmpty() ? null : model.signature().targets().get(0);
        Metrics.Task task = Metrics.task(train, target);
        List<EpochStats> history = new ArrayList<>(earlier);
        int batches = (train.size() + options.batch() - 1) / options.batch();
        long totalSteps = (long) batches * options.epochs();
        listener.begin(history.size() + 1, options.epochs(), batches, train.size());
        if (model instanceof ResidentTraining resident) resident.keep(train, task);
        try (var writer = new CheckpointWriter(listener)) {
            for (int epoch = history.size() + 1; epoch <= options.epochs(); epoch++) {
                long started = System.nanoTime();
                int[] order = new int[train.size()];
                for (int k = 0; k < order.length; k++) order[k] = k;
                shuffle(order, new SplittableRandom(epochSeed(options.seed(), epoch)));
                Trained trained;
                try {
                    trained = model instanceof ResidentTraining resident
                            ? resident(resident, train, order, epoch, batches, totalSteps)
                            : stepwise(train, order, epoch, batches, totalSteps);
                    String broken = firstNonFiniteParameter();
                    if (broken != null) {
                        throw new TrainingStopped("training stopped in epoch " + epoch + ": after the optimizer step " + broken
                                + " is not finite" + kept(epoch) + "; try a smaller learning rate (--lr)");
                    }
                } catch (TrainingStopped stop) {
                    writer.finish(); // the message says the last checkpoint holds the epoch before: so it must
                    throw stop;
                }
                int n = train.size();
                var tr = trained.right() == null || options.evaluateTraining()
                        ? Metrics.evaluate(model, train, task)
                        : new Metrics.Result(trained.lossSum() / n, Metrics.scored(task, model.signature()) == Metrics.Task.OTHER
                                ? Double.NaN : (double) trained.right() / n, null);
                var va = validation.size() == 0 ? new Metrics.Result(Double.NaN, Double.NaN, null) : Metrics.evaluate(model, validation, task);
                var stats = new EpochStats(epoch, trained.lossSum() / n, tr.loss(), tr.accuracy(), va.loss(), va.accuracy(),
                        (System.nanoTime() - started) / 1e9);
                history.add(stats);
                listener.epoch(stats);
                if (options.output() != null) {
                    Map<String, String> meta = new LinkedHashMap<>(options.metadata());
                    meta.put(Checkpoint.EPOCH, Integer.toString(epoch));
                    meta.put(Checkpoint.SEED, Long.toString(options.seed()));
                    meta.put(Checkpoint.HISTORY, EpochStats.encode(history));
                    writer.write(Checkpoint.snapshot(model, meta), options.output(), epoch);
                }
            }
        }
        listener.end();
        return new Result(history, task);
    }

    /** An epoch's summed loss over its batches as trained, and how many samples they classified right (null: not counted). */
    private record Trained(double lossSum, Long right) {}

    /** The epoch batch by batch, each copied out of the training data. */
    private Trained stepwise(Batch train, int[] order, int epoch, int batches, long totalSteps) throws TrainingStopped {
        double lossSum = 0;
        for (int b = 0; b < batches; b++) {
            int from = b * options.batch(), to = Math.min(order.length, from + options.batch());
            Batch batch = train.rows(Arrays.copyOfRange(order, from, to));
            double loss = model.lossAndGradients(batch);
            if (!Double.isFinite(loss) || model.nonFiniteGradient().isPresent()) throw stopped(epoch, b, batch, loss);
            long step = (long) (epoch - 1) * batches + b;
            model.step(options.schedule().factor(epoch - 1, step, totalSteps));
            lossSum += loss * (to - from);
            listener.batch(epoch, b + 1, to, lossSum / to);
        }
        return new Trained(lossSum, null);
    }

    /** Runs of steps in a model that keeps the data: a twentieth of the epoch each, so the progress still moves. */
    private Trained resident(ResidentTraining model, Batch train, int[] order, int epoch, int batches, long totalSteps) throws TrainingStopped {
        int size = options.batch(), chunk = Math.max(1, (batches + RUNS - 1) / RUNS);
        double lossSum = 0;
        long right = 0;
        boolean counted = true;
        for (int first = 0; first < batches; first += chunk) {
            int last = Math.min(batches, first + chunk);
            double[] factors = new double[last - first];
            for (int b = first; b < last; b++) factors[b - first] = options.schedule().factor(epoch - 1, (long) (epoch - 1) * batches + b, totalSteps);
            var run = model.run(order, size, first, last, factors);
            for (int k = 0; k < run.losses().length; k++) {
                int b = first + k, from = b * size, to = Math.min(order.length, from + size);
                if (run.stopped() && k == run.losses().length - 1) {
                    Batch batch = train.rows(Arrays.copyOfRange(order, from, to));
                    throw stopped(epoch, b, batch, run.losses()[k] / (to - from));
                }
                lossSum += run.losses()[k];
                if (run.right() != null) right += run.right()[k];
                listener.batch(epoch, b + 1, to, lossSum / to);
            }
            counted &= run.right() != null;
        }
        return new Trained(lossSum, counted ? right : null);
    }

    /** How many runs an epoch of a model that keeps the data is cut into. */
    static final int RUNS = 20;

    private TrainingStopped stopped(int epoch, int batch, Batch data, double loss) {
        String where = model.firstNonFinite(data).or(model::nonFiniteGradient).orElse(Double.isFinite(loss) ? "a gradient" : "the loss");
        return new TrainingStopped("training stopped in epoch " + epoch + ", mini-batch " + (batch + 1) + ": " + where
                + " is not finite (the loss is " + loss + ")" + kept(epoch) + "; try a smaller learning rate (--lr) or normalised inputs");
    }

    private String kept(int epoch) {
        if (options.output() == null) return "";
        return epoch > 1 ? "; " + options.output() + " keeps the weights of epoch " + (epoch - 1) : "; no checkpoint was written";
    }

    private String firstNonFiniteParameter() {
        for (TensorInfo p : model.signature().params()) {
            double[] v = model.parameter(p.name());
            for (int k = 0; k < v.length; k++) if (!Double.isFinite(v[k])) return p.element(k);
        }
        return null;
    }

    /** Each epoch's shuffle has its own seed, so a resumed run needs no random state from the checkpoint. */
    static long epochSeed(long seed, int epoch) { return seed * 0x9E3779B97F4A7C15L + epoch; }

    static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
