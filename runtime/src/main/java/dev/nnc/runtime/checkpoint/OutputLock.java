package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.io.FileProblem;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A training's claim on its output: a lock on {@code .NAME.lock} beside the weights file, held while the training
 * writes it and removed at the end, so that a second training that would write the same file is refused at once
 * instead of both overwriting each other's checkpoints and both saying "weights written". The operating system
 * drops the lock when its process dies, however it dies, so a lock file a killed run left behind claims nothing.
 */
public final class OutputLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code target}. */
    public static Path lockFile(Path target) {
        return target.toAbsolutePath().resolveSibling("." + target.getFileName() + ".lock");
    }

    /**
     * Claims {@code target} for this process, or says that another process writes it. The lock file is removed
     * while still locked; a process that opened it just before then finds, once it has the lock, that the name no
     * longer leads to the file it locked, and tries again with a new one.
     */
    public static OutputLock acquire(Path target) throws FileProblem {
        Path file = lockFile(target);
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // this JVM holds it already
                }
                if (lock == null) {
                    channel.close();
                    throw new FileProblem(target, "write", "another training" + holder(file) + " is writing it (it holds the lock "
                            + file.getFileName() + "); wait until it ends, or give another -o");
                }
                if (sameFile(channel, file)) return new OutputLock(file, channel, lock);
                channel.close();
            } catch (FileProblem e) {
                throw e;
            } catch (IOException e) {
                closeQuietly(channel);
                throw FileProblem.writing(target, e);
            }
        }
        throw new FileProblem(target, "write", "its lock " + file.getFileName() + " keeps changing; is another training starting?");
    }

    /**
     * Whether the name still leads to the file this channel locked: the holder writes its own token into it and
     * reads it back through the name. Another process's token, or no file, means the name was taken over.
     */
    private static boolean sameFile(FileChannel channel, Path file) throws IOException {
        String token = ProcessHandle.current().pid() + " " + System.nanoTime() + "\n";
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(token.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 0);
        try {
            return Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).equals(token);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    /** The process that holds the lock, as it wrote itself into the file, if it has yet. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).split(" ", 2)[0].strip();
            return pid.matches("\\d{1,18}") ? " (process " + pid + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Removes the lock file and then lets the lock go. */
    @Override public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a lock file that cannot be removed claims nothing once unlocked
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // released with the channel anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written through it
        }
    }
}
