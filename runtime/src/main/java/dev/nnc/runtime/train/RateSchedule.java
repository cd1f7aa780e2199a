package dev.nnc.runtime.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A learning-rate schedule: the factor the optimizer's α is multiplied by at each step. Spelled on the
 * command line and in a train block as {@code constant}, {@code step(EPOCHS, γ)} (α·γ^⌊epoch/EPOCHS⌋) or
 * {@code cosine} / {@code cosine(MIN)} (from α down to MIN·α along half a cosine over the whole run).
 */
public sealed interface RateSchedule {
    /** The factor for the step {@code step} (0-based) of {@code totalSteps}, taken in epoch {@code epoch} (0-based). */
    double factor(int epoch, long step, long totalSteps);

    String spelling();

    record Constant() implements RateSchedule {
        @Override public double factor(int epoch, long step, long totalSteps) { return 1; }

        @Override public String spelling() { return "constant"; }
    }

    record Step(int every, double gamma) implements RateSchedule {
        @Override public double factor(int epoch, long step, long totalSteps) { return Math.pow(gamma, epoch / every); }

        @Override public String spelling() { return "step(" + every + ", " + gamma + ")"; }
    }

    record Cosine(double floor) implements RateSchedule {
        @Override public double factor(int epoch, long step, long totalSteps) {
            double progress = totalSteps <= 1 ? 0 : (double) step / (totalSteps - 1);
            return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override public String spelling() { return floor == 0 ? "cosine" : "cosine(" + floor + ")"; }
    }

    /** The schedules there are, by name. */
    List<String> NAMES = List.of("constant", "step", "cosine");

    /** What a schedule can be, for a message or a hint. */
    String USAGE = "a schedule is constant, step(E, γ) such as step(5, 0.5), cosine, or cosine(MIN) such as cosine(0.01)";

    /**
     * The schedule {@code name(args)}, as a train block or {@code --schedule} spells it: the one place its rules
     * are kept, so that {@code nnc check} refuses what {@code nnc train} would.
     *
     * @throws IllegalArgumentException saying which number breaks which rule
     */
    static RateSchedule of(String name, List<Double> args) {
        return of(name, args, args.stream().map(NumberRule::show).toList());
    }

    /** @param shown each argument as the user wrote it, for the message */
    private static RateSchedule of(String name, List<Double> args, List<String> shown) {
        int[] arity = switch (name) {
            case "constant" -> new int[] {0, 0};
            case "step" -> new int[] {2, 2};
            case "cosine" -> new int[] {0, 1};
            default -> throw new IllegalArgumentException("there is no schedule " + name + "; " + USAGE);
        };
        if (args.size() < arity[0] || args.size() > arity[1]) {
            String form = switch (name) {
                case "constant" -> "takes no numbers";
                case "step" -> "takes two numbers, step(E, γ)";
                default -> "takes at most one number, cosine(MIN)";
            };
            throw new IllegalArgumentException(name + " " + form + ", not " + args.size());
        }
        return switch (name) {
            case "constant" -> new Constant();
            case "step" -> new Step((int) check("the E of step(E, γ), the epochs between reductions,", NumberRule.POSITIVE_INTEGER, args, shown, 0),
                    check("the γ of step(E, γ), the factor of each reduction,", NumberRule.FRACTION, args, shown, 1));
            default -> new Cosine(args.isEmpty() ? 0 : check("the MIN of cosine(MIN), a fraction of α,", NumberRule.UNIT_INTERVAL, args, shown, 0));
        };
    }

    private static double check(String what, NumberRule rule, List<Double> args, List<String> shown, int k) {
        double v = args.get(k);
        if (!rule.accepts(v)) throw new IllegalArgumentException(what + " must be " + rule.expected() + ", not " + shown.get(k));
        return v;
    }

    Pattern CALL = Pattern.compile("\\s*(\\w+)\\s*(?:\\(([^)]*)\\))?\\s*");

    /** {@code cosine}, {@code step(5, 0.5)}: what {@code --schedule} is given. */
    static RateSchedule parse(String text) {
        var m = CALL.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("cannot read the schedule \"" + text.strip() + "\"; " + USAGE);
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String[] parts = m.group(2) == null || m.group(2).isBlank() ? new String[0] : m.group(2).split(",", -1);
        var args = new ArrayList<Double>();
        var shown = new ArrayList<String>();
        for (String part : parts) {
            String p = part.strip();
            if (!NumberRule.decimal(p)) {
                throw new IllegalArgumentException("cannot read the schedule \"" + text.strip() + "\": " + (p.isEmpty() ? "a number is missing" : p + " is not a number") + "; " + USAGE);
            }
            args.add(Double.parseDouble(p));
            shown.add(p);
        }
        return of(name, args, shown);
    }
}
