package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.checkpoint.OutputLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a training writes: checked before it starts, claimed while it runs, and what killed runs left swept away. */
class TrainOutputsTest {
    static CliTest.Run train(Path w, String... more) {
        var args = new ArrayList<>(List.of("train", CliTest.sample("xor.nn"), "--epochs", "2", "--quiet", "-o", w.toString()));
        args.addAll(List.of(more));
        return CliTest.nnc(args.toArray(String[]::new));
    }

    @Test
    void aSecondTrainingOfTheSameWeightsIsRefusedAndWritesNothing(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w.safetensors");
        try (var first = OutputLock.acquire(w)) {
            var second = train(w);
            assertEquals(1, second.status(), second.err());
            assertEquals("nnc: " + w + ": cannot write: another training (process " + ProcessHandle.current().pid()
                    + ") is writing it (it holds the lock .w.safetensors.lock); wait until it ends, or give another -o\n", second.err());
            assertEquals("", second.out(), "not a word of training");
            assertFalse(Files.exists(w));
        }
        var alone = train(w);
        assertEquals(0, alone.status(), alone.err());
        assertTrue(alone.out().contains("weights written to " + w), alone.out());
        assertEquals(List.of("w.safetensors"), Files.list(dir).map(p -> p.getFileName().toString()).toList(), "the lock file is gone");
    }

    @Test
    void temporaryFilesOfKilledRunsAreSweptWhenWeightsAreWritten(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w.safetensors");
        var ended = new ProcessBuilder("true").start();
        ended.waitFor();
        assumeTrue(ProcessHandle.of(ended.pid()).isEmpty());
        var running = new ProcessBuilder("sleep", "60").start();
        try {
            Path stale = Files.write(dir.resolve(".w.safetensors.tmp-" + ended.pid()), new byte[6_000_000]);
            Path live = Files.write(dir.resolve(".w.safetensors.tmp-" + running.pid()), new byte[10]);
            var run = train(w);
            assertEquals(0, run.status(), run.err());
            assertFalse(Files.exists(stale), "a dead run's temporary file is removed");
            assertTrue(Files.exists(live), "a running process's is kept");
        } finally {
            running.destroyForcibly();
        }
    }

    @Test
    void everyPathIsCheckedBeforeTheFirstEpoch(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w.safetensors");
        for (var c : List.of(
                List.of("--test", dir.resolve("no.csv").toString(), "nnc: " + dir.resolve("no.csv") + ": cannot read: no such file"),
                List.of("--plot", dir.resolve("no/p.png").toString(), "nnc: " + dir.resolve("no/p.png") + ": cannot write: no such folder " + dir.resolve("no")),
                List.of("--split", "1", "--validation", dir.toString(), "nnc: " + dir + ": cannot read: it is a directory, not a file"),
                List.of("--init", dir.resolve("i.safetensors").toString(), "nnc: " + dir.resolve("i.safetensors") + ": cannot read: no such file"))) {
            var run = train(w, c.subList(0, c.size() - 1).toArray(String[]::new));
            assertEquals(1, run.status(), run.err());
            assertEquals(c.get(c.size() - 1) + "\n", run.err());
            assertEquals("", run.out(), "nothing trained");
            assertEquals(List.of(), Files.list(dir).toList(), "nothing written");
        }
    }

    /**
     * The data is read while the model is made, but what is wrong with it is said where it always was: after the
     * weights to start from and the outputs, and the training data's mistake before the test data's.
     */
    @Test
    void theDataIsReadEarlyButItsMistakesAreSaidInTheirOldPlace(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w.safetensors");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "x1,x2,y\n0,oops,1\n"), missing = dir.resolve("no.csv");
        String badData = "nnc: " + bad + ":2:2: \"oops\" in column x2 is not a number";
        for (var c : List.of(
                List.of("--init", dir.resolve("i.safetensors").toString(), "nnc: " + dir.resolve("i.safetensors") + ": cannot read: no such file"),
                List.of("--plot", dir.resolve("no/p.png").toString(), "nnc: " + dir.resolve("no/p.png") + ": cannot write: no such folder " + dir.resolve("no")),
                List.of("--test", missing.toString(), badData))) {
            var args = new ArrayList<>(List.of("--data", bad.toString(), "--split", "1"));
            args.addAll(c.subList(0, c.size() - 1));
            var run = train(w, args.toArray(String[]::new));
            assertEquals(1, run.status(), run.err());
            assertEquals(c.get(c.size() - 1) + "\n", run.err());
            assertEquals("", run.out(), "nothing trained");
        }
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("nnc-data") && t.isAlive()).toList(),
                "no reader left running");
    }
}
