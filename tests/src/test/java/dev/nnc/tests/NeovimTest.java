package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Frontend;
import dev.nnc.source.SourceFile;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real editor talks to {@code nnc lsp}: headless Neovim (Debian's neovim, whose LSP client is built in; the script
 * tests/src/test/nvim/diagnostics.lua) opens a broken sample, starts the server and receives its diagnostics, which
 * must be the compiler's, at the compiler's places. Skipped, saying so, without nvim (scripts/install-deps.sh
 * installs it).
 */
class NeovimTest {
    /** A program on the PATH, or null. */
    static String onPath(String name) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!p.isEmpty() && Files.isExecutable(Path.of(p, name))) return Path.of(p, name).toString();
        }
        return null;
    }

    @Test
    void neovimReceivesTheDiagnosticsOfABrokenSample(@TempDir Path dir) throws Exception {
        String nvim = onPath("nvim");
        Assumptions.assumeTrue(nvim != null, "skipped: nvim is not installed (scripts/install-deps.sh installs Debian's neovim)");
        // the spirals sample with a misspelt activation and a wrong index range
        String text = Files.readString(Repo.root().resolve("samples/spirals.nn")).replace("tanh(", "tahn(");
        Path broken = dir.resolve("spirals.nn"), out = dir.resolve("diagnostics.txt"), log = dir.resolve("nvim.log");
        Files.writeString(broken, text);
        Files.copy(Repo.root().resolve("samples/data/spirals.csv"), Files.createDirectories(dir.resolve("data")).resolve("spirals.csv"));
        List<String> server = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.nnc.cli.Main", "lsp");
        var pb = new ProcessBuilder(nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c",
                "luafile " + Repo.root().resolve("tests/src/test/nvim/diagnostics.lua"), broken.toString()).directory(dir.toFile());
        pb.environment().put("NNC_LSP_CMD", json(server));
        pb.environment().put("NNC_OUT", out.toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString()); // nothing of the machine's own setup
        pb.environment().put("XDG_DATA_HOME", dir.resolve("data-home").toString());
        pb.environment().put("XDG_STATE_HOME", dir.resolve("state").toString());
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvim did not finish: " + Files.readString(log));
        assertTrue(Files.exists(out), "nvim wrote no diagnostics: " + Files.readString(log));
        List<String> got = Files.readAllLines(out, StandardCharsets.UTF_8);
        var want = Frontend.check(new SourceFile(broken.toString(), text)).diagnostics().sorted();
        assertEquals(want.size(), got.size(), String.join("\n", got));
        for (int k = 0; k < want.size(); k++) {
            String[] f = got.get(k).split(":", 8);
            var d = want.get(k);
            assertEquals(d.line() - 1, Integer.parseInt(f[0]), got.get(k));
            assertEquals(d.column() - 1, Integer.parseInt(f[1]), got.get(k)); // the line is ASCII before the name: columns agree
            assertEquals("1", f[4], "an error: " + got.get(k));
            assertEquals("nnc", f[5], got.get(k));
            assertEquals(d.key().id(), f[6], got.get(k));
            assertTrue(f[7].startsWith(d.message()), got.get(k));
        }
        assertTrue(got.get(0).contains("tahn"), got.toString());
        assertTrue(got.get(0).contains(" | hint: did you mean tanh"), "the hint comes along: " + got);
    }

    private static String json(List<String> list) {
        var b = new StringBuilder("[");
        for (String s : list) {
            if (b.length() > 1) b.append(',');
            b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return b.append(']').toString();
    }
}
