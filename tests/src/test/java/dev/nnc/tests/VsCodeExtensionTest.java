package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The VS Code extension: ide/vscode/package.sh builds its .vsix offline, with the manifest VS Code reads and the
 * grammar of ide/textmate; its language-server client (connection.js, plain Node.js) gets the compiler's
 * diagnostics and a hover from {@code nnc lsp} and shuts the server down cleanly.
 */
class VsCodeExtensionTest {
    static Run run(Path dir, List<String> command) throws Exception {
        Path log = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(command).directory(Repo.root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    record Run(int status, String out) {}

    @Test
    void theVsixBuildsOfflineWithTheGrammarAndAManifest(@TempDir Path dir) throws Exception {
        var build = run(dir, List.of("bash", Repo.root().resolve("ide/vscode/package.sh").toString(), dir.toString()));
        assertEquals(0, build.status(), build.out());
        Path vsix = dir.resolve("nnc-0.1.0.vsix");
        try (var zip = new ZipFile(vsix.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> names.add(e.getName()));
            for (String want : List.of("[Content_Types].xml", "extension.vsixmanifest", "extension/package.json", "extension/extension.js",
                    "extension/connection.js", "extension/syntaxes/nn.tmLanguage.json", "extension/language-configuration.json",
                    "extension/snippets/nn.json")) {
                assertTrue(names.contains(want), want + " in " + names);
            }
            var manifest = DocumentBuilderFactory.newDefaultNSInstance().newDocumentBuilder().parse(zip.getInputStream(zip.getEntry("extension.vsixmanifest")));
            var identity = (Element) manifest.getElementsByTagName("Identity").item(0);
            assertEquals("nnc", identity.getAttribute("Id"));
            assertEquals("0.1.0", identity.getAttribute("Version"));
            assertEquals(new String(Files.readAllBytes(Repo.root().resolve("ide/textmate/nn.tmLanguage.json")), StandardCharsets.UTF_8),
                    new String(zip.getInputStream(zip.getEntry("extension/syntaxes/nn.tmLanguage.json")).readAllBytes(), StandardCharsets.UTF_8));
            String snippets = new String(zip.getInputStream(zip.getEntry("extension/snippets/nn.json")).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(snippets.contains("\"prefix\": \"\\\\sigma\"") && snippets.contains("\"body\": \"σ\""), snippets);
        }
        // the same bytes from the same sources
        Path again = Files.createDirectories(dir.resolve("again"));
        assertEquals(0, run(dir, List.of("bash", Repo.root().resolve("ide/vscode/package.sh").toString(), again.toString())).status());
        assertEquals(Files.mismatch(vsix, again.resolve("nnc-0.1.0.vsix")), -1L, "the .vsix is reproducible");
        var factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // the plist DTD is Apple's, online
        var plist = factory.newDocumentBuilder().parse(dir.resolve("sublime/nn.tmLanguage").toFile());
        assertEquals("plist", plist.getDocumentElement().getTagName());
    }

    @Test
    void theExtensionsClientTalksToTheLanguageServer(@TempDir Path dir) throws Exception {
        String node = NeovimTest.onPath("node");
        Assumptions.assumeTrue(node != null, "skipped: Node.js is not installed");
        Path broken = dir.resolve("xor.nn");
        Files.writeString(broken, Files.readString(Repo.root().resolve("samples/xor.nn")).replace("= tanh(", "= tahn("));
        List<String> command = new ArrayList<>(List.of(node, Repo.root().resolve("ide/test/connection.test.mjs").toString(), broken.toString(),
                "10", "9", Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "dev.nnc.cli.Main", "lsp"));
        var r = run(dir, command);
        assertEquals(0, r.status(), r.out());
        List<String> lines = r.out().lines().filter(l -> l.startsWith("{")).toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).contains("\"code\":\"undefined-function\"") && lines.get(0).contains("tahn"), lines.get(0));
        assertTrue(lines.get(0).contains("\"start\":{\"line\":4,"), "line 5, where tahn is: " + lines.get(0));
        assertTrue(lines.get(1).contains("`x` — input of Xor, shape [2]"), lines.get(1));
        assertEquals("{\"exit\":0}", lines.get(2), "shutdown then exit: status 0");
    }
}
