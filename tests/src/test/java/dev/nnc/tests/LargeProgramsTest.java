package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Programs far larger and deeper than people write, generated: every way an expression nests (brackets, calls,
 * signs, exponents, Σ, subscripts) just inside the parser's limit and far past it, sums of 50,000 terms, chains of
 * 5,000 equations, a 10 MB file. Each ends in a result — checked, trained, its predictions the values the
 * equations say — or in the one located diagnostic for nesting too deep; never a crash. (The language server is
 * given the same programs in LanguageServerTest; how the time grows is measured by bench/scaling.sh.)
 */
class LargeProgramsTest {
    /** The parser's limit (parse.Nesting.LIMIT): the levels a program may nest. */
    static final int LIMIT = 1000;

    /** A network around the equation for o, in which w = 0.5 and b = 0.25 are constants. */
    static String network(String equations) {
        return "network N {\n  input x[2]\n  target y\n  param w = 0.5\n  param b = 0.25\n" + equations
                + "  output o\n  loss J = mse(o, y)\n}\n";
    }

    /** The value of o nested n deep around v = w·x₁ + b. */
    interface Value {
        double at(int n, double v);
    }

    /** Each kind of nesting, n levels deep, as the equation for o, and the value it computes. */
    static Stream<Arguments> nestings() {
        Value same = (n, v) -> v;
        Value tanhs = (n, v) -> {
            for (int k = 0; k < n / 2; k++) v = Math.tanh(-v);
            return v;
        };
        return Stream.of(
                Arguments.of("brackets", (IntFunction<String>) n -> "(".repeat(n) + "w*x[1] + b" + ")".repeat(n), same),
                Arguments.of("signs", (IntFunction<String>) n -> "- ".repeat(2 * (n / 2)) + "(w*x[1] + b)", same),
                Arguments.of("exponents", (IntFunction<String>) n -> "(w*x[1] + b)" + "^1".repeat(n), same),
                Arguments.of("calls", (IntFunction<String>) n -> "abs(".repeat(n) + "w*x[1] + b" + ")".repeat(n), same),
                Arguments.of("activations and signs", (IntFunction<String>) n -> "tanh(-".repeat(n / 2) + "(w*x[1] + b)" + ")".repeat(n / 2), tanhs));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nestings")
    void nestingWithinTheLimitRunsAndPastItIsOneLocatedError(String kind, IntFunction<String> nest, Value value, @TempDir Path dir) throws Exception {
        Path data = data(dir);
        // just inside: checked, trained and predicted, the value the equation says
        Path inside = dir.resolve("inside.nn");
        int n = LIMIT - 10;
        Files.writeString(inside, network("  o = " + nest.apply(n) + "\n"));
        assertPredicts(inside, data, dir, value.at(n, 0.5 * 1 + 0.25), value.at(n, 0.5 * 2 + 0.25));
        // ten thousand levels: one located error, nothing else
        Path deep = dir.resolve("deep.nn");
        Files.writeString(deep, network("  o = " + nest.apply(10_000) + "\n"));
        for (String command : List.of("check", "explain", "train")) {
            var r = command.equals("train") ? CliTest.nnc("train", deep.toString(), "--data", data.toString(), "-o", dir.resolve("w.safetensors").toString())
                    : CliTest.nnc(command, deep.toString());
            assertEquals(1, r.status(), command + ": " + r.err());
            String first = r.err().lines().findFirst().orElse("");
            assertTrue(first.matches(Pattern.quote(deep.toString()) + ":6:\\d+: error\\[too-deep\\]: this expression nests more than 1000 levels deep"),
                    command + ": " + first);
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
        assertFalse(Files.exists(dir.resolve("w.safetensors")));
    }

    @Test
    void aSumOfFiftyThousandTermsTrainsAndPredictsItsValue(@TempDir Path dir) throws Exception {
        int n = 50_000;
        var body = new StringBuilder("  o = b");
        for (int k = 0; k < n; k++) body.append(k % 2 == 0 ? " + w*x[1]" : " - w*x[2]");
        Path p = dir.resolve("sum.nn");
        Files.writeString(p, network(body + "\n"));
        // x = (1, 2): b + 25,000·(0.5·1 - 0.5·2); x = (2, 3): b + 25,000·(1 - 1.5)
        assertPredicts(p, data(dir), dir, 0.25 + 25_000 * (0.5 - 1.0), 0.25 + 25_000 * (1.0 - 1.5));
    }

    @Test
    void aChainOfFiveThousandEquationsTrainsAndPredictsItsValue(@TempDir Path dir) throws Exception {
        int n = 5_000;
        var body = new StringBuilder("  a0 = w*x[1] + b\n");
        for (int k = 1; k < n; k++) body.append("  a").append(k).append(" = a").append(k - 1).append(k % 2 == 0 ? " + 1\n" : " * 1\n");
        body.append("  o = a").append(n - 1).append('\n');
        Path p = dir.resolve("chain.nn");
        Files.writeString(p, network(body.toString()));
        assertPredicts(p, data(dir), dir, 0.75 + (n - 1) / 2, 1.25 + (n - 1) / 2);
    }

    @Test
    void aTenMegabyteProgramChecks(@TempDir Path dir) throws Exception {
        var body = new StringBuilder("  a0 = w*x[1] + b\n");
        int k = 0;
        while (body.length() < 10_000_000) {
            k++;
            body.append("  a").append(k).append(" = (a").append(k - 1).append(" + w*x[2]) * 0.5 - tanh(a").append(k - 1)
                    .append(" * w) * 0.001 + b * b * 0.25 - 0.0625 * (b + b) * (b + b)\n");
        }
        body.append("  o = a").append(k).append('\n');
        Path p = dir.resolve("big.nn");
        Files.writeString(p, network(body.toString()));
        assertTrue(Files.size(p) >= 10_000_000);
        var r = CliTest.nnc("check", p.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("ok — network N, 2 parameters"), r.out());
    }

    @Test
    void aNetworkTooLargeForOneJvmClassTrainsOnTheInterpreterSayingSo(@TempDir Path dir) throws Exception {
        var body = new StringBuilder("  a0 = w*x[1] + b\n");
        int n = 50_000;
        for (int k = 1; k < n; k++) {
            body.append("  a").append(k).append(" = (a").append(k - 1).append(" + w*x[2]) * 0.5 - tanh(a").append(k - 1)
                    .append(" * w) * 0.001 + b * b * 0.25 - 0.0625 * (b + b)\n");
        }
        body.append("  o = a").append(n - 1).append('\n');
        Path p = dir.resolve("huge.nn"), weights = dir.resolve("huge.safetensors");
        Files.writeString(p, network(body.toString()));
        var train = CliTest.nnc("train", p.toString(), "--data", data(dir).toString(), "--epochs", "1", "--quiet", "-o", weights.toString());
        assertEquals(0, train.status(), train.err());
        assertTrue(train.err().startsWith("nnc: note: N is too large for the JVM backend: its class would pass a JVM class's limits"
                + " (65,535 constants, 64 KiB of code a method); the reference interpreter runs it (--backend interp, f64)"), train.err());
        assertTrue(Files.exists(weights));
        var predict = CliTest.nnc("predict", p.toString(), "--weights", weights.toString(), "--input", data(dir).toString());
        assertEquals(0, predict.status(), predict.err());
        for (String row : predict.out().lines().skip(1).toList()) assertTrue(Double.isFinite(Double.parseDouble(row)), predict.out());
    }

    /** Trains one epoch at a rate too small to move w or b in float32, then predicts: o for x = (1, 2) and x = (2, 3). */
    static void assertPredicts(Path program, Path data, Path dir, double first, double second) {
        Path weights = dir.resolve(program.getFileName() + ".safetensors");
        var check = CliTest.nnc("check", program.toString());
        assertEquals(0, check.status(), check.err());
        var train = CliTest.nnc("train", program.toString(), "--data", data.toString(), "--epochs", "1", "--lr", "1e-300", "--quiet",
                "-o", weights.toString());
        assertEquals(0, train.status(), train.err());
        var predict = CliTest.nnc("predict", program.toString(), "--weights", weights.toString(), "--input", data.toString());
        assertEquals(0, predict.status(), predict.err());
        List<String> rows = predict.out().lines().toList();
        assertEquals(first, Double.parseDouble(rows.get(1).split(",")[0]), Math.abs(first) * 1e-5 + 1e-5, predict.out());
        assertEquals(second, Double.parseDouble(rows.get(2).split(",")[0]), Math.abs(second) * 1e-5 + 1e-5, predict.out());
    }

    static Path data(Path dir) throws IOException {
        Path data = dir.resolve("data.csv");
        Files.writeString(data, "x1,x2,y\n1,2,3\n2,3,4\n");
        return data;
    }
}
