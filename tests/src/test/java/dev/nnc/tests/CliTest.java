package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The nnc command: exit status, streams, and no Java stack trace for a user's mistake. */
class CliTest {
    record Run(int status, String out, String err) {}

    static Run nnc(String... args) {
        var out = new StringWriter();
        var err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    static String sample(String name) { return Repo.root().resolve("samples").resolve(name).toString(); }

    @Test
    void checkingTheSamplesSucceeds() {
        var run = nnc("check", sample("seed.nn"), sample("mlp.nn"));
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("seed.nn: ok — network Seed, 28 parameters"), run.out());
        assertTrue(run.out().contains("mlp.nn: ok — network Mlp, 235,146 parameters"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void aWrongProgramExitsOneWithDiagnosticsAndNoStackTrace(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.nn");
        Files.writeString(bad, "network N {\n  input x[3]\n  target y\n  p = sigmoidd(x[1])\n  output p\n  loss J = bce(p, y)\n}\n");
        var run = nnc("check", bad.toString());
        assertEquals(1, run.status());
        assertTrue(run.err().contains(bad + ":4:7: error[undefined-function]: undefined function sigmoidd"), run.err());
        assertTrue(run.err().contains("  4 |   p = sigmoidd(x[1])\n    |       ^^^^^^^^\n"), run.err());
        assertTrue(run.err().contains("= hint: did you mean sigmoid?"), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @Test
    void warningsAloneExitZeroUnlessWerror(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("unused.nn");
        Files.writeString(file, "network N {\n  input x[3], extra\n  target y\n  p = σ(x[1])\n  output p\n  loss J = bce(p, y)\n}\n");
        var run = nnc("check", file.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("warning[unused]: the input extra is never used"), run.err());
        assertEquals(1, nnc("check", "--Werror", file.toString()).status());
    }

    @Test
    void usageMistakesExitTwo() {
        assertEquals(2, nnc("check").status());
        assertEquals(2, nnc("check", "--no-such-option", sample("seed.nn")).status());
        assertEquals(2, nnc("frobnicate").status());
        var missing = nnc("check", "no/such/file.nn");
        assertEquals(2, missing.status());
        assertEquals("nnc: cannot read no/such/file.nn: no such file\n", missing.err());
    }

    @Test
    void versionAndHelp() {
        var version = nnc("--version");
        assertEquals(0, version.status());
        assertTrue(version.out().startsWith("nnc 0."), version.out());
        var help = nnc("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("check") && help.out().contains("emit"), help.out());
    }

    @Test
    void emitAstPrintsUnicodeOrAscii() {
        var unicode = nnc("emit", "ast", sample("seed.nn"));
        assertEquals(0, unicode.status(), unicode.err());
        assertTrue(unicode.out().contains("n1 = σ(w11·x₁ + w21·x₂ + b1)"), unicode.out());
        var ascii = nnc("emit", "ast", "--ascii", sample("seed.nn"));
        assertEquals(0, ascii.status(), ascii.err());
        assertTrue(ascii.out().contains("n1 = sigma(w11*x[1] + w21*x[2] + b1)"), ascii.out());
        assertTrue(ascii.out().chars().allMatch(c -> c < 128), ascii.out());
    }
}
