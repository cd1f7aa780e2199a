package dev.nnc.cli;

import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.RateSchedule;
import dev.nnc.runtime.train.TrainSettings;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code nnc train} that override a train block's settings; a mixin, read into {@link TrainSettings}. */
final class TrainOptions {
    @Option(names = "--data", paramLabel = "FILE", split = ",", description = "training data: one CSV file, or IDX files (inputs, then targets)")
    List<Path> data;

    @Option(names = "--validation", paramLabel = "FILE", split = ",", description = "validation data (instead of a split of the training data)")
    List<Path> validation;

    @Option(names = "--test", paramLabel = "FILE", split = ",", description = "test data, evaluated once at the end")
    List<Path> test;

    @Option(names = "--epochs", paramLabel = "N", converter = Options.Epochs.class, description = "passes over the training data (default 10)")
    Integer epochs;

    @Option(names = "--batch", paramLabel = "N", converter = Options.Batch.class, description = "samples per mini-batch (default 32)")
    Integer batch;

    @Option(names = "--optimizer", paramLabel = "OPT", description = "as in a train block: adam, adam(α = 0.01), momentum(0.05, 0.8)")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE", converter = Options.Rate.class, description = "the optimizer's learning rate α")
    Double lr;

    @Option(names = "--schedule", paramLabel = "S", converter = Options.ScheduleValue.class,
            description = "learning-rate schedule: constant, step(E, γ) such as step(5, 0.5), cosine, cosine(MIN)")
    RateSchedule schedule;

    @Option(names = "--split", paramLabel = "F", converter = Options.Split.class, description = "fraction of the data to train on; the rest validates (default 1)")
    Double split;

    @Option(names = "--normalize", paramLabel = "N", converter = Options.NormalizationValue.class,
            description = "input scaling: none, scale(D), minmax, standard (default: scale(255) for byte images, else none)")
    Normalization normalize;

    @Option(names = "--seed", paramLabel = "N", converter = Options.Seed.class, description = "seed of initialisation, split and shuffles (default 0)")
    Long seed;

    /** The settings given; null where an option is not. */
    TrainSettings settings() { return new TrainSettings(data, validation, test, epochs, batch, split, seed, schedule, normalize); }
}
