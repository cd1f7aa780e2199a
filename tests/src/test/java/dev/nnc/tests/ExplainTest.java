package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ir.IrPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc explain} as a command: what it does with a broken file and with its options. What it prints for the
 * samples and other programs, read and checked by hand, is in the behaviour suite (tests/behaviour/explain/,
 * tests/behaviour/stability/).
 */
class ExplainTest {
    /** The command prints what the behaviour suite expects of the library call, for each option it has. */
    @Test
    void theCommandPrintsWhatTheSuiteExpects() throws Exception {
        var c = Behaviour.parse(Files.readAllLines(Repo.root().resolve("tests/behaviour/explain/seed.nn")));
        String file = CliTest.sample("seed.nn");
        for (var e : c.expectations()) {
            var x = (Behaviour.Explain) e.check();
            var args = new ArrayList<>(List.of("explain", file));
            if (x.notes()) args.add("--notes");
            if (x.style() == IrPrinter.Style.LATEX) args.add("--latex");
            var run = CliTest.nnc(args.toArray(String[]::new));
            assertEquals(0, run.status(), run.err());
            assertEquals(Behaviour.expected(e), run.out().replace(file, "samples/seed.nn"), e.written());
        }
    }

    @Test
    void aBrokenFileGivesDiagnosticsNotAnExplanation(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.nn");
        Files.writeString(bad, "network N {\n  input x[3]\n  target y\n  p = sigmoidd(x[1])\n  output p\n  loss J = bce(p, y)\n}\n");
        var run = CliTest.nnc("explain", bad.toString());
        assertEquals(1, run.status());
        assertEquals("", run.out());
        assertTrue(run.err().contains("undefined function sigmoidd"), run.err());
    }

    @Test
    void rewritesCanBeTurnedOffByName() {
        var run = CliTest.nnc("explain", CliTest.sample("seed.nn"), "--no-rewrite", "sigmoid-bce", "--notes");
        assertEquals(0, run.status(), run.err());
        assertTrue(!run.out().contains("sigmoid-bce"), run.out());
        // without the fusion, bce's derivative meets σ′ on the way down; log σ is still rewritten
        assertTrue(run.out().contains("log-sigmoid"), run.out());
        var unknown = CliTest.nnc("explain", CliTest.sample("seed.nn"), "--no-rewrite", "sigmoid-bse");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--no-rewrite: there is no rewrite sigmoid-bse"), unknown.err());
    }
}
