package dev.nnc.runtime.data;

import static dev.nnc.runtime.data.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The real data set of samples/mlp.nn, where it is installed (the system package dataset-fashion-mnist). */
class FashionMnistTest {
    private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    private static final Path IMAGES = DIR.resolve("t10k-images-idx3-ubyte.gz");
    private static final Path LABELS = DIR.resolve("t10k-labels-idx1-ubyte.gz");

    @Test void testSetImagesAndLabels() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(IMAGES) && Files.isReadable(LABELS),
                "Fashion-MNIST is not installed in " + DIR + " (the package dataset-fashion-mnist)");
        // The raw bytes, read independently of the reader under test.
        byte[] images = gunzip(IMAGES);
        byte[] labels = gunzip(LABELS);

        Dataset d = DataFiles.read(List.of(IMAGES, LABELS), sig(List.of(t("x", 784)), List.of(t("y", 10))), true);
        assertEquals(10_000, d.size());
        assertEquals(10_000 * 784, d.column("x").length);
        int first = labels[8];
        for (int c = 0; c < 10; c++) assertEquals(c == first ? 1.0 : 0.0, d.column("y")[c]);
        int last = labels[8 + 9_999];
        assertEquals(1.0, d.column("y")[9_999 * 10 + last]);
        for (int k : new int[] {0, 350, 784 * 5000 + 400, 784 * 10_000 - 1}) {
            assertEquals(images[16 + k] & 0xFF, d.column("x")[k], "pixel " + k);
        }
        assertEquals(new Normalization.Scale(255), Normalization.defaultFor(d));

        Dataset square = DataFiles.read(List.of(IMAGES, LABELS), sig(List.of(t("x", 28, 28)), List.of(t("y", 10))), true);
        assertArrayEquals(d.column("x"), square.column("x"));
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }
}
