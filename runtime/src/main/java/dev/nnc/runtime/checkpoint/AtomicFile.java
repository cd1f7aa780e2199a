package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.io.FileProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces a file so that a crash at any moment leaves either the old file or the new one, never a mix:
 * the bytes go to a temporary file beside it, which is forced to disk and then renamed over the target
 * (rename is atomic within a directory on POSIX file systems); the directory is forced too, so the
 * rename itself survives a power cut.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * A hook for the crash test only: the system property {@code nnc.test.stallWrite=FILE@N} makes the N-th
     * write to FILE stop halfway through its temporary file, say so on standard error and wait to be killed.
     */
    private static final String STALL = System.getProperty("nnc.test.stallWrite");
    private static int writes;

    /**
     * Writes {@code bytes} as the file {@code target}. A failure is a {@link FileProblem} naming the target and the
     * reason (no such folder, permission denied, the disk full), and leaves the target as it was and no temporary
     * file behind. A target that exists and is not a plain file (a pipe, {@code /dev/null}) is written straight
     * through: there is nothing there to replace.
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
            try {
                Files.write(target, bytes);
                return;
            } catch (IOException e) {
                throw FileProblem.writing(target, e);
            }
        }
        if (Files.isDirectory(target)) throw new FileProblem(target, "write", "it is a directory, not a file");
        Path dir = target.toAbsolutePath().getParent();
        cleanOnce(target);
        Path tmp = temporary(target, ProcessHandle.current().pid());
        try {
            try (var ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                var buffer = ByteBuffer.wrap(bytes);
                if (STALL != null && stallNow(target)) stall(ch, buffer);
                while (buffer.hasRemaining()) ch.write(buffer);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the folder refused the file in the first place; there is nothing to remove
            }
            if (e instanceof IOException io) throw FileProblem.writing(target, io);
            throw (RuntimeException) e;
        }
        try (var d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory for reading; the rename is still atomic there
        }
    }

    /** The temporary file of process {@code pid} for {@code target}: {@code .NAME.tmp-PID} beside it. */
    static Path temporary(Path target, long pid) {
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".tmp-" + pid);
    }

    private static final Set<Path> CLEANED = ConcurrentHashMap.newKeySet();

    private static void cleanOnce(Path target) {
        if (CLEANED.add(target.toAbsolutePath().normalize())) cleanStale(target);
    }

    /**
     * Removes the temporary files that processes which no longer run left beside {@code target} (a run killed in
     * the middle of a write leaves its {@code .NAME.tmp-PID}, as large as the file). A process that still runs
     * may be writing its own, so those stay; so does anything whose name does not end in a process id.
     *
     * @return the files removed
     */
    public static List<Path> cleanStale(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        String prefix = "." + target.getFileName() + ".tmp-";
        var removed = new ArrayList<Path>();
        try (var entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : entries) {
                String pid = p.getFileName().toString().substring(prefix.length());
                if (pid.isEmpty() || pid.length() > 18 || !pid.chars().allMatch(Character::isDigit)) continue;
                long id = Long.parseLong(pid);
                if (id == ProcessHandle.current().pid() || ProcessHandle.of(id).isPresent() || !Files.isRegularFile(p)) continue;
                try {
                    Files.deleteIfExists(p);
                    removed.add(p);
                } catch (IOException ignored) {
                    // not ours to remove after all (another user's folder): leave it
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // an unreadable folder: the write itself will say what is wrong
        }
        return removed;
    }

    private static synchronized boolean stallNow(Path target) {
        int at = STALL.lastIndexOf('@');
        if (!Path.of(STALL.substring(0, at)).toAbsolutePath().equals(target.toAbsolutePath())) return false;
        return ++writes == Integer.parseInt(STALL.substring(at + 1));
    }

    private static void stall(FileChannel ch, ByteBuffer buffer) throws IOException {
        buffer.limit(buffer.capacity() / 2);
        while (buffer.hasRemaining()) ch.write(buffer);
        ch.force(true);
        System.err.println("nnc: stalled writing " + STALL);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stalled for a test", e);
            }
        }
    }
}
