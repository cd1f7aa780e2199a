package dev.nnc.cli;

import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.NumberRule;
import dev.nnc.runtime.train.RateSchedule;
import dev.nnc.runtime.train.TrainSettings;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine;

/**
 * How the commands read the values of their options that are more than a name: every number (each kept to a
 * {@link NumberRule}; those an option shares with a train block's setting, to that setting's rule), schedules and
 * scalings. A value that breaks its rule is a {@link BadValue}, which {@link Main} prints as one line that names the
 * option: {@code nnc: --lr: expected a positive finite number, got NaN}.
 */
final class Options {
    private Options() {}

    /** A value its option cannot take; the message says why, without the option's name (the handler adds it). */
    static final class BadValue extends RuntimeException {
        BadValue(String message) { super(message, null, false, false); }
    }

    /** A number kept to a rule; the subclasses are what the options name as their converter. */
    abstract static class NumberOption<T> implements ITypeConverter<T> {
        final NumberRule rule;

        NumberOption(NumberRule rule) { this.rule = rule; }

        @Override public final T convert(String text) {
            try {
                return of(text);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new BadValue(rule.problem(text));
            }
        }

        abstract T of(String text);
    }

    abstract static class IntNumber extends NumberOption<Integer> {
        IntNumber(NumberRule rule) { super(rule); }

        @Override Integer of(String text) { return Math.toIntExact(rule.parseLong(text)); }
    }

    abstract static class LongNumber extends NumberOption<Long> {
        LongNumber(NumberRule rule) { super(rule); }

        @Override Long of(String text) { return rule.parseLong(text); }
    }

    abstract static class RealNumber extends NumberOption<Double> {
        RealNumber(NumberRule rule) { super(rule); }

        @Override Double of(String text) { return rule.parse(text); }
    }

    // the options that override a train block's setting keep the setting's rule
    static final class Epochs extends IntNumber { Epochs() { super(TrainSettings.rule(TrainSettings.EPOCHS)); } }
    static final class Batch extends IntNumber { Batch() { super(TrainSettings.rule(TrainSettings.BATCH)); } }
    static final class Seed extends LongNumber { Seed() { super(TrainSettings.rule(TrainSettings.SEED)); } }
    static final class Split extends RealNumber { Split() { super(TrainSettings.rule(TrainSettings.SPLIT)); } }
    /** --lr: what a learning-rate hyperparameter may be */
    static final class Rate extends RealNumber { Rate() { super(OptimizerIr.rule("α")); } }

    // the others
    static final class PositiveInteger extends IntNumber { PositiveInteger() { super(NumberRule.POSITIVE_INTEGER); } }
    static final class Positive extends RealNumber { Positive() { super(NumberRule.POSITIVE); } }

    /** --schedule, spelled as in a train block, by its rules ({@link RateSchedule#of}). */
    static final class ScheduleValue implements ITypeConverter<RateSchedule> {
        @Override public RateSchedule convert(String text) {
            try {
                return RateSchedule.parse(text);
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }
    }

    /** --normalize, spelled as in a train block (or /255), by its rules ({@link Normalization#of}). */
    static final class NormalizationValue implements ITypeConverter<Normalization> {
        @Override public Normalization convert(String text) {
            try {
                return Normalization.parse(text);
            } catch (IllegalArgumentException e) {
                throw new BadValue(e.getMessage());
            }
        }
    }

    /** --backend: a backend there is ({@link Backends#NAMES}). */
    static final class BackendName implements ITypeConverter<String> {
        @Override public String convert(String text) {
            if (!Backends.NAMES.contains(text)) throw new BadValue(Backends.noSuchBackend(shown(text)));
            return text;
        }
    }

    /** --precision: f32 or f64 ({@link Backends#precision}). */
    static final class PrecisionName implements ITypeConverter<String> {
        @Override public String convert(String text) {
            try {
                Backends.precision(text);
            } catch (Build.BadRequest e) {
                throw new BadValue(e.getMessage());
            }
            return text;
        }
    }

    private static String shown(String text) { return text.isBlank() ? "''" : text; }

    /** picocli's words for a value not among an enum's: {@code expected one of [ast, ir] (case-sensitive) but was 'x'}. */
    private static final Pattern NOT_ONE_OF =
            Pattern.compile("Invalid value for .*?: expected one of \\[(.*)\\] \\(case-sensitive\\) but was '(.*)'");

    /**
     * The one line a usage mistake gets, after {@code nnc: }: the option and what is wrong with its value, or
     * picocli's own words for the rest (an unknown option, a missing one), made to fit the line.
     */
    static String problem(CommandLine.ParameterException e) {
        Throwable cause = e.getCause();
        if (cause instanceof BadValue bad && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName() + ": " + bad.getMessage();
        }
        var m = NOT_ONE_OF.matcher(e.getMessage() == null ? "" : e.getMessage());
        if (e.getArgSpec() != null && m.matches()) {
            String name = e.getArgSpec() instanceof CommandLine.Model.OptionSpec o ? o.longestName() : e.getArgSpec().paramLabel();
            return name + ": expected one of " + m.group(1) + ", got " + shown(m.group(2));
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = shown(u.getUnmatched().get(0));
            var suggestions = u.getSuggestions();
            String what = first.startsWith("-") ? "unknown option " + first : "unexpected argument " + first;
            if (u.getCommandLine().getCommandSpec().subcommands().isEmpty() || first.startsWith("-")) {
                return what + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
            }
            return "there is no command " + first + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
        }
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
