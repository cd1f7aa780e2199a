package dev.nnc.tests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The machine's Java 17, the oldest Java a model jar runs on, found without JAVA_HOME (which the build points at
 * the JDK it compiles with): the {@code java} on PATH when it is 17 (as on a fresh Debian or Ubuntu machine), else
 * one installed where JDKs go ({@code /usr/lib/jvm}, {@code /usr/java}, {@code /opt}, SDKMAN's). Each candidate is
 * asked its version, so a name that says 17 is not taken on trust.
 */
final class Java17 {
    private Java17() {}

    private static Path found;

    /** Its {@code java}; fails, naming what it found instead, where the machine has none. */
    static synchronized Path java() {
        if (found != null) return found;
        Map<Path, String> versions = new LinkedHashMap<>();
        for (Path candidate : candidates()) {
            if (versions.containsKey(candidate)) continue;
            String version = version(candidate);
            versions.put(candidate, version);
            if (version.equals("17") || version.startsWith("17.")) return found = candidate;
        }
        var seen = new StringBuilder();
        versions.forEach((java, version) -> seen.append("\n  ").append(java).append(": ").append(version));
        throw new AssertionError("no Java 17 on this machine, and a model jar must run on Java 17: this test runs one on it. "
                + "Install one (scripts/install-deps.sh does: openjdk-17-jre-headless). Looked at the java on PATH and in "
                + "/usr/lib/jvm, /usr/java, /opt and ~/.sdkman/candidates/java" + (seen.isEmpty() ? "; found no java at all" : ":" + seen));
    }

    /** Every {@code java} to ask, the one on PATH first, each by its real path. */
    private static List<Path> candidates() {
        List<Path> all = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) if (!dir.isEmpty()) add(all, Path.of(dir, "java"));
        }
        List<Path> homes = new ArrayList<>();
        for (Path root : List.of(Path.of("/usr/lib/jvm"), Path.of("/usr/java"), Path.of("/opt"),
                Path.of(System.getProperty("user.home"), ".sdkman", "candidates", "java"))) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
                for (Path home : dirs) homes.add(home);
            } catch (IOException e) {
                // no such place here
            }
        }
        // the homes whose names say 17 first: asking each java its version takes a JVM's start
        homes.sort((a, b) -> Boolean.compare(!a.getFileName().toString().contains("17"), !b.getFileName().toString().contains("17")));
        for (Path home : homes) add(all, home.resolve("bin").resolve("java"));
        return all;
    }

    private static void add(List<Path> all, Path java) {
        if (!Files.isExecutable(java) || Files.isDirectory(java)) return;
        try {
            all.add(java.toRealPath());
        } catch (IOException e) {
            // a dangling link
        }
    }

    private static final Pattern VERSION = Pattern.compile("version \"([^\"]+)\"");

    /** What {@code java -version} says its version is ({@code 17.0.15}), or why it said none. */
    private static String version(Path java) {
        try {
            var p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true);
            p.environment().remove("JAVA_TOOL_OPTIONS");
            p.environment().remove("JDK_JAVA_OPTIONS");
            p.environment().remove("_JAVA_OPTIONS");
            Process process = p.start();
            byte[] said = process.getInputStream().readAllBytes(); // to its end: java -version prints a few lines and exits
            process.waitFor();
            var m = VERSION.matcher(new String(said, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "no version in what java -version said";
        } catch (IOException e) {
            return "cannot run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
