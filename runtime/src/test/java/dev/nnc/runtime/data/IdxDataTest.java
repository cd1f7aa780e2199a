package dev.nnc.runtime.data;

import static dev.nnc.runtime.data.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.nnc.runtime.Signature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDataTest {
    @TempDir Path dir;

    /** Writes the files (name, content, name, content, …) and reads them. */
    private Dataset read(Signature sig, boolean needTargets, Object... namesAndContents) throws IOException, DataError {
        var files = new ArrayList<Path>();
        for (int k = 0; k < namesAndContents.length; k += 2) {
            Path f = dir.resolve((String) namesAndContents[k]);
            Files.write(f, (byte[]) namesAndContents[k + 1]);
            files.add(f);
        }
        return DataFiles.read(files, sig, needTargets);
    }

    /** Three 2×2 "images" and their labels 0…2. */
    private static final byte[] IMAGES = ubytes(dims(3, 2, 2), 0, 1, 2, 255, 10, 11, 12, 13, 200, 100, 50, 0);
    private static final byte[] LABELS = ubytes(dims(3), 2, 0, 1);

    @Test void unsignedBytesPlain() throws Exception {
        Dataset d = read(x4y3(), true, "images-idx3-ubyte", IMAGES, "labels-idx1-ubyte", LABELS);
        assertEquals(3, d.size());
        assertEquals(List.of(List.of(0.0, 1.0, 2.0, 255.0), List.of(10.0, 11.0, 12.0, 13.0), List.of(200.0, 100.0, 50.0, 0.0)), rows(d, "x"));
        assertEquals(List.of(List.of(0.0, 0.0, 1.0), List.of(1.0, 0.0, 0.0), List.of(0.0, 1.0, 0.0)), rows(d, "y"));
        assertEquals(new Format.Idx(Map.of("x", IdxType.UBYTE, "y", IdxType.UBYTE)), d.format());
        assertEquals(new Normalization.Scale(255), Normalization.defaultFor(d));
        assertEquals(List.of(), d.notes());
    }

    @Test void unsignedBytesGzipWhateverTheName() throws Exception {
        Dataset d = read(x4y3(), true, "images.gz", gzip(IMAGES), "labels", gzip(LABELS));
        assertEquals(255.0, d.column("x")[3]);
        assertEquals(List.of(0.0, 1.0, 0.0), rows(d, "y").get(2));
    }

    @Test void rankTwoInputFromAThreeDimensionalFile() throws Exception {
        var sig = sig(List.of(t("x", 28, 28)), List.of(t("y", 10)));
        int[] pixels = new int[2 * 784];
        for (int k = 0; k < pixels.length; k++) pixels[k] = k % 251;
        Dataset d = read(sig, true, "i.idx", ubytes(dims(2, 28, 28), pixels), "l.idx", ubytes(dims(2), 9, 3));
        assertEquals(2 * 784, d.column("x").length);
        assertEquals((784 + 28 * 5 + 7) % 251, d.column("x")[784 + 28 * 5 + 7]);
        assertEquals(1.0, d.column("y")[9]);
        assertEquals(1.0, d.column("y")[10 + 3]);
    }

    @Test void floatInputsAndAnIntScalarTarget() throws Exception {
        var sig = sig(List.of(t("x", 2)), List.of(t("y")));
        Dataset d = read(sig, true, "x.idx", idx(IdxType.FLOAT, dims(2, 2), 0.5, -1.25, 3e10, 1e-3),
                "y.idx", idx(IdxType.INT, dims(2), -70000, 123456789));
        assertEquals(List.of(List.of(0.5, -1.25), List.of((double) 3e10f, (double) 1e-3f)), rows(d, "x"));
        assertEquals(List.of(List.of(-70000.0), List.of(123456789.0)), rows(d, "y"));
        assertEquals(new Normalization.None(), Normalization.defaultFor(d));
    }

    @Test void doubleShortAndSignedByteTypes() throws Exception {
        var sig = sig(List.of(t("a", 2), t("b", 1), t("c")), List.of(t("y", 2)));
        Dataset d = read(sig, true, "a", idx(IdxType.DOUBLE, dims(2, 2), Math.PI, -0.1, 1e300, Double.MIN_VALUE),
                "b", idx(IdxType.SHORT, dims(2, 1), -32768, 32767),
                "c", idx(IdxType.BYTE, dims(2), -128, 127),
                "y", idx(IdxType.DOUBLE, dims(2, 2), 0.25, 0.75, 1, 0));
        assertArrayEquals(new double[] {Math.PI, -0.1, 1e300, Double.MIN_VALUE}, d.column("a"));
        assertArrayEquals(new double[] {-32768, 32767}, d.column("b"));
        assertArrayEquals(new double[] {-128, 127}, d.column("c"));
        assertArrayEquals(new double[] {0.25, 0.75, 1, 0}, d.column("y"), "a vector target read value by value, not as labels");
    }

    @Test void floatLabelsThatAreWholeNumbersAreClassLabels() throws Exception {
        Dataset d = read(x4y3(), true, "i", IMAGES, "l", idx(IdxType.FLOAT, dims(3), 1, 2, 0));
        assertEquals(List.of(List.of(0.0, 1.0, 0.0), List.of(0.0, 0.0, 1.0), List.of(1.0, 0.0, 0.0)), rows(d, "y"));
    }

    @Test void predictionReadsTheInputFilesAlone() throws Exception {
        Dataset d = read(x4y3(), false, "images", IMAGES);
        assertEquals(3, d.size());
        assertEquals(List.of(), d.targets());
        assertEquals(List.of("x"), List.copyOf(d.columns().keySet()));
        Dataset both = read(x4y3(), false, "images", IMAGES, "labels", LABELS);
        assertTrue(both.hasTargets());
    }

    private static Signature x4y3() {
        return sig(List.of(t("x", 4)), List.of(t("y", 3)));
    }
}
