package dev.nnc.runtime.data;

import static dev.nnc.runtime.data.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Signature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDataTest {
    @TempDir Path dir;

    private Dataset read(String name, byte[] content, Signature sig, boolean needTargets) throws IOException, DataError {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return DataFiles.read(List.of(f), sig, needTargets);
    }

    private Dataset read(String csv, Signature sig) throws IOException, DataError {
        return read("train.csv", text(csv), sig, true);
    }

    @Test void everyHeaderSpellingOfAVectorElement() throws Exception {
        Dataset d = read("x₃,x[2],x1,y\n3,2,1,0\n6,5,4,1\n", x3y());
        assertEquals(2, d.size());
        assertEquals(List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0)), rows(d, "x"));
        assertEquals(List.of(List.of(0.0), List.of(1.0)), rows(d, "y"));
        assertEquals(List.of(), d.notes());
        assertInstanceOf(Format.Csv.class, d.format());
        assertEquals(List.of(dir.resolve("train.csv")), d.files());
    }

    @Test void multiDigitIndicesInEverySpelling() throws Exception {
        var sig = sig(List.of(t("x", 12)), List.of(t("y")));
        var header = new StringBuilder();
        var row = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            header.append(switch (i % 3) { case 0 -> "x" + i; case 1 -> "x[" + i + "]"; default -> "x" + sub(i); }).append(',');
            row.append(i * 10).append(',');
        }
        Dataset d = read(header + "y\n" + row + "7\n", sig);
        assertEquals(120.0, d.column("x")[11]);
        assertEquals(110.0, d.column("x")[10]);
        assertEquals(7.0, d.column("y")[0]);
    }

    private static String sub(int i) {
        var b = new StringBuilder();
        for (char c : Integer.toString(i).toCharArray()) b.append("₀₁₂₃₄₅₆₇₈₉".charAt(c - '0'));
        return b.toString();
    }

    @Test void rankTwoInputRowMajorFromBothSpellings() throws Exception {
        var sig = sig(List.of(t("m", 2, 3)), List.of(t("y")));
        Dataset d = read("m2_3,\"m[1,1]\",m1_2,\"m[1,3]\",m2_1,\"m[2, 2]\",y\n23,11,12,13,21,22,0\n", sig);
        assertEquals(List.of(List.of(11.0, 12.0, 13.0, 21.0, 22.0, 23.0)), rows(d, "m"));
    }

    @Test void classLabelsExpandToOneHot() throws Exception {
        Dataset d = read("x1,x2,y\n0.5,-1,2\n1e-3,+4.5,0\n7,8,1.0\n", x2y3());
        assertEquals(List.of(List.of(0.0, 0.0, 1.0), List.of(1.0, 0.0, 0.0), List.of(0.0, 1.0, 0.0)), rows(d, "y"));
        assertEquals(List.of(List.of(0.5, -1.0), List.of(0.001, 4.5), List.of(7.0, 8.0)), rows(d, "x"));
    }

    @Test void aVectorTargetMayAlsoBeGivenElementByElement() throws Exception {
        Dataset d = read("x1,x2,y1,y[2],y₃\n1,2,0.2,0.3,0.5\n", x2y3());
        assertEquals(List.of(List.of(0.2, 0.3, 0.5)), rows(d, "y"));
    }

    @Test void scalarInputAndTarget() throws Exception {
        var sig = sig(List.of(t("a"), t("b", 1)), List.of(t("y")));
        Dataset d = read("y,b,a\n1,2,3\n", sig);
        assertEquals(3.0, d.column("a")[0]);
        assertEquals(2.0, d.column("b")[0]);
        assertEquals(1.0, d.column("y")[0]);
    }

    @Test void unusedColumnsAreNoted() throws Exception {
        Dataset d = read("id,x1,x2,x3,x4,x0,,y,note,x\n17,1,2,3,4,0,9,1,hello world,5\n", x3y());
        assertEquals(List.of(List.of(1.0, 2.0, 3.0)), rows(d, "x"));
        String f = dir.resolve("train.csv").toString();
        assertEquals(List.of(
                f + ":1:1: column id is not used",
                f + ":1:5: column x4 is not used; input x[3] has no element x[4]",
                f + ":1:6: column x0 is not used; input x[3] has no element x[0]; elements count from 1",
                f + ":1:7: column 7 has no name and is not used",
                f + ":1:9: column note is not used",
                f + ":1:10: column x is not used; input x[3] needs one column per element (x1, x[1] or x₁, …)"), d.notes());
    }

    @Test void quotedCellsAndNames() throws Exception {
        Dataset d = read("\"x1\",\"x,2\",\" x3 \",y,\"x2\"\n"
                + "\"1.5\", \"not, used\" ,\"2\",\"0\",\"-3\"\n"
                + "4,\"a \"\"quoted\"\"\nline\",5,1,6\n", x3y());
        assertEquals(List.of(List.of(1.5, -3.0, 2.0), List.of(4.0, 6.0, 5.0)), rows(d, "x"));
        assertEquals(2, d.size());
    }

    @Test void lineNumbersCountPhysicalLinesAfterAQuotedLineBreak() throws Exception {
        var e = assertThrows(DataError.class, () -> read("x1,x2,x3,y,note\n1,2,3,0,\"two\nlines\"\n1,2,x,0,n\n", x3y()));
        assertEquals(dir.resolve("train.csv") + ":4:3: \"x\" in column x3 is not a number", e.getMessage());
    }

    @Test void byteOrderMarkCrlfWhitespaceAndTrailingBlankLines() throws Exception {
        Dataset d = read("\uFEFF x1 , x2\t,x3, y \r\n 1 , 2,3 ,0\r\n4,5,6,1\r\n\r\n  \n", x3y());
        assertEquals(List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0)), rows(d, "x"));
        assertEquals(List.of(), d.notes());
    }

    @Test void noTrailingNewlineAndLoneCarriageReturns() throws Exception {
        Dataset d = read("x1,x2,x3,y\r1,2,3,0\r4,5,6,1", x3y());
        assertEquals(2, d.size());
        assertEquals(1.0, d.column("y")[1]);
    }

    @Test void gzipIsRecognisedByItsBytesNotItsName() throws Exception {
        byte[] csv = text("x1,x2,x3,y\n1,2,3,0\n");
        assertEquals(3.0, read("plain.csv", gzip(csv), x3y(), true).column("x")[2]);
        assertEquals(3.0, read("data.csv.gz", gzip(csv), x3y(), true).column("x")[2]);
        assertEquals(3.0, read("data.txt", gzip(csv), x3y(), true).column("x")[2]);
    }

    @Test void predictionReadsInputsAloneOrTargetsIfThere() throws Exception {
        Dataset inputsOnly = read("p.csv", text("x1,x2,x3\n1,2,3\n"), x3y(), false);
        assertEquals(List.of(), inputsOnly.targets());
        assertFalse(inputsOnly.hasTargets());
        assertEquals(List.of("x"), List.copyOf(inputsOnly.columns().keySet()));
        Dataset both = read("q.csv", text("x1,x2,x3,y\n1,2,3,1\n"), x3y(), false);
        assertEquals(1.0, both.column("y")[0]);
        Dataset partial = read("r.csv", text("x1,x2,y1,y3\n1,2,0,1\n"), x2y3(), false);
        assertFalse(partial.hasTargets());
        assertEquals(List.of(dir.resolve("r.csv") + ":1: target y[3] is not read: no column for y[2]"), partial.notes());
    }

    /** A shuffle of the whole set in place gives the samples select copies, in every column, whatever its cycles. */
    @Test void permutingInPlaceGivesWhatSelectCopies() throws Exception {
        var sig = sig(List.of(t("x", 3)), List.of(t("y", 2)));
        var rnd = new java.util.SplittableRandom(7);
        for (int n : new int[] {1, 2, 5, 97}) {
            var csv = new StringBuilder("x1,x2,x3,y\n");
            for (int r = 0; r < n; r++) csv.append(r).append(',').append(r + 0.5).append(',').append(-r).append(',').append(r % 2).append('\n');
            int[] order = new int[n];
            for (int k = 0; k < n; k++) order[k] = k;
            for (int k = n - 1; k > 0; k--) { int j = rnd.nextInt(k + 1), t = order[k]; order[k] = order[j]; order[j] = t; }
            Dataset copied = read(csv.toString(), sig).select(order);
            Dataset d = read(csv.toString(), sig);
            Dataset permuted = d.permuteInPlace(order);
            assertSame(d.column("x"), permuted.column("x"), "no copy");
            assertArrayEquals(copied.column("x"), permuted.column("x"));
            assertArrayEquals(copied.column("y"), permuted.column("y"));
        }
        Dataset d = read("x1,x2,x3,y\n1,2,3,0\n4,5,6,1\n", sig);
        assertThrows(IllegalArgumentException.class, () -> d.permuteInPlace(new int[] {0, 0}));
    }

    @Test void rowsAndSelectTakeSamplesInTheOrderAsked() throws Exception {
        Dataset d = read("x1,x2,y\n1,2,0\n3,4,1\n5,6,2\n", x2y3());
        Batch b = d.rows(new int[] {2, 0});
        assertEquals(2, b.size());
        assertArrayEquals(new double[] {5, 6, 1, 2}, b.column("x"));
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, b.column("y"));
        Dataset s = d.select(new int[] {1});
        assertEquals(1, s.size());
        assertArrayEquals(new double[] {3, 4}, s.column("x"));
        assertEquals(d.inputs(), s.inputs());
        assertEquals(3, d.batch().size());
    }

    @Test void manyRowsGrowTheArrays() throws Exception {
        var b = new StringBuilder("x1,x2,x3,y\n");
        for (int r = 0; r < 1000; r++) b.append(r).append(',').append(r + 0.5).append(",-").append(r).append(",").append(r % 2).append('\n');
        Dataset d = read(b.toString(), x3y());
        assertEquals(1000, d.size());
        assertEquals(999.5, d.column("x")[999 * 3 + 1]);
        assertEquals(3000, d.column("x").length);
    }

    @Test void greekAndUnderscoreNamesMatchAsWritten() throws Exception {
        var sig = sig(List.of(t("α", 2), t("x_in", 2)), List.of(t("y")));
        Dataset d = read("α1,α₂,x_in1,x_in[2],y\n1,2,3,4,5\n", sig);
        assertArrayEquals(new double[] {1, 2}, d.column("α"));
        assertArrayEquals(new double[] {3, 4}, d.column("x_in"));
    }
}
