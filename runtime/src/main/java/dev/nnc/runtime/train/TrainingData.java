package dev.nnc.runtime.train;

import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.Dataset;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.io.UserFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Every data set of a training, read and checked before its first epoch, as training.md promises: the training
 * data, the validation data (given, or split off the training data by the split fraction), and the test data that
 * is evaluated only at the end. A split that leaves nothing to train on, or nothing to validate on when the user
 * asked to validate, is refused with the counts — training on no samples would report a NaN loss and write weights
 * nothing trained.
 *
 * @param all        the training data as read, before any split (its samples shuffled, when all of them are trained on)
 * @param validation empty when neither validation data nor a split below 1 was asked for
 * @param test       null when no test data was asked for
 */
record TrainingData(Dataset all, Dataset train, Dataset validation, Dataset test) {
    /**
     * The data sets of {@code settings}, as {@code reading} reads them; its split is below 1 only without validation
     * files (checked already).
     */
    static TrainingData read(TrainSettings.Merged settings, long seed, DataReading reading) throws DataError {
        List<Path> data = settings.data();
        Dataset all = reading.data();
        Dataset validating = reading.validation();
        Dataset testing = reading.test();
        if (validating != null) return new TrainingData(all, all, validating, testing);
        double split = settings.split();
        int[][] parts = Trainer.split(all.size(), split, seed);
        String splitSource = settings.splitSource();
        String of = String.format(Locale.ROOT, "%,d", all.size()) + (all.size() == 1 ? " sample" : " samples") + " in " + names(data);
        if (parts[0].length == 0) {
            throw new DataError(splitSource + " leaves none of the " + of + " to train on; give a larger fraction to train on (at most 1)");
        }
        if (split < 1 && parts[1].length == 0) {
            throw new DataError(splitSource + " leaves none of the " + of + " to validate on; give a smaller fraction, or 1 to train on all of them");
        }
        // all of it trained on: shuffled where it is (it was read for this run alone), not copied
        if (parts[1].length == 0) return new TrainingData(all, all.permuteInPlace(parts[0]), all.select(parts[1]), testing);
        return new TrainingData(all, all.select(parts[0]), all.select(parts[1]), testing);
    }

    /**
     * The outputs of a training — the weights (with its checkpoints) and the plot — checked before the data is taken
     * (whatever is wrong with it is said after) or anything trained: each can be written, and none is one of its
     * inputs (the program, the data, the initial weights; a resumed checkpoint is rewritten on purpose).
     */
    static void checkOutputs(Path weights, Path plot, Path program, Path init, TrainSettings.Merged settings) throws FileProblem {
        List<Path> inputs = new ArrayList<>(List.of(program));
        if (init != null) inputs.add(init);
        inputs.addAll(settings.data());
        inputs.addAll(settings.validation());
        inputs.addAll(settings.test());
        UserFiles.checkOutputs(Arrays.asList(weights, plot), inputs);
    }

    private static String names(List<Path> files) {
        return files.stream().map(FileProblem::name).collect(Collectors.joining(", "));
    }
}
