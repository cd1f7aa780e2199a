package dev.nnc.runtime.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Files the user names — data, weights, and where outputs go — read whole and checked before use, every problem
 * a {@link FileProblem} naming the file. What is not a plain file is told apart before a byte is read: a
 * directory, a device such as {@code /dev/zero} (which would never end) or a file too large for one array are
 * refused at once; a pipe ({@code <(zcat data.csv.gz)}, {@code /dev/stdin}) is read up to the same limit.
 */
public final class UserFiles {
    private UserFiles() {}

    /** The most bytes one file may hold: the readers index one array. */
    public static final long LIMIT = Integer.MAX_VALUE - 16;

    /** What a path is, beyond Files' regular file, directory and "other". */
    enum Kind { FILE, DIRECTORY, PIPE, DEVICE, OTHER }

    public static byte[] read(Path file) throws FileProblem {
        return read(file, LIMIT);
    }

    /** The file's bytes, refused as above, and when it holds more than {@code limit} bytes. */
    public static byte[] read(Path file, long limit) throws FileProblem {
        if (file.toString().isEmpty()) throw new FileProblem(file, "read", FileProblem.reason(file, new IOException()));
        try {
            var attributes = Files.readAttributes(file, BasicFileAttributes.class);
            switch (kind(file, attributes)) {
                case DIRECTORY -> throw new FileProblem(file, "read", "it is a directory, not a file");
                case DEVICE -> throw new FileProblem(file, "read", "it is a device, not a file");
                case OTHER -> throw new FileProblem(file, "read", "it is not a file (a socket?)");
                case FILE -> {
                    if (attributes.size() > limit) throw new FileProblem(file, "read", tooLarge(attributes.size(), limit));
                    return Files.readAllBytes(file);
                }
                case PIPE -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        return upTo(in, file, limit);
                    }
                }
                default -> throw new IllegalStateException();
            }
        } catch (IOException e) {
            throw FileProblem.reading(file, e);
        } catch (OutOfMemoryError e) {
            throw new FileProblem(file, "read", "it is too large for the memory this JVM may use (" + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB; java -Xmx gives it more)");
        }
    }

    private static byte[] upTo(InputStream in, Path file, long limit) throws IOException {
        byte[] b = new byte[(int) Math.min(1 << 16, limit)];
        int n = 0;
        while (true) {
            if (n == b.length) {
                if (n >= limit) {
                    if (in.read() < 0) return b;
                    throw new FileProblem(file, "read", "it gives more than " + limit(limit) + ", the most nnc reads from one file");
                }
                b = Arrays.copyOf(b, (int) Math.min(limit, 2L * b.length));
            }
            int got = in.read(b, n, b.length - n);
            if (got < 0) return Arrays.copyOf(b, n);
            n += got;
        }
    }

    static String tooLarge(long size, long limit) {
        return "it is " + String.format(Locale.ROOT, "%,d", size) + " bytes; nnc reads files of up to " + limit(limit);
    }

    private static String limit(long limit) { return limit == LIMIT ? "2 GiB" : limit + " bytes"; }

    /**
     * Checks, before any work, that {@code file} can be written where it is: the path is not empty, its folder
     * exists and is writable, and it is not itself a folder or a read-only file. Nothing is created. A pipe or a
     * device ({@code /dev/null}, {@code /dev/stdout}) may be written to as it is.
     */
    public static void requireWritable(Path file) throws FileProblem {
        if (file.toString().isEmpty()) throw new FileProblem(file, "write", FileProblem.reason(file, new IOException()));
        if (Files.isDirectory(file)) throw new FileProblem(file, "write", "it is a directory, not a file");
        if (Files.exists(file)) {
            if (!Files.isWritable(file)) throw new FileProblem(file, "write", "permission denied (the file is read-only)");
            if (!Files.isRegularFile(file)) return; // written straight through (AtomicFile)
        }
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new FileProblem(file, "write", FileProblem.reason(file, new NoSuchFileException(file.toString())));
        }
        if (!Files.isWritable(folder)) {
            throw new FileProblem(file, "write", "permission denied (the folder " + (file.getParent() != null ? file.getParent() : folder) + " is not writable)");
        }
    }

    /**
     * Checks every output of a command before it does any work, so that a long training does not end in "cannot
     * write": each can be written ({@link #requireWritable}), none is one of the command's inputs (which it would
     * overwrite), and no two are the same file. The first problem is a FileProblem naming that output.
     *
     * @param outputs the files the command will write; null entries (an output not asked for) are skipped
     * @param inputs  the files it reads
     */
    public static void checkOutputs(List<Path> outputs, List<Path> inputs) throws FileProblem {
        List<Path> seen = new ArrayList<>();
        for (Path out : outputs) {
            if (out == null) continue;
            requireWritable(out);
            for (Path in : inputs) {
                if (in != null && (same(out, in) || normal(out).equals(normal(in)))) {
                    throw new FileProblem(out, "write", "it is one of this command's inputs" + (in.toString().equals(out.toString()) ? ""
                            : " (" + FileProblem.name(in) + ")") + ", which writing would overwrite; give another output file");
                }
            }
            for (Path other : seen) {
                if (same(out, other) || normal(out).equals(normal(other))) {
                    throw new FileProblem(out, "write", "two outputs of this command are this one file; give each its own");
                }
            }
            seen.add(out);
        }
    }

    private static Path normal(Path p) { return p.toAbsolutePath().normalize(); }

    /** Whether two paths are the same file (both existing), however they are spelt. */
    public static boolean same(Path a, Path b) {
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    static Kind kind(Path file, BasicFileAttributes a) {
        if (a.isDirectory()) return Kind.DIRECTORY;
        if (a.isRegularFile()) return Kind.FILE;
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> Kind.PIPE;
                case 0020000, 0060000 -> Kind.DEVICE;
                default -> Kind.OTHER;
            };
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException | ClassCastException e) {
            return Kind.PIPE; // no Unix modes here: read it as a stream, up to the limit
        }
    }
}
