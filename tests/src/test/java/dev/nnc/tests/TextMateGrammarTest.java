package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.resolve.Builtins;
import dev.nnc.runtime.Primitive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
        assertTrue(out.contains("12 files tokenized; 0 problems"), out);
    }

    /**
     * The grammar colours a call of a library name as {@code support.function}: it must know every name the standard
     * library declares (functions, neurons, optimizers, aliases) and every primitive of {@link Primitive}, so a new
     * one is not silently left plain in editors.
     */
    @Test
    void theGrammarKnowsEveryLibraryAndPrimitiveName() throws Exception {
        String grammar = Files.readString(Repo.root().resolve("ide/textmate/nn.tmLanguage.json"));
        Matcher calls = Pattern.compile("\"match\": \"\\(\\?<!\\[[^\\]]*\\]\\)\\(([^)]*)\\)").matcher(grammar);
        Set<String> known = new TreeSet<>();
        while (calls.find()) if (calls.group(1).contains("|relu|")) known.addAll(List.of(calls.group(1).split("\\|")));
        assertTrue(known.size() > 30, "no list of library names in the grammar's calls: " + known);
        Set<String> names = new TreeSet<>();
        for (Primitive p : Primitive.values()) names.add(p.spelling);
        names.add(Builtins.PAD.name());
        try (Stream<Path> files = Files.list(Repo.root().resolve("stdlib"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".nn")).toList()) {
                Matcher m = Pattern.compile("(?m)^(?:fn|neuron|optimizer|alias)\\s+([^\\s(=]+)").matcher(Files.readString(f));
                while (m.find()) names.add(m.group(1));
            }
        }
        assertTrue(names.size() > 30, "too few names found: " + names);
        names.removeAll(known);
        assertEquals(Set.of(), names, "ide/textmate/nn.tmLanguage.json's calls do not list these library names");
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
