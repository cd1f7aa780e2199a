package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.data.Normalization;
import dev.nnc.runtime.train.RateSchedule;
import dev.nnc.runtime.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every setting of a train block with every kind of bad value: {@code nnc check} and {@code nnc train} give the one
 * located diagnostic, and the option of the same name is refused by the same rule, in the same words. What passes
 * {@code check} cannot fail in {@code train} for its settings.
 */
class TrainSettingsTest {
    @TempDir static Path dir;

    static final String NETWORK = """
            network Line {
              input  x
              target y
              param  w, b = 0
              out = w x + b
              output out
              loss J = mse(out, y)
            }

            train Line {
              data "d.csv"
            %s
            }
            """;

    /** The program with {@code setting} in its train block (line 12, from column 3), written anew. */
    static Path program(String name, String setting) throws Exception {
        Files.writeString(dir.resolve("d.csv"), "x,y\n1,2\n2,4\n3,6\n4,8\n");
        Path p = dir.resolve(name + ".nn");
        Files.writeString(p, NETWORK.formatted("  " + setting));
        return p;
    }

    /** check, then train, say the same first line, at the value's place; exit status 1. */
    static void bothSay(Path p, int column, String message) {
        bothSay(p, column, "bad-setting", message);
    }

    static void bothSay(Path p, int column, String key, String message) {
        String expected = p + ":12:" + column + ": error[" + key + "]: " + message;
        Path out = dir.resolve("out.safetensors");
        for (String command : List.of("check", "train")) {
            var run = command.equals("check") ? CliTest.nnc("check", p.toString()) : CliTest.nnc("train", p.toString(), "--quiet", "-o", out.toString());
            assertEquals(1, run.status(), command + ": " + run.err());
            assertEquals(expected, run.err().lines().findFirst().orElse(""), command);
            assertTrue(!Files.exists(out), "nothing written");
        }
    }

    /** The option of the setting's name, on a program whose block is good, says the rule in one line; exit status 2. */
    static void optionSays(String option, String value, String message, String... more) throws Exception {
        Path good = program("good", "epochs 1");
        Path out = dir.resolve("out.safetensors");
        var args = new ArrayList<>(List.of("train", good.toString(), option, value, "--quiet", "-o", out.toString()));
        args.addAll(List.of(more));
        var run = CliTest.nnc(args.toArray(String[]::new));
        assertTrue(!Files.exists(out), "nothing written");
        assertEquals(2, run.status(), run.err());
        assertEquals(List.of("nnc: " + option + ": " + message, "try 'nnc train --help'"), run.err().lines().toList());
    }

    /**
     * A setting's bad number, as written in the block, as a message would show it, and as typed as an option. A
     * value written that is not finite (1/0) is said as every constant that is not finite is (error[not-finite], with
     * the operation at fault: {@code notFinite}); the same typed as an option breaks the setting's rule.
     */
    record NumberCase(String key, String written, String shownInBlock, String typed, String notFinite) {
        NumberCase(String key, String written, String shownInBlock, String typed) { this(key, written, shownInBlock, typed, null); }
    }

    @TestFactory
    Stream<DynamicTest> numbers() {
        var cases = List.of(
                new NumberCase("batch", "0", "0", "0"), new NumberCase("batch", "-8", "-8", "-8"), new NumberCase("batch", "2.5", "2.5", "2.5"),
                new NumberCase("batch", "1/0", "Infinity", "Infinity", "1/0 divides by zero"),
                new NumberCase("batch", "0/0", "NaN", "NaN", "0/0 is undefined"),
                new NumberCase("batch", "2^40", "1099511627776", "1099511627776"),
                new NumberCase("epochs", "0", "0", "0"), new NumberCase("epochs", "-1", "-1", "-1"), new NumberCase("epochs", "0.5", "0.5", "0.5"),
                new NumberCase("epochs", "exp(1000)", "Infinity", "1e400", "exp(1000) overflows: exp is finite only up to exp(709.78)"),
                new NumberCase("seed", "-1", "-1", "-1"), new NumberCase("seed", "1.5", "1.5", "1.5"), new NumberCase("seed", "log(0)", "-Infinity", "-Infinity", "log(0) is −∞"),
                new NumberCase("seed", "2^64", "1.8446744073709552E19", "18446744073709551616"),
                new NumberCase("split", "0", "0", "0"), new NumberCase("split", "80", "80", "80"), new NumberCase("split", "-0.5", "-0.5", "-0.5"),
                new NumberCase("split", "sqrt(-1)", "NaN", "NaN", "sqrt(-1) is the square root of a negative number, which is undefined"), new NumberCase("split", "1.0001", "1.0001", "1.0001"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.key() + " " + c.written(), () -> {
            var rule = TrainSettings.rule(c.key());
            Path p = program(c.key(), c.key() + " " + c.written());
            if (c.notFinite() != null) {
                bothSay(p, 3 + c.key().length() + 1, "not-finite", c.key() + " is not a finite number: " + c.notFinite());
            } else {
                bothSay(p, 3 + c.key().length() + 1, c.key() + " must be " + rule.expected() + ", not " + c.shownInBlock());
            }
            optionSays("--" + c.key(), c.typed(), "expected " + rule.expected() + ", got " + c.typed());
        }));
    }

