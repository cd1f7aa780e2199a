package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dnnc.profile=statements} times the generated code statement by statement (runtime StatementTimes): `nnc
 * train` on samples/xor.nn reports every statement of its blocks with its share, its time a call and its calls — the
 * per-sample ones once per training sample and epoch — and trains to the same weights, byte for byte, as without it.
 * What runs within the warm-up ({@code -Dnnc.profile.warmup}, seconds) is left out, unless the run ends within it.
 */
class StatementTimesTest {
    @TempDir Path dir;

    @Test
    void theProfileReportsEveryStatementAndChangesNoResult() throws Exception {
        Path plain = dir.resolve("plain.safetensors"), timed = dir.resolve("timed.safetensors");
        train(List.of(), plain);
        String report = train(List.of("-Dnnc.profile=statements", "-Dnnc.profile.warmup=0"), timed);
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(timed), "the profile changed the weights");

        assertTrue(report.contains("time per statement of the generated code (share, µs a call, calls), after the first 0 s"), report);
        Matcher m = Pattern.compile("(?m)^\\s+([0-9.]+) %\\s+([0-9.]+) µs\\s+(\\d+)  (.+)$").matcher(report);
        double share = 0;
        int lines = 0;
        long lossCalls = -1;
        while (m.find()) {
            lines++;
            share += Double.parseDouble(m.group(1));
            assertTrue(Long.parseLong(m.group(3)) > 0, m.group());
            if (m.group(4).equals("loss += J")) lossCalls = Math.max(lossCalls, Long.parseLong(m.group(3)));
        }
        assertTrue(lines >= 5, report);
        assertEquals(100, share, 1.0, "the shares add up to the whole: " + report);
        // xor.csv: 0.8 of its samples train, 200 epochs; the loss is added once per training sample (and validation)
        assertTrue(lossCalls >= 200 * 0.8 * Files.readAllLines(Repo.root().resolve("samples/data/xor.csv")).stream().skip(1).count() - 200,
                "the loss's statement ran once per sample: " + report);
    }

    /** A run that ends within the warm-up is reported whole, and says so. */
    @Test
    void aRunWithinTheWarmUpIsReportedWhole() throws Exception {
        String report = train(List.of("-Dnnc.profile=statements", "-Dnnc.profile.warmup=100000"), dir.resolve("w.safetensors"));
        assertTrue(report.contains("the whole run (it ended within the JIT's warm-up)"), report);
        assertTrue(report.contains("loss += J"), report);
    }

    /** A warm-up that is not a number of seconds is said, in one line, and the default taken: no stack trace. */
    @Test
    void aWarmUpThatIsNoNumberIsSaidAndIgnored() throws Exception {
        String report = train(List.of("-Dnnc.profile=statements", "-Dnnc.profile.warmup=soon"), dir.resolve("s.safetensors"));
        assertTrue(report.contains("nnc: -Dnnc.profile.warmup=soon is not a number of seconds (0 or more); the profile leaves out the first 5"), report);
        assertTrue(!report.contains("Exception") && !report.contains("\tat "), report);
        assertTrue(report.contains("time per statement of the generated code"), report);
    }

    private String train(List<String> flags, Path out) throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Dnnc.threads=1"));
        jvm.addAll(flags);
        return FreshJvm.nnc(dir, jvm, "train", Repo.root().resolve("samples/xor.nn").toString(), "--quiet", "-o", out.toString());
    }
}
