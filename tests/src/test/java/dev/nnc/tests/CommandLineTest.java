package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Main;
import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.RateSchedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * The command line's surface, generated from what the commands declare (picocli's model of them), so that an option
 * or a command added later is held to the same rules: every numeric option refuses what is not a finite number in
 * its range with one line that names it; every usage mistake is that line and where to read more; every command's
 * summary is a whole sentence.
 */
class CommandLineTest {
    static final Set<Class<?>> NUMERIC = Set.of(int.class, Integer.class, long.class, Long.class, double.class, Double.class,
            float.class, Float.class, short.class, Short.class);

    /** Never a number an option takes: not finite, too large for any, not a number, nothing. */
    static final List<String> NEVER = List.of("NaN", "Infinity", "-Infinity", "1e400", "abc", "", "0x10", "1d", "1,5");

    /** The options for which 0 is a value (seeds): every other numeric option wants at least 1 or more than 0. */
    static final Set<String> ZERO_IS_A_VALUE = Set.of("--seed");

    record NumericOption(String command, String name, Class<?> type) {}

    static List<NumericOption> numericOptions() {
        List<NumericOption> all = new ArrayList<>();
        var root = new CommandLine(new Main());
        for (var sub : root.getSubcommands().values()) {
            for (var option : sub.getCommandSpec().options()) {
                if (NUMERIC.contains(option.type())) all.add(new NumericOption(sub.getCommandName(), option.longestName(), option.type()));
            }
        }
        return all;
    }

    @Test
    void theNumericOptionsAreFound() {
        var names = numericOptions().stream().map(o -> o.command() + " " + o.name()).toList();
        for (String expected : List.of("train --lr", "train --epochs", "train --batch", "train --seed", "train --split", "gradcheck --seed",
                "gradcheck --batch", "gradcheck --elements", "gradcheck --tolerance", "build --lr")) {
            assertTrue(names.contains(expected), expected + " among " + names);
        }
    }

    /** The value as the message repeats it. */
    static String shown(String value) { return value.isBlank() ? "nothing" : value.strip(); }

    @TestFactory
    Stream<DynamicTest> everyNumericOptionRefusesWhatIsNotInItsRange() {
        return numericOptions().stream().map(o -> DynamicTest.dynamicTest(o.command() + " " + o.name(), () -> {
            boolean integer = Set.of(int.class, Integer.class, long.class, Long.class).contains(o.type());
            List<String> bad = new ArrayList<>(NEVER);
            bad.add("-1");
            if (!ZERO_IS_A_VALUE.contains(o.name())) bad.add("0");
            if (integer) bad.addAll(List.of("1.5", "99999999999999999999"));
            String expected = null;
            for (String value : bad) {
                var run = CliTest.nnc(o.command(), "no-such-file.nn", o.name(), value);
                String context = o.command() + " " + o.name() + " '" + value + "':\n" + run.err();
                assertEquals(2, run.status(), context);
                var lines = run.err().lines().toList();
                assertEquals(2, lines.size(), "one line and where to read more: " + context);
                var m = Pattern.compile("nnc: " + Pattern.quote(o.name()) + ": expected (.+), got " + Pattern.quote(shown(value))).matcher(lines.get(0));
                assertTrue(m.matches(), context);
                if (expected == null) expected = m.group(1);
                assertEquals(expected, m.group(1), "one rule for every value of " + o.name());
                assertEquals("try 'nnc " + o.command() + " --help'", lines.get(1), context);
                assertEquals("", run.out(), context);
            }
            assertTrue(expected.contains(integer ? "integer" : "number"), expected);
            // a good value passes the option and the command goes on, here to the missing file
            for (String good : ZERO_IS_A_VALUE.contains(o.name()) ? List.of("0", "12") : List.of("1", "+1", "1.0")) {
                var run = CliTest.nnc(o.command(), "no-such-file.nn", o.name(), good);
                assertEquals("nnc: cannot read no-such-file.nn: no such file\n", run.err(), o.name() + " " + good);
            }
        }));
    }

    /** The options whose value is a name with numbers, read by the rules of the train block's settings. */
    @Test
    void spelledValuesAreReadByTheSettingsRules() {
        String[][] cases = {
                {"--schedule", "step(0, 0.5)", "nnc: --schedule: the E of step(E, γ), the epochs between reductions, must be a positive integer, not 0"},
                {"--schedule", "step(5, 1e400)", "nnc: --schedule: the γ of step(E, γ), the factor of each reduction, must be a number in (0, 1], not 1e400"},
                {"--schedule", "cosine(NaN)", "nnc: --schedule: cannot read the schedule \"cosine(NaN)\": NaN is not a number; "
                        + RateSchedule.USAGE},
                {"--schedule", "linear", "nnc: --schedule: there is no schedule linear; " + RateSchedule.USAGE},
                {"--normalize", "scale(0)", "nnc: --normalize: the D of scale(D), the divisor, must be a finite number other than 0, not 0"},
                {"--normalize", "/Infinity", "nnc: --normalize: cannot read the normalization \"/Infinity\": Infinity is not a number; "
                        + Normalization.USAGE},
                {"--normalize", "", "nnc: --normalize: cannot read the normalization \"\"; " + Normalization.USAGE},
        };
        for (String[] c : cases) {
            var run = CliTest.nnc("train", "no-such-file.nn", c[0], c[1]);
            assertEquals(2, run.status(), run.err());
            assertEquals(List.of(c[2], "try 'nnc train --help'"), run.err().lines().toList());
        }
    }

