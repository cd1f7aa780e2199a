package dev.nnc.runtime.checkpoint;

import dev.nnc.runtime.io.FileProblem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A training's claim on its output: a lock on {@code .NAME.lock} beside the weights file, held while the training
 * writes it and removed at the end, so that a second training that would write the same file is refused at once
 * instead of both overwriting each other's checkpoints and both saying "weights written". The operating system
 * drops the lock when its process dies, however it dies, so a lock file a killed run left behind claims nothing.
 *
 * <p>The lock is a POSIX record lock (what {@link FileChannel#tryLock} takes on Unix), which a process loses when it
 * closes <em>any</em> descriptor of the file: so the holder never opens the lock file a second time, and a claim
 * within this JVM is refused from a table, without opening the file at all.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock files this JVM holds. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

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
        return target.toAbsolutePath().normalize().resolveSibling("." + target.getFileName() + ".lock");
    }

    /**
     * Claims {@code target} for this process, or says that another training writes it. The holder removes the lock
     * file while it still holds the lock; a process that opened the file just before then gets a lock on a file that
     * no longer has the name, which it notices (the name leads elsewhere, or nowhere) and tries again.
     */
    public static OutputLock acquire(Path target) throws FileProblem {
        Path file = lockFile(target);
        if (HELD.contains(file)) throw taken(target, file, " (process " + ProcessHandle.current().pid() + ")");
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                Object opened = key(file);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // another thread of this JVM took it in between
                }
                if (lock == null) {
                    channel.close();
                    throw taken(target, file, holder(file));
                }
                if (opened != null && Objects.equals(opened, key(file)) && HELD.add(file)) {
                    byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap(pid), 0); // who holds it, for the message another training gives
                    return new OutputLock(file, channel, lock);
                }
                channel.close(); // the name was taken over: try again with what it leads to now
            } catch (FileProblem e) {
                throw e;
            } catch (IOException e) {
                closeQuietly(channel);
                throw FileProblem.writing(target, e);
            }
        }
        throw new FileProblem(target, "write", "its lock " + file.getFileName() + " keeps changing; is another training starting?");
    }

    private static FileProblem taken(Path target, Path file, String holder) {
        return new FileProblem(target, "write", "another training" + holder + " is writing it (it holds the lock " + file.getFileName()
                + "); wait until it ends, or give another -o");
    }

    /**
     * The identity (device and inode) of the file the name leads to, or null if none; a stat opens nothing. Where the
     * file system gives no identity, any file counts as the same one.
     */
    private static Object key(Path file) throws IOException {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            return key != null ? key : Boolean.TRUE;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** The process that holds the lock, as it wrote itself into the file, if it has yet. Read by the one refused. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.matches("\\d{1,18}") ? " (process " + pid + ")" : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Removes the lock file, then lets the lock go. */
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
        HELD.remove(file);
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
