package dev.nnc.runtime.train;

import dev.nnc.runtime.data.Normalization;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The settings of a training, as a train block gives them or as the command line's options do; absent ones are
 * null. The one home of their names, their rules and their defaults: {@code nnc check} reports a setting that breaks
 * a rule at its place in the file, {@code nnc train} refuses an option that breaks the same rule before it reads
 * anything, and {@link #over} merges the options over the block. The rules of schedules and scalings are their own
 * classes' ({@link RateSchedule#of}, {@link Normalization#of}); those of a hyperparameter are the optimizer's.
 */
public record TrainSettings(List<Path> data, List<Path> validation, List<Path> test, Integer epochs, Integer batch,
                            Double split, Long seed, RateSchedule schedule, Normalization normalize) {
    public static final String DATA = "data", TEST = "test", VALIDATION = "validation", OPTIMIZER = "optimizer", BATCH = "batch",
            EPOCHS = "epochs", SPLIT = "split", SEED = "seed", SCHEDULE = "schedule", NORMALIZE = "normalize";

    /** Every setting a train block may have (language.md §12.1). */
    public static final List<String> KEYS = List.of(DATA, TEST, VALIDATION, OPTIMIZER, BATCH, EPOCHS, SPLIT, SEED, SCHEDULE, NORMALIZE);

    /** What a setting left out means. */
    public static final int DEFAULT_EPOCHS = 10, DEFAULT_BATCH = 32;
    public static final double DEFAULT_SPLIT = 1;
    public static final long DEFAULT_SEED = 0;

    /** None given. */
    public static final TrainSettings NONE = new TrainSettings(null, null, null, null, null, null, null, null, null);

    /** What each numeric setting, and the option of the same name, may be. */
    private static final Map<String, NumberRule> NUMBERS = Map.of(BATCH, NumberRule.POSITIVE_INTEGER, EPOCHS, NumberRule.POSITIVE_INTEGER,
            SEED, NumberRule.NON_NEGATIVE_INTEGER, SPLIT, NumberRule.FRACTION);

    /** The rule of a numeric setting. */
    public static NumberRule rule(String key) {
        NumberRule rule = NUMBERS.get(key);
        if (rule == null) throw new IllegalArgumentException("internal: " + key + " is not a numeric setting");
        return rule;
    }

    /** Validation data and a split below 1 both say what to validate on: only one may be given. */
    public static boolean conflict(boolean validation, double split) { return validation && split < 1; }

    public static final String CONFLICT = "validation data and a split below 1 both say what to validate on; give one of them";

    /** A schedule other than constant varies the learning rate: the optimizer must have one. */
    public static String scheduleWithoutRate(String optimizer) {
        return optimizer + " has no learning rate (a hyperparameter named α, η or lr) for a schedule to vary";
    }

    /** These settings, each where given, over {@code block}'s: what a training uses, with where each came from. */
    public Merged over(TrainSettings block) { return new Merged(this, block); }

    /**
     * A training's settings: the options' where given, else the train block's, else the defaults. The messages about
     * a setting name the option when it came from one.
     */
    public record Merged(TrainSettings options, TrainSettings block) {
        public int epochs() { return first(options.epochs, block.epochs, DEFAULT_EPOCHS); }

        public int batch() { return first(options.batch, block.batch, DEFAULT_BATCH); }

        public double split() { return first(options.split, block.split, DEFAULT_SPLIT); }

        /** The seed: the option's, else a resumed run's ({@code resumed}, or null), else the block's, else the default. */
        public long seed(Long resumed) { return first(options.seed, resumed != null ? resumed : block.seed, DEFAULT_SEED); }

        public RateSchedule schedule() { return first(options.schedule, block.schedule, new RateSchedule.Constant()); }

        /** The scaling asked for, or null for the data's default ({@link Normalization#defaultFor}). */
        public Normalization normalize() { return first(options.normalize, block.normalize, null); }

        public List<Path> data() { return first(options.data, block.data, List.of()); }

        public List<Path> validation() { return first(options.validation, block.validation, List.of()); }

        public List<Path> test() { return first(options.test, block.test, List.of()); }

        /** The split as a message names it: {@code --split 0.5}, or {@code split 0.5 in the train block}. */
        public String splitSource() {
            String plain = BigDecimal.valueOf(split()).stripTrailingZeros().toPlainString(); // 0.0001, as written
            return options.split != null ? "--split " + plain : "split " + plain + " in the train block";
        }

        /**
         * The mistakes of settings that come from both places (a block's own the checker has reported):
         *
         * @param optimizer the optimizer's name, and whether it has a learning rate a schedule can vary
         * @param nothing   what to say when no data is given at all
         * @throws IllegalArgumentException with the message, naming the option at fault (a usage mistake)
         */
        public void check(String optimizer, boolean hasRate, String nothing) {
            if (!(schedule() instanceof RateSchedule.Constant) && !hasRate) {
                throw new IllegalArgumentException((options.schedule != null ? "--schedule: " : "--optimizer: ") + scheduleWithoutRate(optimizer));
            }
            if (conflict(!validation().isEmpty(), split())) {
                throw new IllegalArgumentException((options.split != null ? "--split: " : options.validation != null ? "--validation: " : "") + CONFLICT);
            }
            if (data().isEmpty()) throw new IllegalArgumentException(nothing);
        }

        private static <T> T first(T option, T block, T otherwise) { return option != null ? option : block != null ? block : otherwise; }
    }
}
