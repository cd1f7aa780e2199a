package dev.nnc.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a user's file can fail to be read or written, each said as FILE: cannot VERB: REASON. */
class UserFilesTest {
    @TempDir Path dir;

    static String readProblem(Path file) {
        return assertThrows(FileProblem.class, () -> UserFiles.read(file)).getMessage();
    }

    static String writeProblem(Path file) {
        return assertThrows(FileProblem.class, () -> UserFiles.requireWritable(file)).getMessage();
    }

    @Test void aPlainFileIsReadWhole() throws Exception {
        Files.write(dir.resolve("a"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, UserFiles.read(dir.resolve("a")));
    }

    @Test void everyKindOfPathThatIsNotAFileIsNamedForWhatItIs() throws Exception {
        Files.writeString(dir.resolve("f.csv"), "x\n1\n");
        assertEquals("'': cannot read: the path is empty; give a file name", readProblem(Path.of("")));
        assertEquals(dir.resolve("no.csv") + ": cannot read: no such file", readProblem(dir.resolve("no.csv")));
        assertEquals(dir.resolve("d/e/no.csv") + ": cannot read: no such folder " + dir.resolve("d/e"), readProblem(dir.resolve("d/e/no.csv")));
        assertEquals(dir.resolve("f.csv/no.csv") + ": cannot read: " + dir.resolve("f.csv") + " is a file, not a folder",
                readProblem(dir.resolve("f.csv/no.csv")));
        assertEquals(dir + ": cannot read: it is a directory, not a file", readProblem(dir));
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertEquals("/dev/zero: cannot read: it is a device, not a file", readProblem(Path.of("/dev/zero")));
    }

    @Test void aFileTooLargeForOneArrayIsRefusedBeforeReading() throws Exception {
        Path huge = dir.resolve("huge.csv");
        try (var f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(UserFiles.LIMIT + 1); // sparse: no disk is used
        }
        assertEquals(huge + ": cannot read: it is 2,147,483,632 bytes; nnc reads files of up to 2 GiB", readProblem(huge));
        Files.write(dir.resolve("four"), new byte[4]);
        var e = assertThrows(FileProblem.class, () -> UserFiles.read(dir.resolve("four"), 3));
        assertEquals(dir.resolve("four") + ": cannot read: it is 4 bytes; nnc reads files of up to 3 bytes", e.getMessage());
    }

    @Test void aPipeIsReadUpToTheLimit() throws Exception {
        Path fifo = dir.resolve("fifo");
        assumeTrue(mkfifo(fifo));
        var writer = new Thread(() -> {
            try {
                Files.write(fifo, "x,y\n1,2\n".getBytes());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        assertEquals("x,y\n1,2\n", new String(UserFiles.read(fifo)));
        writer.join();

        var flood = new Thread(() -> {
            try {
                Files.write(fifo, new byte[100]);
            } catch (IOException ignored) {
                // the reader stops early and closes the pipe
            }
        });
        flood.start();
        var e = assertThrows(FileProblem.class, () -> UserFiles.read(fifo, 10));
        assertEquals(fifo + ": cannot read: it gives more than 10 bytes, the most nnc reads from one file", e.getMessage());
        flood.join();
    }

    static boolean mkfifo(Path p) {
        try {
            return new ProcessBuilder("mkfifo", p.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test void anOutputIsCheckedWithoutCreatingAnything() throws Exception {
        Files.writeString(dir.resolve("f.csv"), "x\n1\n");
        UserFiles.requireWritable(dir.resolve("new.safetensors"));
        UserFiles.requireWritable(dir.resolve("f.csv")); // an existing file is replaced
        assertEquals(List.of("f.csv"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
        assertEquals("'': cannot write: the path is empty; give a file name", writeProblem(Path.of("")));
        assertEquals(dir.resolve("a/b/w") + ": cannot write: no such folder " + dir.resolve("a/b"), writeProblem(dir.resolve("a/b/w")));
        assertEquals(dir.resolve("f.csv/w") + ": cannot write: " + dir.resolve("f.csv") + " is a file, not a folder", writeProblem(dir.resolve("f.csv/w")));
        assertEquals(dir + ": cannot write: it is a directory, not a file", writeProblem(dir));
        assumeTrue(Files.exists(Path.of("/dev/null")));
        UserFiles.requireWritable(Path.of("/dev/null")); // written straight through
    }

    @Test void aReadOnlyFolderOrFileIsPermissionDenied() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path file = Files.writeString(dir.resolve("ro.csv"), "x");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        try {
            assumeTrue(!Files.isWritable(ro), "running as root: nothing is read-only");
            assertEquals(ro.resolve("w") + ": cannot write: permission denied (the folder " + ro + " is not writable)", writeProblem(ro.resolve("w")));
            assertEquals(file + ": cannot write: permission denied (the file is read-only)", writeProblem(file));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test void outputsMayNotBeInputsNorEachOther() throws Exception {
        Path data = Files.writeString(dir.resolve("d.csv"), "x\n1\n");
        var e = assertThrows(FileProblem.class, () -> UserFiles.checkOutputs(List.of(dir.resolve("./d.csv")), List.of(data)));
        assertEquals(dir.resolve("./d.csv") + ": cannot write: it is one of this command's inputs (" + data
                + "), which writing would overwrite; give another output file", e.getMessage());
        var twice = assertThrows(FileProblem.class, () -> UserFiles.checkOutputs(Arrays.asList(dir.resolve("w"), null, dir.resolve("w")), List.of()));
        assertEquals(dir.resolve("w") + ": cannot write: two outputs of this command are this one file; give each its own", twice.getMessage());
        UserFiles.checkOutputs(Arrays.asList(dir.resolve("w"), null, dir.resolve("p.png")), List.of(data));
    }

    @Test void theReasonsAFileSystemGivesAreSaidInWords() {
        Path f = dir.resolve("w.safetensors");
        assertEquals("the disk is full (no space left on the device)", FileProblem.reason(f, new IOException("No space left on device")));
        assertEquals("the disk is full (no space left on the device)",
                FileProblem.reason(f, new FileSystemException(dir.resolve(".w.safetensors.tmp-1").toString(), null, "No space left on device")));
        assertEquals("the disk quota is exceeded", FileProblem.reason(f, new IOException("Disk quota exceeded")));
        assertEquals("the file system is read-only", FileProblem.reason(f, new FileSystemException(f.toString(), null, "Read-only file system")));
        assertEquals("permission denied", FileProblem.reason(f, new AccessDeniedException(f.toString())));
        assertEquals("no such folder " + dir.resolve("x"), FileProblem.reason(dir.resolve("x/w"), new NoSuchFileException(dir.resolve("x/.w.tmp-5").toString())));
        assertEquals("the name is too long for the file system", FileProblem.reason(f, new FileSystemException(f.toString(), null, "File name too long")));
        assertEquals("something odd", FileProblem.reason(f, new FileSystemException(f.toString(), null, "something odd")));
        // the message names the user's file, not the temporary one the exception names
        assertEquals(f + ": cannot write: the disk is full (no space left on the device)",
                FileProblem.writing(f, new FileSystemException(dir.resolve(".w.safetensors.tmp-1").toString(), null, "No space left on device")).getMessage());
        var once = FileProblem.writing(f, new IOException("No space left on device"));
        assertEquals(once, FileProblem.writing(dir.resolve("other"), once), "a FileProblem passes through unchanged");
    }
}
