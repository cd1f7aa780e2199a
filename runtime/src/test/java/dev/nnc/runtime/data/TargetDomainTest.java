package dev.nnc.runtime.data;

import static dev.nnc.runtime.data.Fixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.runtime.Signature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Targets outside their loss's domain are refused by the readers at their row and column, or byte and item. */
class TargetDomainTest {
    @TempDir Path dir;

    static final String WHY = "bce reads its target as a label 0 or 1, or a probability between them";
    static final List<TargetDomain> BCE = List.of(new TargetDomain.Range("y", TargetDomain.ALL, 0, 1, WHY));

    Dataset csv(String text, List<TargetDomain> domains, Signature sig) throws Exception {
        Path f = Files.writeString(dir.resolve("d.csv"), text);
        return DataFiles.read(List.of(f), sig, true, domains);
    }

    String csvProblem(String text, List<TargetDomain> domains, Signature sig) {
        return assertThrows(DataError.class, () -> csv(text, domains, sig)).getMessage().replace(dir + "/", "");
    }

    @Test void everyValueOfARangedTargetIsCheckedAtItsCell() throws Exception {
        var sig = x3y();
        assertEquals(3, csv("x1,x2,x3,y\n1,2,3,0\n1,2,3,1\n1,2,3,0.25\n", BCE, sig).size());
        for (String v : List.of("7", "-0.001", "1.0000001", "1e9")) {
            assertEquals("d.csv:3:4: " + v + " in column y is outside 0 to 1: " + WHY, csvProblem("x1,x2,x3,y\n1,2,3,0\n1,2,3," + v + "\n", BCE, sig));
        }
        // inputs are never checked against a target's domain, and without domains nothing is
        assertEquals(2, csv("x1,x2,x3,y\n7,2,3,0\n1,2,3,1\n", BCE, sig).size());
        assertEquals(1, csv("x1,x2,x3,y\n1,2,3,7\n", List.of(), sig).size());
    }

    @Test void aRangeOnOneElementChecksThatElementOnly() throws Exception {
        var sig = sig(List.of(t("x")), List.of(t("y", 2)));
        var first = List.<TargetDomain>of(new TargetDomain.Range("y", 0, 0, 1, WHY));
        assertEquals(1, csv("x,y1,y2\n1,1,40\n", first, sig).size());
        assertEquals("d.csv:2:2: 3 in column y1 is outside 0 to 1: " + WHY, csvProblem("x,y1,y2\n1,3,40\n", first, sig));
        assertEquals("d.csv:2:3: 3 in column y[2] is outside 0 to 1: " + WHY,
                csvProblem("x,y[1],y[2]\n1,1,3\n", List.of(new TargetDomain.Range("y", 1, 0, 1, WHY)), sig));
    }

    @Test void aDistributionSumsToOneInEveryRowAndALabelAlwaysDoes() throws Exception {
        var sig = x2y3();
        var sums = List.<TargetDomain>of(new TargetDomain.Distribution("y", "softmax needs it"));
        assertEquals(2, csv("x1,x2,y1,y2,y3\n1,2,0,1,0\n1,2,0.2,0.3,0.5\n", sums, sig).size());
        assertEquals("d.csv:3:3: the target y sums to 0.9, but softmax needs it",
                csvProblem("x1,x2,y1,y2,y3\n1,2,0,1,0\n1,2,0.5,0.2,0.2\n", sums, sig));
        assertEquals("d.csv:2:4: the target y sums to 2, but softmax needs it", csvProblem("x1,x2,q,y1,y2,y3\n1,2,9,1,1,0\n", sums, sig),
                "at the target's first column");
        assertEquals(2, csv("x1,x2,y\n1,2,0\n1,2,2\n", sums, sig).size(), "class labels are one-hot");
    }

    @Test void idxTargetsAreCheckedAtTheirByteAndItem() throws Exception {
        var sig = sig(List.of(t("x", 2)), List.of(t("y")));
        Path x = Files.write(dir.resolve("x-idx"), ubytes(dims(3, 2), 1, 2, 3, 4, 5, 6));
        Path y = Files.write(dir.resolve("y-idx"), Fixtures.idx(IdxType.FLOAT, dims(3), 0, 1, 1.5));
        var e = assertThrows(DataError.class, () -> DataFiles.read(List.of(x, y), sig, true, BCE));
        assertEquals(y + ": byte 16 (item 2): value 1.5 of target y is outside 0 to 1: " + WHY, e.getMessage());

        var sig3 = sig(List.of(t("x", 2)), List.of(t("y", 2)));
        Path y2 = Files.write(dir.resolve("y2-idx"), Fixtures.idx(IdxType.FLOAT, dims(3, 2), 1, 0, 0.5, 0.5, 0.5, 0.25));
        var sums = List.<TargetDomain>of(new TargetDomain.Distribution("y", "softmax needs it"));
        e = assertThrows(DataError.class, () -> DataFiles.read(List.of(x, y2), sig3, true, sums));
        assertEquals(y2 + ": byte 28 (item 2): the target y sums to 0.75, but softmax needs it", e.getMessage());
        Path labels = Files.write(dir.resolve("l-idx"), ubytes(dims(3), 0, 1, 1));
        assertEquals(3, DataFiles.read(List.of(x, labels), sig3, true, sums).size(), "labels are one-hot rows");
    }

    @Test void theTextOfAMessage() {
        assertEquals("0.9", TargetDomain.number(0.8999999999999999));
        assertEquals("7", TargetDomain.number(7.0));
        assertEquals("-0.001", TargetDomain.number(-0.001));
        assertEquals("NaN", TargetDomain.number(Double.NaN));
        var ranges = new ArrayList<TargetDomain>(BCE);
        assertEquals(null, TargetDomain.outside(ranges, "y", 0, 1));
        assertEquals(BCE.get(0), TargetDomain.outside(ranges, "y", 5, Double.NaN));
        assertEquals(null, TargetDomain.outside(ranges, "z", 0, 7));
    }
}