    /** --optimizer is read against the program (its optimizers are the program's): after the file, by the same rules. */
    @Test
    void optimizerNumbersKeepTheHyperparameterRules() {
        String xor = CliTest.sample("xor.nn");
        String[][] cases = {
                {"adam(α = NaN)", "nnc: --optimizer: cannot read \"adam(α = NaN)\": α = NaN is not a number or NAME = number"},
                {"adam(α = 1e400)", "nnc: --optimizer: the hyperparameter α of adam must be a positive finite number, not 1e400"},
                {"momentum(0.1, 1e999)", "nnc: --optimizer: the hyperparameter β of momentum must be a finite number, not 1e999"},
                {"gd(-0.5)", "nnc: --optimizer: the hyperparameter α of gd must be a positive finite number, not -0.5"},
                {"gd(0)", "nnc: --optimizer: the hyperparameter α of gd must be a positive finite number, not 0"},
                {"adam(,)", "nnc: --optimizer: cannot read \"adam(,)\": a number is missing"},
                {"adamm", "nnc: --optimizer: there is no optimizer adamm; the optimizers are "},
        };
        for (String[] c : cases) {
            var run = CliTest.nnc("train", xor, "--optimizer", c[0], "--quiet");
            assertEquals(2, run.status(), run.err());
            var lines = run.err().lines().toList();
            assertEquals(2, lines.size(), run.err());
            assertTrue(lines.get(0).startsWith(c[1]), lines.get(0));
            assertEquals("try 'nnc train --help'", lines.get(1));
        }
    }

    @Test
    void usageMistakesAreOneLineAndWhereToReadMore() {
        String[][] cases = {
                {"nnc: unknown option --lrr; did you mean --lr?", "try 'nnc train --help'", "train", "x.nn", "--lrr", "0.1"},
                {"nnc: there is no command trian; did you mean train?", "try 'nnc --help'", "trian"},
                {"nnc: missing command, such as nnc check FILE", "try 'nnc --help'"},
                {"nnc: missing required parameter: 'FILE'", "try 'nnc train --help'", "train"},
                {"nnc: missing required option: '--input=FILE'", "try 'nnc predict --help'", "predict", "x.nn", "--weights", "w.safetensors"},
                {"nnc: unexpected argument extra.nn", "try 'nnc train --help'", "train", "x.nn", "extra.nn"},
                {"nnc: --init and --resume both set the weights; give one", "try 'nnc train --help'", "train", "x.nn", "--init", "a", "--resume", "b"},
                {"nnc: missing required parameter for option '--lr' (RATE)", "try 'nnc train --help'", "train", "x.nn", "--lr"},
        };
        for (String[] c : cases) {
            var run = CliTest.nnc(Arrays.copyOfRange(c, 2, c.length));
            assertEquals(2, run.status(), run.err());
            assertEquals(List.of(c[0], c[1]), run.err().lines().toList());
            assertFalse(run.err().contains("Usage:") || run.out().contains("Usage:"), run.err());
        }
    }

    /** What {@code nnc --help} lists for a command: its header, or else the first line of its description. */
    static String summary(CommandLine command) {
        var usage = command.getCommandSpec().usageMessage();
        String[] lines = usage.header().length > 0 ? usage.header() : usage.description();
        assertTrue(lines.length > 0, command.getCommandName() + " has no summary");
        return lines[0];
    }

    /** {@code nnc --help} lists each command with its summary, the first line of its description: a whole sentence. */
    @Test
    void everyCommandsSummaryIsAWholeSentence() {
        var root = new CommandLine(new Main());
        for (var sub : root.getSubcommands().values()) {
            String summary = summary(sub);
            assertTrue(Character.isUpperCase(summary.charAt(0)) && summary.endsWith("."), sub.getCommandName() + ": " + summary);
            assertEquals(summary.chars().filter(ch -> ch == '(').count(), summary.chars().filter(ch -> ch == ')').count(), summary);
        }
        var help = CliTest.nnc("--help");
        assertEquals(0, help.status());
        for (var sub : root.getSubcommands().values()) {
            String summary = summary(sub);
            String listed = help.out().replaceAll("\\s+", " ");
            assertTrue(listed.contains(sub.getCommandName() + " " + summary), summary + " in\n" + help.out());
        }
    }
}
