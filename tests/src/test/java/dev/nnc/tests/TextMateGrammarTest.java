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
 * vscode-oniguruma (ide/test/tokenize.mjs): over every sample and standard-library file every character that is
 * not white space gets a scope, none is the grammar's catch-all for foreign characters, and the tokens match the
 * golden listings. Skipped, saying so, without Node.js or without the two packages (scripts/install-deps.sh runs
 * npm ci in ide/test).
 */
class TextMateGrammarTest {
    @Test
    void everySampleAndStandardLibraryFileTokenizesAsItsGoldenListing() throws Exception {
        Path script = Repo.root().resolve("ide/test/tokenize.mjs");
        Assumptions.assumeTrue(Files.isDirectory(Repo.root().resolve("ide/test/node_modules/vscode-textmate")),
                "skipped: ide/test/node_modules is not installed (npm ci --prefix ide/test; scripts/install-deps.sh does it)");
        String node = NeovimTest.onPath("node");
        Assumptions.assumeTrue(node != null, "skipped: Node.js is not installed");
        Path log = Files.createTempFile("tokenize", ".log");
        Process p = new ProcessBuilder(node, script.toString()).directory(Repo.root().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tokenize.mjs did not finish");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("8 files tokenized; 0 problems"), out);
    }
}
