package dev.nnc.runtime.data;

import static dev.nnc.runtime.data.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.nnc.runtime.Signature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad data files, each rejected with its one-line message and location. Files are written into a temporary
 * directory; the expected messages name them relative to it.
 */
class MalformedDataTest {
    @TempDir Path dir;

    /** A data file to write: its name and bytes. */
    record File(String name, byte[] bytes) {}

    record Case(String what, Signature sig, boolean needTargets, List<File> files, String message) {
        @Override public String toString() {
            return what;
        }
    }

    private static Case csv(String what, String content, String message) {
        return csv(what, x3y(), content, message);
    }

    private static Case csv(String what, Signature sig, String content, String message) {
        return new Case(what, sig, true, List.of(new File("train.csv", text(content))), message);
    }

    private static Case idx(String what, byte[] images, byte[] labels, String message) {
        return new Case(what, x4y3(), true, List.of(new File("images", images), new File("labels", labels)), message);
    }

    private static Signature x4y3() {
        return sig(List.of(t("x", 4)), List.of(t("y", 3)));
    }

    private static final byte[] IMAGES = ubytes(dims(3, 2, 2), 0, 1, 2, 255, 10, 11, 12, 13, 200, 100, 50, 0);
    private static final byte[] LABELS = ubytes(dims(3), 2, 0, 1);

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int k = 0; k < b.length; k++) out[k] = (byte) b[k];
        return out;
    }

    static Stream<Case> cases() {
        String header20 = String.join(",", Stream.iterate(1, i -> i + 1).limit(20).map(i -> "a" + i).toList());
        byte[] notUtf8 = concat(text("x1,x2,x3,y\n1,2,3,0\n"), bytes(0xFF, '\n'));
        byte[] gz = gzip(IMAGES);
        byte[] badTrailer = gz.clone();
        badTrailer[gz.length - 8] ^= 1; // the CRC-32 of the data
        byte[] badDeflate = concat(Arrays.copyOf(gz, 10), bytes(0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0));
        var nanImages = new double[12];
        nanImages[5] = Double.NaN;
        return Stream.of(
                // CSV: the header
                csv("missing column", "x1,x3,y\n1,2,3\n",
                        "train.csv:1: no column for input x[2]; expected x2, x[2] or x₂ (the header has x1, x3, y)"),
                csv("no header: the first row is data", "1,2,3,0\n4,5,6,1\n",
                        "train.csv:1: no column for input x[1]; expected x1, x[1] or x₁ (the header has 1, 2, 3, 0)"),
                csv("elements counted from 0", "x0,x1,x2,y\n1,2,3,0\n",
                        "train.csv:1: no column for input x[3]; expected x3, x[3] or x₃ (the header has x0, x1, x2, y); elements count from 1"),
                csv("a long header is shortened", header20 + "\n" + "1,".repeat(19) + "1\n",
                        "train.csv:1: no column for input x[1]; expected x1, x[1] or x₁ (the header has 20 columns: "
                                + "a1, a2, a3, a4, a5, a6, a7, a8, …, a19, a20)"),
                csv("duplicate column", "x1,x2,x[1],x3,y\n1,2,3,4,5\n",
                        "train.csv:1:3: columns x1 (column 1) and x[1] (column 3) both give input x[1]; keep one of them"),
                csv("class label and one-hot element both given", x2y3(), "x1,x2,y,y₂\n1,2,0,1\n",
                        "train.csv:1:4: columns y (column 3, a class label) and y₂ (column 4, one element) both give target y[3]; keep one form"),
                csv("two class label columns", x2y3(), "x1,x2,y,y\n1,2,0,1\n",
                        "train.csv:1:4: columns y (column 3) and y (column 4) both give the class label of target y[3]; keep one of them"),
                csv("an unquoted name with commas", sig(List.of(t("m", 2, 2, 2)), List.of()), "m1_1_1,m[1, 1,2]\n1,2,3,4\n",
                        "train.csv:1:2: column name m[1,1,2] is split at its commas; expected it in quotes, \"m[1,1,2]\", or written m1_1_2"),
                csv("ambiguous column name", sig(List.of(t("x", 12), t("x1", 2)), List.of()), "x12\n1\n",
                        "train.csv:1:1: column x12 is ambiguous: it could be x[12] or x1[2]; write one of them with brackets"),
                csv("missing scalar target", "x1,x2,x3\n1,2,3\n",
                        "train.csv:1: no column for target y; expected y (the header has x1, x2, x3)"),
                csv("missing one-hot target", x2y3(), "x1,x2\n1,2\n",
                        "train.csv:1: no column for target y[1]; expected y1, y[1] or y₁, or one column y holding a class label 0 to 2 "
                                + "(the header has x1, x2)"),
                csv("empty header", "\n1,2,3,0\n",
                        "train.csv:1: empty header; expected the column names on the first line, such as x1, x2, y"),
                csv("empty file", "",
                        "train.csv: empty file; expected a header row of column names, then one row per sample"),
                csv("only a byte-order mark and blank lines", "\uFEFF \r\n\n",
                        "train.csv: empty file; expected a header row of column names, then one row per sample"),
                csv("header only", "x1,x2,x3,y\n\n",
                        "train.csv:1: a header but no rows; expected one row per sample after the header"),
                // CSV: the rows
                csv("non-numeric cell", "x1,x2,x3,y\n1,2,3,0\n1,abc,3,0\n",
                        "train.csv:3:2: \"abc\" in column x2 is not a number"),
                csv("Java's own number forms are not CSV numbers", "x1,x2,x3,y\n1,2,3d,0\n",
                        "train.csv:2:3: \"3d\" in column x3 is not a number"),
                csv("empty cell", "x1,x2,x3,y\n1,,3,0\n",
                        "train.csv:2:2: empty cell in column x2; expected a number"),
                csv("NaN", "x1,x2,x3,y\n1,2,NaN,0\n",
                        "train.csv:2:3: \"NaN\" in column x3 is NaN; expected a finite number"),
                csv("infinity", "x1,x2,x3,y\n1,2,3,-inf\n",
                        "train.csv:2:4: \"-inf\" in column y is infinite; expected a finite number"),
                csv("overflow", "x1,x2,x3,y\n1e999,2,3,0\n",
                        "train.csv:2:1: \"1e999\" in column x1 is too large for a double; expected a finite number"),
                csv("ragged row, too short", "x1,x2,x3,y\n1,2,3,0\n1,2,3\n",
                        "train.csv:3: 3 cells, but the header has 4 columns; expected 4 cells in every row"),
                csv("ragged row, too long", "x1,x2,x3,y\n1,2,3,0,9\n",
                        "train.csv:2:5: 5 cells, but the header has 4 columns; expected 4 cells in every row"),
                csv("unterminated quote", "x1,x2,x3,y\n1,2,3,0\n4,\"5,6,1\n7,8,9,0\n",
                        "train.csv:3:2: unterminated quoted cell; expected a closing \" before the end of the file"),
                csv("text after a closing quote", "x1,x2,x3,y\n\"1\"2,2,3,0\n",
                        "train.csv:2:1: text after the closing quote of \"1\"; expected a comma or the end of the line "
                                + "(a quote inside a quoted cell is written \"\")"),
                csv("a cell with a line break shows it escaped", "x1,x2,x3,y\n\"1\n2\",2,3,0\n",
                        "train.csv:2:1: \"1\\n2\" in column x1 is not a number"),
                csv("blank line between rows", "x1,x2,x3,y\n1,2,3,0\n\n4,5,6,1\n",
                        "train.csv:3: blank line between rows; expected one sample per line (blank lines are allowed only at the end of the file)"),
                csv("class label out of range", x2y3(), "x1,x2,y\n1,2,0\n1,2,3\n",
                        "train.csv:3:3: class label 3 in column y is out of range for target y[3]; class labels are 0 to 2"),
                csv("negative class label", x2y3(), "x1,x2,y\n1,2,-1\n",
                        "train.csv:2:3: class label -1 in column y is out of range for target y[3]; class labels are 0 to 2"),
                csv("non-integer class label", x2y3(), "x1,x2,y\n1,2,1.5\n",
                        "train.csv:2:3: class label 1.5 in column y is not an integer; class labels of target y[3] are 0 to 2"),
                csv("non-numeric class label", x2y3(), "x1,x2,y\n1,2,cat\n",
                        "train.csv:2:3: \"cat\" in column y is not a class label; class labels of target y[3] are 0 to 2"),
                new Case("not UTF-8", x3y(), true, List.of(new File("train.csv", notUtf8)),
                        "train.csv:3: byte 19 (0xFF) is not UTF-8 text; expected a CSV file of UTF-8 text"),
                // IDX: headers
                idx("truncated IDX header", bytes(0, 0, 8), LABELS,
                        "images: byte 0: truncated IDX header: the file has 3 bytes; an IDX file starts 00 00 <type> <rank>, then 4 bytes per dimension"),
                idx("truncated IDX dimensions", bytes(0, 0, 8, 3, 0, 0, 0, 3, 0, 0), LABELS,
                        "images: byte 4: truncated IDX header: rank 3 needs 12 bytes of dimensions, the file has 6 more"),
                idx("wrong magic number", IMAGES, bytes(1, 2, 8, 1, 0, 0, 0, 3, 2, 0, 1),
                        "labels: byte 0: wrong magic number 0x01020801; an IDX file starts 00 00 <type> <rank>"),
                idx("a CSV file among IDX files", text("x1,x2,x3,x4\n1,2,3,4\n"), LABELS,
                        "images: byte 0: wrong magic number 0x78312C78; an IDX file starts 00 00 <type> <rank> "
                                + "(this looks like text: a CSV file is given alone, as the only data file)"),
                idx("unknown IDX type", IMAGES, bytes(0, 0, 7, 1, 0, 0, 0, 3, 2, 0, 1),
                        "labels: byte 2: unknown IDX type 0x07; expected 08 (unsigned byte), 09 (signed byte), 0B (16-bit integer), "
                                + "0C (32-bit integer), 0D (32-bit float) or 0E (64-bit float)"),
                idx("rank 0", IMAGES, bytes(0, 0, 8, 0),
                        "labels: byte 3: rank 0; expected at least one dimension, the number of items"),
                idx("a size of 0xFFFFFFFF is unsigned, checked against the file", IMAGES, bytes(0, 0, 8, 1, 0xFF, 0xFF, 0xFF, 0xFF),
                        "labels: byte 8: truncated data: 4294967295 unsigned bytes need 4294967295 bytes after the header, the file has 0"),
                idx("a huge item count of empty items", IMAGES, bytes(0, 0, 8, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0),
                        "labels: byte 4: dimension 1 is 4294967295; expected at most 2147483647"),
                idx("sizes whose product overflows a long", bytes(0, 0, 0x0E, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), LABELS,
                        "images: byte 16: truncated data: 4294967295 items of 4294967295×4294967295 64-bit floats need more bytes than any file holds after the header, the file has 0"),
                idx("no items", ubytes(dims(0, 2, 2)), ubytes(dims(0)),
                        "images: byte 4: no items; expected at least one sample"),
                // IDX: data
                idx("truncated IDX data", Arrays.copyOf(IMAGES, IMAGES.length - 2), LABELS,
                        "images: byte 16: truncated data: 3 items of 2×2 unsigned bytes need 12 bytes after the header, the file has 10"),
                idx("trailing bytes", IMAGES, concat(LABELS, bytes(1, 2)),
                        "labels: byte 11: 2 bytes after the end of the data; expected 3 unsigned bytes to end the file"),
                idx("item size does not fit the input", ubytes(dims(3, 3, 1), 1, 2, 3, 4, 5, 6, 7, 8, 9), LABELS,
                        "images: byte 8: items of 3×1 values (3) do not fit input x[4]; expected 4 values per item"),
                idx("single values for a vector input", ubytes(dims(3), 1, 2, 3), LABELS,
                        "images: byte 3: items of single values do not fit input x[4]; expected 4 values per item"),
                idx("label items that are neither labels nor one-hot rows", IMAGES, ubytes(dims(3, 2), 1, 2, 3, 4, 5, 6),
                        "labels: byte 8: items of 2 values do not fit target y[3]; expected class labels (a rank-1 file) or 3 values per item"),
                idx("image and label counts differ", IMAGES, ubytes(dims(2), 0, 1),
                        "labels: byte 4: 2 items, but images has 3; expected one item per sample in every file"),
                idx("label out of range", IMAGES, ubytes(dims(3), 2, 0, 3),
                        "labels: byte 10 (item 2): label 3 is out of range for target y[3]; class labels are 0 to 2"),
                idx("non-integer label", IMAGES, Fixtures.idx(IdxType.FLOAT, dims(3), 1, 0.5, 2),
                        "labels: byte 12 (item 1): label 0.5 is not an integer; class labels of target y[3] are 0 to 2"),
                idx("NaN in float images", Fixtures.idx(IdxType.FLOAT, dims(3, 2, 2), nanImages), LABELS,
                        "images: byte 36 (item 1): value NaN is not finite; expected finite numbers"),
                // gzip
                idx("truncated gzip", Arrays.copyOf(gz, gz.length - 12), LABELS,
                        "images: corrupt gzip data: the compressed stream ends early; expected a complete gzip file"),
                idx("corrupt gzip data", badDeflate, LABELS,
                        "images: corrupt gzip data (invalid block type); expected a complete gzip file"),
                idx("corrupt gzip checksum", badTrailer, LABELS,
                        "images: corrupt gzip data (Corrupt GZIP trailer); expected a complete gzip file"),
                // files
                new Case("wrong number of files", x4y3(), true,
                        List.of(new File("images", IMAGES), new File("labels", LABELS), new File("extra", LABELS)),
                        "images, labels, extra: 3 IDX files given, but Net reads one IDX file per input and target: "
                                + "expected 2 (input x[4], then target y[3])"),
                new Case("labels missing for training", x4y3(), true, List.of(new File("images", IMAGES)),
                        "images: 1 IDX file given, but Net reads one IDX file per input and target: expected 2 (input x[4], then target y[3])"),
                new Case("too many files for a prediction", x4y3(), false,
                        List.of(new File("images", IMAGES), new File("labels", LABELS), new File("extra", LABELS)),
                        "images, labels, extra: 3 IDX files given, but Net reads one IDX file per input and target: "
                                + "expected 1 (input x[4]), or with its targets 2 (input x[4], then target y[3])"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectedWithItsLocation(Case c) throws Exception {
        var files = new ArrayList<Path>();
        for (File f : c.files()) {
            Path p = dir.resolve(f.name());
            Files.write(p, f.bytes());
            files.add(p);
        }
        DataError e = assertThrows(DataError.class, () -> DataFiles.read(files, c.sig(), c.needTargets()));
        String message = e.getMessage();
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
        assertEquals(c.message(), message.replace(dir + java.io.File.separator, ""));
    }

    @Test void aMissingFileIsNamedAsGiven() {
        var e = assertThrows(DataError.class, () -> DataFiles.read(List.of(dir.resolve("nope.csv")), x3y(), true));
        assertEquals(dir.resolve("nope.csv") + ": cannot read: no such file", e.getMessage());
        var folder = assertThrows(DataError.class, () -> DataFiles.read(List.of(Path.of("no-such-data", "nope.csv")), x3y(), true));
        assertEquals("no-such-data" + java.io.File.separator + "nope.csv: cannot read: no such folder no-such-data", folder.getMessage());
    }

    @Test void aDirectoryIsNotADataFile() {
        var e = assertThrows(DataError.class, () -> DataFiles.read(List.of(dir), x3y(), true));
        assertEquals(dir + ": cannot read: it is a directory, not a file", e.getMessage());
    }

    @Test void noFiles() {
        var e = assertThrows(DataError.class, () -> DataFiles.read(List.of(), x3y(), true));
        assertEquals("no data files given; expected one CSV file, or one IDX file per input and target", e.getMessage());
    }

    @Test void aMessageIsOneLineWhateverItIsGiven() {
        assertEquals("a\\nb\\r", new DataError("a\nb\r").getMessage());
    }
}
