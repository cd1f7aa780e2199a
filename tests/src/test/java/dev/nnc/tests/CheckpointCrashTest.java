package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.checkpoint.Checkpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed (SIGKILL) while it writes a checkpoint leaves the previous checkpoint intact, and resuming
 * from it ends with exactly the parameters and optimizer state of a run that was never interrupted.
 */
class CheckpointCrashTest {
    static final int EPOCHS = 6, KILLED_AT = 4;

    @Test
    void killDuringCheckpointThenResumeEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        String xor = CliTest.sample("xor.nn");
        Path full = dir.resolve("full.safetensors"), crashed = dir.resolve("crashed.safetensors");
        var whole = CliTest.nnc("train", xor, "--epochs", Integer.toString(EPOCHS), "--quiet", "-o", full.toString());
        assertEquals(0, whole.status(), whole.err());

        // a second JVM trains the same run, and stalls halfway through writing epoch 4's checkpoint
        var java = ProcessHandle.current().info().command().orElse("java");
        var p = new ProcessBuilder(java, "-Dnnc.test.stallWrite=" + crashed + "@" + KILLED_AT, "-cp", System.getProperty("java.class.path"),
                "dev.nnc.cli.Main", "train", xor, "--epochs", Integer.toString(EPOCHS), "--quiet", "-o", crashed.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> stderr = new ArrayList<>();
        try (var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                stderr.add(line);
                if (line.startsWith("nnc: stalled writing")) break;
            }
            assertTrue(stderr.stream().anyMatch(l -> l.startsWith("nnc: stalled writing")), "the run never reached the checkpoint: " + stderr);
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(".crashed.safetensors.tmp-")),
                    "the half-written temporary file is there, beside the checkpoint");
        }

        var survivor = Checkpoint.read(crashed); // decodes: the previous checkpoint is whole
        assertEquals(Integer.toString(KILLED_AT - 1), survivor.meta(Checkpoint.EPOCH));
        var partial = CliTest.nnc("train", xor, "--epochs", Integer.toString(KILLED_AT - 1), "--quiet", "-o", dir.resolve("three.safetensors").toString());
        assertEquals(0, partial.status(), partial.err());
        assertSameTensors(Checkpoint.read(dir.resolve("three.safetensors")), survivor);

        var resumed = CliTest.nnc("train", xor, "--epochs", Integer.toString(EPOCHS), "--quiet", "--resume", crashed.toString());
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming at epoch " + KILLED_AT + " of " + EPOCHS), resumed.out());
        var end = Checkpoint.read(crashed);
        assertEquals(Integer.toString(EPOCHS), end.meta(Checkpoint.EPOCH));
        assertSameTensors(Checkpoint.read(full), end);
        assertEquals(Checkpoint.read(full).meta(Checkpoint.STEP), end.meta(Checkpoint.STEP));
    }

    /** Every tensor (parameters and optimizer state) bit for bit. */
    static void assertSameTensors(Checkpoint.Loaded want, Checkpoint.Loaded got) {
        assertEquals(want.contents().tensors().keySet(), got.contents().tensors().keySet());
        for (var e : want.contents().tensors().entrySet()) {
            assertArrayEquals(e.getValue().values(), got.contents().tensors().get(e.getKey()).values(), e.getKey());
        }
    }
}
