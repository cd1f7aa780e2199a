package dev.nnc.check;

import dev.nnc.runtime.train.NumberRule;
import java.util.List;
import java.util.Map;

/**
 * The rules of a train block's settings that the command line's options share, kept once: {@code nnc check}
 * reports a setting that breaks one at its place in the file, and {@code nnc train} refuses an option that breaks
 * the same rule before it reads anything. The rules of schedules and scalings are their own classes'
 * ({@link dev.nnc.runtime.train.Schedule#of}, {@link dev.nnc.runtime.data.Normalization#of}); those of a
 * hyperparameter are {@link dev.nnc.ir.OptimizerIr#rule}.
 */
public final class TrainSettings {
    private TrainSettings() {}

    /** Every setting a train block may have (language.md §12.1). */
    public static final List<String> KEYS = List.of("data", "test", "validation", "optimizer", "batch", "epochs", "split", "seed",
            "schedule", "normalize");

    /** What each numeric setting, and the option of the same name, may be. */
    private static final Map<String, NumberRule> NUMBERS = Map.of("batch", NumberRule.POSITIVE_INTEGER, "epochs", NumberRule.POSITIVE_INTEGER,
            "seed", NumberRule.NON_NEGATIVE_INTEGER, "split", NumberRule.FRACTION);

    /** The rule of a numeric setting. */
    public static NumberRule rule(String key) {
        NumberRule rule = NUMBERS.get(key);
        if (rule == null) throw new IllegalArgumentException("internal: " + key + " is not a numeric setting");
        return rule;
    }

    /** Validation data and a split below 1 both say what to validate on: only one may be given. */
    public static boolean conflict(boolean validation, double split) { return validation && split < 1; }

    /** A schedule other than constant varies the learning rate: the optimizer must have one. */
    public static boolean scheduleNeedsRate(List<String> hyperparameters) {
        return hyperparameters.stream().noneMatch(dev.nnc.ir.OptimizerIr.RATE_NAMES::contains);
    }

    public static String scheduleWithoutRate(String optimizer) {
        return optimizer + " has no learning rate (a hyperparameter named α, η or lr) for a schedule to vary";
    }

    public static final String CONFLICT = "validation data and a split below 1 both say what to validate on; give one of them";
}
