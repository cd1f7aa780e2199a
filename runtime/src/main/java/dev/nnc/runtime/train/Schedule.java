package dev.nnc.runtime.train;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A learning-rate schedule: the factor the optimizer's α is multiplied by at each step. Spelled on the
 * command line and in a train block as {@code constant}, {@code step(EPOCHS, γ)} (α·γ^⌊epoch/EPOCHS⌋) or
 * {@code cosine} / {@code cosine(MIN)} (from α down to MIN·α along half a cosine over the whole run).
 */
public sealed interface Schedule {
    /** The factor for the step {@code step} (0-based) of {@code totalSteps}, taken in epoch {@code epoch} (0-based). */
    double factor(int epoch, long step, long totalSteps);

    String spelling();

    record Constant() implements Schedule {
        @Override public double factor(int epoch, long step, long totalSteps) { return 1; }

        @Override public String spelling() { return "constant"; }
    }

    record Step(int every, double gamma) implements Schedule {
        @Override public double factor(int epoch, long step, long totalSteps) { return Math.pow(gamma, epoch / every); }

        @Override public String spelling() { return "step(" + every + ", " + gamma + ")"; }
    }

    record Cosine(double floor) implements Schedule {
        @Override public double factor(int epoch, long step, long totalSteps) {
            double progress = totalSteps <= 1 ? 0 : (double) step / (totalSteps - 1);
            return floor + (1 - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
        }

        @Override public String spelling() { return floor == 0 ? "cosine" : "cosine(" + floor + ")"; }
    }

    Pattern CALL = Pattern.compile("\\s*(\\w+)\\s*(?:\\(([^)]*)\\))?\\s*");

    static Schedule parse(String text) {
        var m = CALL.matcher(text);
        String usage = "a schedule is constant, step(EPOCHS, GAMMA) such as step(5, 0.5), or cosine or cosine(MIN) such as cosine(0.01)";
        if (!m.matches()) throw new IllegalArgumentException("cannot read the schedule \"" + text + "\": " + usage);
        String name = m.group(1).toLowerCase(Locale.ROOT);
        String[] args = m.group(2) == null || m.group(2).isBlank() ? new String[0] : m.group(2).split(",");
        try {
            return switch (name) {
                case "constant" -> {
                    if (args.length != 0) throw new IllegalArgumentException("constant takes no arguments");
                    yield new Constant();
                }
                case "step" -> {
                    if (args.length != 2) throw new IllegalArgumentException("step takes two arguments");
                    int every = Integer.parseInt(args[0].trim());
                    double gamma = Double.parseDouble(args[1].trim());
                    if (every < 1 || !(gamma > 0) || gamma > 1) throw new IllegalArgumentException("step needs EPOCHS ≥ 1 and 0 < GAMMA ≤ 1");
                    yield new Step(every, gamma);
                }
                case "cosine" -> {
                    if (args.length > 1) throw new IllegalArgumentException("cosine takes at most one argument");
                    double floor = args.length == 0 ? 0 : Double.parseDouble(args[0].trim());
                    if (!(floor >= 0) || floor > 1) throw new IllegalArgumentException("cosine's MIN is a fraction of α in [0, 1]");
                    yield new Cosine(floor);
                }
                default -> throw new IllegalArgumentException("there is no schedule " + name);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read the schedule \"" + text.trim() + "\": " + usage);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the schedule \"" + text.trim() + "\": " + e.getMessage() + "; " + usage);
        }
    }
}
