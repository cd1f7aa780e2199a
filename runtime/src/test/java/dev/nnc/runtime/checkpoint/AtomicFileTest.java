package dev.nnc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.io.FileProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a file whole, saying which file and why when it cannot, and sweeping up what killed runs left. */
class AtomicFileTest {
    @TempDir Path dir;

    /** The id of a process that has ended. */
    static long deadPid() throws Exception {
        var p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assumeTrue(ProcessHandle.of(pid).isEmpty(), "the pid was reused at once");
        return pid;
    }

    @Test void aFailedWriteNamesTheTargetAndLeavesNothing() throws Exception {
        Path target = dir.resolve("nope/w.safetensors");
        var e = assertThrows(FileProblem.class, () -> AtomicFile.write(target, new byte[] {1}));
        assertEquals(target + ": cannot write: no such folder " + dir.resolve("nope"), e.getMessage());
        var d = assertThrows(FileProblem.class, () -> AtomicFile.write(dir, new byte[] {1}));
        assertEquals(dir + ": cannot write: it is a directory, not a file", d.getMessage());
        assertEquals(List.of(), Files.list(dir).toList());
    }

    @Test void staleTemporaryFilesOfDeadProcessesAreRemovedOthersKept() throws Exception {
        Path target = dir.resolve("w.safetensors");
        long dead = deadPid();
        var alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path stale = Files.write(dir.resolve(".w.safetensors.tmp-" + dead), new byte[1000]);
            Path running = Files.write(dir.resolve(".w.safetensors.tmp-" + alive.pid()), new byte[10]);
            Path mine = Files.write(dir.resolve(".w.safetensors.tmp-" + ProcessHandle.current().pid()), new byte[10]);
            Path notAPid = Files.write(dir.resolve(".w.safetensors.tmp-x1"), new byte[10]);
            Path otherTarget = Files.write(dir.resolve(".v.safetensors.tmp-" + dead), new byte[10]);
            assertEquals(List.of(stale), AtomicFile.cleanStale(target));
            for (Path p : List.of(running, mine, notAPid, otherTarget)) assertTrue(Files.exists(p), p + " is kept");

            Path stale2 = Files.write(dir.resolve(".w.safetensors.tmp-" + dead), new byte[1000]);
            Files.delete(mine);
            AtomicFile.write(target, new byte[] {7}); // the first write to a target sweeps beside it
            assertFalse(Files.exists(stale2));
            assertTrue(Files.exists(running));
            assertEquals(1, Files.size(target));
        } finally {
            alive.destroyForcibly();
        }
    }

    @Test void aDeviceIsWrittenThrough() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        AtomicFile.write(Path.of("/dev/null"), new byte[] {1, 2, 3});
    }
}
