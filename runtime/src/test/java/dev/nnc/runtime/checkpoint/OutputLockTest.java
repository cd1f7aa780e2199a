package dev.nnc.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.io.FileProblem;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two trainings writing one file: the second is refused, naming the file and that another training writes it. */
class OutputLockTest {
    @TempDir Path dir;

    @Test void aSecondClaimIsRefusedAndTheLockFileGoesAtTheEnd() throws Exception {
        Path w = dir.resolve("w.safetensors");
        try (var first = OutputLock.acquire(w)) {
            assertTrue(Files.exists(dir.resolve(".w.safetensors.lock")));
            var e = assertThrows(FileProblem.class, () -> OutputLock.acquire(w));
            assertEquals(w + ": cannot write: another training (process " + ProcessHandle.current().pid()
                    + ") is writing it (it holds the lock .w.safetensors.lock); wait until it ends, or give another -o", e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve(".w.safetensors.lock")), "removed at the end");
        try (var again = OutputLock.acquire(w)) {
            assertTrue(Files.exists(dir.resolve(".w.safetensors.lock")));
        }
    }

    @Test void aLockFileAKilledRunLeftClaimsNothing() throws Exception {
        Path w = dir.resolve("w.safetensors");
        Files.writeString(dir.resolve(".w.safetensors.lock"), "12345 0\n");
        try (var claim = OutputLock.acquire(w)) {
            // (not read back here: closing a second descriptor of the file would drop this process's lock)
            assertEquals(Long.toString(ProcessHandle.current().pid()).length() + 1, Files.size(dir.resolve(".w.safetensors.lock")));
        }
        assertFalse(Files.exists(dir.resolve(".w.safetensors.lock")));
    }

    @Test void anotherProcessHoldingTheLockIsNamedAndItsDeathFreesIt() throws Exception {
        Path w = dir.resolve("w.safetensors");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), w.toString())
                .redirectErrorStream(true).start();
        try {
            var lines = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertEquals("held", lines.readLine());
            var e = assertThrows(FileProblem.class, () -> OutputLock.acquire(w));
            assertEquals(w + ": cannot write: another training (process " + holder.pid()
                    + ") is writing it (it holds the lock .w.safetensors.lock); wait until it ends, or give another -o", e.getMessage());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        try (var claim = OutputLock.acquire(w)) { // a kill -9 leaves the file, but the lock died with the process
            assertTrue(Files.exists(dir.resolve(".w.safetensors.lock")));
        }
    }

    /** Holds the lock of its argument until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            var lock = OutputLock.acquire(Path.of(args[0]));
            System.out.println("held");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }
}
