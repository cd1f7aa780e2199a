package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.ast.AstEquality;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.driver.DeepStack;
import dev.nnc.driver.Frontend;
import dev.nnc.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random and mutated programs through the whole front end: only diagnostics may come out —
 * no exception, no hang — every diagnostic points inside its file and renders, and whatever still parses
 * still round-trips through the printer. Seeded, so a failure reproduces; the seed is in the message.
 */
class FrontEndFuzzTest {
    private static final long SEED = Long.getLong("nnc.fuzz.seed", 20261125L);
    private static final int MUTANTS = Integer.getInteger("nnc.fuzz.mutants", 4000);
    private static final int RANDOM = Integer.getInteger("nnc.fuzz.random", 1500);

    private static final String[] PIECES = {
        "network", "input", "target", "param", "output", "loss", "neuron", "layer", "fn", "optimizer", "state",
        "train", "import", "alias", "where", "with", "partial", "∂", "Σ", "Σᵢ", "Σ_j", "sum_k", "Σ_{i=1}^{n}",
        "sum_{", "}", "{", "(", ")", "[", "]", ",", ";", "=", "~", "←", "<-", "+", "-", "−", "·", "*", "×", "/",
        "^", "²", "⁻¹", "ᵗ", "ᵢ", "ⱼ", "₁", "₁₂", "√", "σ", "x", "y", "W", "b", "h1.w", "i", "j", "k", "0", "1",
        "3", "0.5", "1e-8", "1e400", "99999999999", "\"data.csv\"", "\"", "/*", "*/", "//", "\n", "\n\n", " ",
        "[x > 0]", "≤", "≠", "==", "relu", "softmax", "bce", "adam", "he", "normal(0, 1)", "α", "θ", "∂J/∂θ",
        "@", "#", "→", "'", "\t", "x[i]", "W[j,i]", "\u0000", "é", "λ", "π",
    };

    @Test
    void onlyDiagnosticsComeOut() {
        List<String> corpus = new ArrayList<>();
        for (Path p : ValidProgramsTest.programs()) corpus.add(read(p));
        for (Path p : GoldenDiagnosticsTest.cases()) corpus.add(read(p));
        var random = new Random(SEED);
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            for (int n = 0; n < MUTANTS; n++) {
                String base = corpus.get(random.nextInt(corpus.size()));
                String mutant = mutate(base, random), what = "mutant " + n;
                // as nnc runs the compiler: on a deep stack (the golden cases nest up to the parser's limit)
                DeepStack.call(() -> {
                    run(mutant, what);
                    return null;
                });
            }
            for (int n = 0; n < RANDOM; n++) {
                String noise = noise(random), what = "random program " + n;
                DeepStack.call(() -> {
                    run(noise, what);
                    return null;
                });
            }
        }, "the front end hung (seed " + SEED + ")");
    }

    private static void run(String text, String what) {
        var file = new SourceFile("fuzz.nn", text);
        long start = System.nanoTime();
        Frontend.Result result;
        try {
            result = Frontend.check(file);
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError("the front end threw on " + what + " (seed " + SEED + "):\n" + text, e);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 5_000, what + " took " + millis + " ms:\n" + text);
        for (Diagnostic d : result.diagnostics().sorted()) {
            var span = d.span();
            assertTrue(span.start() >= 0 && span.end() <= span.file().length(), "span outside the file: " + d.headline());
            assertTrue(d.line() >= 1 && d.column() >= 1, d.headline());
            DiagnosticPrinter.render(d);
        }
        var parseOnly = new Diagnostics();
        var program = Frontend.parse(file, parseOnly);
        if (parseOnly.hasErrors()) return;
        for (boolean ascii : new boolean[] {false, true}) {
            String printed = AstPrinter.print(program, ascii);
            var again = new Diagnostics();
            var reparsed = Frontend.parse(new SourceFile("printed.nn", printed), again);
            if (again.hasErrors()) {
                fail("the print of a program that parses does not parse (" + what + ", seed " + SEED + "):\n"
                        + text + "\n--- print ---\n" + printed + "\n--- errors ---\n" + again.sorted().get(0).headline());
            }
            assertNull(AstEquality.firstDifference(program, reparsed, "program"),
                    "round trip changed " + what + " (seed " + SEED + "):\n" + text + "\n--- print ---\n" + printed);
        }
    }

    private static String mutate(String text, Random random) {
        var s = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            at = safe(s, at);
            switch (random.nextInt(5)) {
                case 0 -> s.delete(at, safe(s, Math.min(s.length(), at + 1 + random.nextInt(12))));
                case 1 -> s.insert(at, PIECES[random.nextInt(PIECES.length)]);
                case 2 -> s.insert(at, " " + PIECES[random.nextInt(PIECES.length)] + " ");
                case 3 -> {
                    int to = safe(s, Math.min(s.length(), at + random.nextInt(40)));
                    s.insert(safe(s, random.nextInt(s.length() + 1)), s.substring(at, to));
                }
                default -> s.setLength(safe(s, at));
            }
        }
        return s.toString();
    }

    /** Never split a surrogate pair. */
    private static int safe(StringBuilder s, int at) {
        if (at > 0 && at < s.length() && Character.isLowSurrogate(s.charAt(at))) return at - 1;
        return at;
    }

    private static String noise(Random random) {
        var s = new StringBuilder();
        int n = random.nextInt(80);
        for (int i = 0; i < n; i++) s.append(PIECES[random.nextInt(PIECES.length)]).append(random.nextBoolean() ? " " : "");
        return s.toString();
    }

    private static String read(Path p) {
        try {
            return Frontend.read(p, p.toString()).text();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
