package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The TextMate grammar (ide/textmate/nn.tmLanguage.json) through the engine VS Code uses, vscode-textmate with
 * vscode-oniguruma (ide/test/tokenize.mjs): over every sample and standard-library file, and ide/test/examples, every character that is
 * not white space gets a scope, none is the grammar's catch-all for foreign characters, and the tokens match the
 * golden listings. The two packages are installed by npm ci in ide/test when they are not there yet; skipped,
 * saying so, without Node.js or where they cannot be installed.
 */
class TextMateGrammarTest {
    @Test
    void everySampleAndStandardLibraryFileTokenizesAsItsGoldenListing() throws Exception {
        Path script = Repo.root().resolve("ide/test/tokenize.mjs");
        String node = NeovimTest.onPath("node");
        Assumptions.assumeTrue(node != null, "skipped: Node.js is not installed");
        String why = installed();
        Assumptions.assumeTrue(why == null, why);
        Path log = Files.createTempFile("tokenize", ".log");
        Process p = new ProcessBuilder(node, script.toString()).directory(Repo.root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tokenize.mjs did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("9 files tokenized; 0 problems"), out);
    }

    /**
     * Installs the two packages that ide/test/package-lock.json pins, once per clone, so that {@code mvn verify}
     * alone runs this test; null when they are there, else why they are not (no npm, no registry).
     */
    private static String installed() throws Exception {
        Path dir = Repo.root().resolve("ide/test");
        if (Files.isDirectory(dir.resolve("node_modules/vscode-textmate"))) return null;
        String npm = NeovimTest.onPath("npm");
        if (npm == null) return "skipped: ide/test/node_modules is not installed and there is no npm to install it (scripts/install-deps.sh)";
        Path log = Files.createTempFile("npm-ci", ".log");
        Process p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
        if (Files.isDirectory(dir.resolve("node_modules/vscode-textmate"))) return null;
        return "skipped: npm ci in ide/test failed (no registry?):\n" + Files.readString(log);
    }
}
