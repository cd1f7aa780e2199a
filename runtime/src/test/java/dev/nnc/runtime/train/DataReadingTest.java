package dev.nnc.runtime.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReadingTest {
    @TempDir Path dir;

    private static final Signature SIG = new Signature("Net", List.of(new TensorInfo("x", List.of(2))), List.of(new TensorInfo("y", List.of())),
            List.of(), List.of(), "J", List.of());

    private Path csv(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static TrainSettings.Merged settings(List<Path> data, List<Path> validation, List<Path> test) {
        var options = new TrainSettings(data, validation, test, null, null, null, null, null, null);
        return new TrainSettings.Merged(options, TrainSettings.NONE);
    }

    private static List<Thread> readers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("nnc-data") && t.isAlive()).toList();
    }

    @Test void everySetAsReadAndNoneWhereNoFilesAreGiven() throws Exception {
        Path data = csv("train.csv", "x1,x2,y\n1,2,3\n4,5,6\n"), test = csv("test.csv", "x1,x2,y\n7,8,9\n");
        try (var reading = DataReading.start(settings(List.of(data), List.of(), List.of(test)), SIG, List.of())) {
            assertArrayEquals(new double[] {1, 2, 4, 5}, reading.data().column("x"));
            assertNull(reading.validation());
            assertArrayEquals(new double[] {9}, reading.test().column("y"));
        }
        assertEquals(List.of(), readers());
    }

    /** Every set is read at once, but the failures are said in the order the sets were always read in: training data first. */
    @Test void aFailureIsThrownWhereItsSetIsTakenInTheOrderTheSetsWereAlwaysRead() throws Exception {
        Path good = csv("good.csv", "x1,x2,y\n1,2,3\n"), badData = csv("bad.csv", "x1,x2,y\n1,oops,3\n");
        Path badTest = csv("badtest.csv", "x1,y\n1,3\n");
        try (var reading = DataReading.start(settings(List.of(badData), List.of(), List.of(badTest)), SIG, List.of())) {
            var e = assertThrows(DataError.class, reading::data);
            assertTrue(e.getMessage().startsWith(badData + ":2:"), e.getMessage());
        }
        try (var reading = DataReading.start(settings(List.of(good), List.of(good), List.of(badTest)), SIG, List.of())) {
            assertEquals(1, reading.data().size());
            assertEquals(1, reading.validation().size());
            var e = assertThrows(DataError.class, reading::test);
            assertTrue(e.getMessage().startsWith(badTest.toString()), e.getMessage());
        }
        assertEquals(List.of(), readers());
    }

    /** A read given up stops at its next row, chunk or file instead of finishing what nobody will use. */
    @Test void aReadOnAnInterruptedThreadStops() throws Exception {
        Path data = csv("train.csv", "x1,x2,y\n1,2,3\n");
        Thread.currentThread().interrupt();
        try {
            var e = assertThrows(DataError.class, () -> DataFiles.read(List.of(data), SIG, true));
            assertEquals(data + ": reading stopped (interrupted)", e.getMessage());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, DataFiles.read(List.of(data), SIG, true).size());
    }

    @Test void closingBeforeTheDataIsTakenLeavesNoReaderRunning() throws Exception {
        Path data = csv("train.csv", "x1,x2,y\n" + "1,2,3\n".repeat(200_000));
        try (var reading = DataReading.start(settings(List.of(data), List.of(data), List.of(data)), SIG, List.of())) {
            assertNotNull(reading); // a command that fails before it uses the data
        }
        assertEquals(List.of(), readers());
    }
}
