package dev.nnc.runtime.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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

    public static void write(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (var ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = ByteBuffer.wrap(bytes);
            if (STALL != null && stallNow(target)) stall(ch, buffer);
            while (buffer.hasRemaining()) ch.write(buffer);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (var d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot open a directory for reading; the rename is still atomic there
        }
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