    /** A schedule or scaling with a bad number: the message is the one its own class gives (its rules' one home). */
    @TestFactory
    Stream<DynamicTest> spelledSettings() {
        record Case(String key, String block, String option, Supplier<Object> of) {}
        var cases = List.of(
                new Case("schedule", "step(0, 0.5)", "step(0, 0.5)", () -> RateSchedule.of("step", List.of(0.0, 0.5))),
                new Case("schedule", "step(2.5, 0.5)", "step(2.5, 0.5)", () -> RateSchedule.of("step", List.of(2.5, 0.5))),
                new Case("schedule", "step(5, 0)", "step(5, 0)", () -> RateSchedule.of("step", List.of(5.0, 0.0))),
                new Case("schedule", "step(5, 2)", "step(5, 2)", () -> RateSchedule.of("step", List.of(5.0, 2.0))),
                new Case("schedule", "step(5)", "step(5)", () -> RateSchedule.of("step", List.of(5.0))),
                new Case("schedule", "cosine(2)", "cosine(2)", () -> RateSchedule.of("cosine", List.of(2.0))),
                new Case("schedule", "cosine(-1)", "cosine(-1)", () -> RateSchedule.of("cosine", List.of(-1.0))),
                new Case("schedule", "constant(1)", "constant(1)", () -> RateSchedule.of("constant", List.of(1.0))),
                new Case("normalize", "scale(0)", "scale(0)", () -> Normalization.of("scale", List.of(0.0))),
                new Case("normalize", "scale()", "scale()", () -> Normalization.of("scale", List.of())),
                new Case("normalize", "minmax(1)", "minmax(1)", () -> Normalization.of("minmax", List.of(1.0))));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.key() + " " + c.block(), () -> {
            String message = assertThrows(IllegalArgumentException.class, c.of()::get).getMessage();
            bothSay(program(c.key(), c.key() + " " + c.block()), 3 + c.key().length() + 1, message);
            optionSays("--" + c.key(), c.option(), message);
        }));
    }

    @TestFactory
    Stream<DynamicTest> hyperparameters() {
        String[][] cases = { // the block's value, the number at fault as written, the message
                {"adam(α = 0)", "0", "the hyperparameter α of adam must be a positive finite number, not 0"},
                {"adam(α = -1)", "-1", "the hyperparameter α of adam must be a positive finite number, not -1"},
                {"gd(1/0)", "1/0", "the hyperparameter α is not a finite number: 1/0 divides by zero"},
                {"momentum(0.1, 0/0)", "0/0", "the hyperparameter β is not a finite number: 0/0 is undefined"}};
        return Stream.of(cases).map(c -> DynamicTest.dynamicTest("optimizer " + c[0], () -> {
            String setting = "optimizer " + c[0];
            // a value that is not finite is said as every such constant is; a finite one breaks the rule
            String key = c[2].contains("not a finite number") ? "not-finite" : "bad-setting";
            bothSay(program("opt", setting), ("  " + setting).indexOf(c[1]) + 1, key, c[2]);
        }));
    }

    /** Validation files and a split below 1 exclude each other, in a block as on the command line. */
    @Test
    void validationAndSplit() throws Exception {
        bothSay(program("both", "split 0.8\n  validation \"d.csv\""), 9, TrainSettings.CONFLICT);
        optionSays("--split", "0.8", TrainSettings.CONFLICT, "--validation", dir.resolve("d.csv").toString());
    }
}
