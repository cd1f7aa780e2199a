package dev.nnc.runtime.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A user's file that cannot be read or written, said in one line: {@code FILE: cannot write: no such folder DIR}.
 * The one home of what nnc says when a file system refuses — no such file or folder, permission denied, the disk
 * full, a directory where a file should be, an empty path — so every reader and writer (data, weights, checkpoints,
 * predictions, plots, jars) names the file the user gave and the reason in the same words. It is an
 * {@link IOException}, so a writer can throw it through code that passes I/O errors on; {@link #reading} and
 * {@link #writing} return one that is already a FileProblem unchanged.
 */
public final class FileProblem extends IOException {
    public FileProblem(String message) { super(message); }

    public FileProblem(Path file, String verb, String reason) { this(name(file) + ": cannot " + verb + ": " + reason); }

    public static FileProblem reading(Path file, IOException e) {
        return e instanceof FileProblem p ? p : new FileProblem(file, "read", reason(file, e));
    }

    public static FileProblem writing(Path file, IOException e) {
        return e instanceof FileProblem p ? p : new FileProblem(file, "write", reason(file, e));
    }

    /** The file as the user gave it; an empty path as {@code ''}, so the message does not start with a bare colon. */
    public static String name(Path file) {
        String s = file.toString();
        return s.isEmpty() ? "''" : s;
    }

    /**
     * Why an operation on {@code file} failed, in words. The exception's own file may be another one (the
     * temporary file beside a checkpoint, a folder above it), so the reason is worked out for the user's file.
     */
    public static String reason(Path file, IOException e) {
        if (file.toString().isEmpty()) return "the path is empty; give a file name";
        String text = (e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage()))
                .toLowerCase(Locale.ROOT);
        if (text.contains("no space left")) return "the disk is full (no space left on the device)";
        if (text.contains("quota")) return "the disk quota is exceeded";
        if (text.contains("read-only file system")) return "the file system is read-only";
        if (text.contains("file name too long")) return "the name is too long for the file system";
        if (e instanceof NotDirectoryException || text.contains("not a directory")) {
            Path notFolder = fileAbove(file);
            return notFolder != null ? notFolder + " is a file, not a folder" : "a part of the path is a file, not a folder";
        }
        if (e instanceof NoSuchFileException || text.contains("no such file")) {
            Path folder = missingFolder(file);
            if (folder != null) return "no such folder " + folder;
            Path notFolder = fileAbove(file);
            return notFolder != null ? notFolder + " is a file, not a folder" : "no such file";
        }
        if (Files.isDirectory(file)) return "it is a directory, not a file";
        if (e instanceof AccessDeniedException || text.contains("permission denied") || text.contains("operation not permitted")) {
            return "permission denied";
        }
        if (text.contains("is a directory")) return "it is a directory, not a file";
        return e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : String.valueOf(e.getMessage());
    }

    /** The folder the file would be in, if it does not exist and nothing above it is a file. */
    static Path missingFolder(Path file) {
        Path folder = parent(file);
        return folder != null && !Files.exists(folder) && fileAbove(file) == null ? folder : null;
    }

    /** A path above the file that exists and is not a folder, if there is one. */
    static Path fileAbove(Path file) {
        for (Path p = parent(file); p != null; p = p.getParent()) {
            if (Files.exists(p)) return Files.isDirectory(p) ? null : p;
        }
        return null;
    }

    private static Path parent(Path file) {
        Path p = file.getParent();
        return p != null ? p : file.toAbsolutePath().getParent();
    }
}
