package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nnc's command line in a JVM of its own, started as ./nnc starts it (the Vector API's module added), with JVM flags
 * besides: for what a test cannot see from inside its own JVM — the JIT's work, a property read once at start, a whole
 * run's output.
 */
final class FreshJvm {
    private FreshJvm() {}

    /** Runs {@code nnc args…} in {@code dir}; its standard output and error together, once it has exited with 0. */
    static String nnc(Path dir, List<String> jvmFlags, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.nnc.cli.Main"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "nnc", ".log");
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "nnc " + String.join(" ", args) + " did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
