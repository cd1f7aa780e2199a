package dev.nnc.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.data.DataFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The columns of predictions: named as the source names each element, never two elements alike, and readable back. */
class PredictionCsvTest {
    static final TensorInfo A3 = new TensorInfo("a3", List.of(10)), A31 = new TensorInfo("a31", List.of(2)),
            M = new TensorInfo("m", List.of(2, 2)), P = new TensorInfo("p", List.of());

    @Test
    void columnsAreNamedAsTheSourceNamesElements() {
        assertEquals("a3[1]", PredictionCsv.column(A3, 0));
        assertEquals("a3[10]", PredictionCsv.column(A3, 9)); // not a310: element 10 of a3, or of a31?
        assertEquals("a31[1]", PredictionCsv.column(A31, 0));
        assertEquals("\"m[1,2]\"", PredictionCsv.column(M, 1)); // quoted: its comma is not a separator
        assertEquals("p", PredictionCsv.column(P, 0));
    }

    @Test
    void theHeaderIsReadBackAsTheSameElements(@TempDir Path dir) throws Exception {
        var outputs = List.of(A3, A31, M, P);
        double[] a3 = new double[10], a31 = {20, 21}, m = {30, 31, 32, 33}, p = {40};
        for (int k = 0; k < 10; k++) a3[k] = k;
        var text = new StringWriter();
        PredictionCsv.write(new PrintWriter(text), outputs, Map.of("a3", a3, "a31", a31, "m", m, "p", p), 1, null);
        assertEquals("a3[1],a3[2],a3[3],a3[4],a3[5],a3[6],a3[7],a3[8],a3[9],a3[10],a31[1],a31[2],\"m[1,1]\",\"m[1,2]\",\"m[2,1]\",\"m[2,2]\",p",
                text.toString().lines().findFirst().orElseThrow());
        // the same names as the inputs of a network: each column gives the element it names
        Path csv = dir.resolve("p.csv");
        Files.writeString(csv, text.toString());
        var data = DataFiles.read(List.of(csv), new Signature("N", outputs, List.of(), List.of(), List.of(), "J", List.of()), false);
        assertArrayEquals(a3, data.column("a3"));
        assertArrayEquals(a31, data.column("a31"));
        assertArrayEquals(m, data.column("m"));
        assertArrayEquals(p, data.column("p"));
    }
}
