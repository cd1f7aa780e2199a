package dev.nnc.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.train.EpochStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The progress display on a fake terminal: standard output and the bar's stream write into one screen, as they do on
 * a real terminal, and the screen is what a terminal would show after the carriage returns and line clears.
 */
class ProgressTest {
    /** A terminal of one column per character: {@code \r} goes to the line's start, ESC[K clears to its end. */
    static List<String> screen(String written) {
        List<String> lines = new ArrayList<>();
        var line = new StringBuilder();
        int col = 0;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '\n') {
                lines.add(line.toString());
                line.setLength(0);
                col = 0;
            } else if (c == '\r') {
                col = 0;
            } else if (c == '\033' && written.startsWith("[K", i + 1)) {
                line.setLength(col);
                i += 2;
            } else {
                if (col < line.length()) line.setCharAt(col, c);
                else line.append(c);
                col++;
            }
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }

    static EpochStats stats(int epoch) { return new EpochStats(epoch, 0.5 / epoch, 0.75, 0.6, 0.7, 0.01, 0.004); }

    /** Short epochs (a batch or a few, each drawn), long ones (many batches, some not drawn), and none drawn at all. */
    @Test
    void everyEpochLineStartsOnACleanLine() {
        for (int batches : new int[] {1, 2, 3, 50}) {
            for (long step : new long[] {1, 50_000_000, 250_000_000, 5_000_000_000L}) {
                var shared = new StringWriter(); // one terminal: stdout and stderr both end up on it
                var out = new PrintWriter(shared, true);
                long[] now = {0};
                var progress = new Progress(out, new PrintWriter(shared, true), () -> now[0] += step, 80);
                int epochs = 12, samples = batches * 16;
                progress.begin(1, epochs, batches, samples);
                for (int e = 1; e <= epochs; e++) {
                    for (int b = 1; b <= batches; b++) progress.batch(e, b, b * 16, 0.5);
                    progress.epoch(stats(e));
                }
                progress.end();
                var lines = screen(shared.toString());
                List<String> expected = new ArrayList<>();
                for (int e = 1; e <= epochs; e++) expected.add(Progress.line(stats(e), epochs, samples));
                assertEquals(expected, lines, batches + " batches, " + step + " ns a batch:\n" + shared.toString().replace("\033", "ESC"));
            }
        }
    }

    @Test
    void aMessageAfterTheBarStartsOnACleanLineToo() {
        var shared = new StringWriter();
        long[] now = {0};
        var progress = new Progress(new PrintWriter(shared, true), new PrintWriter(shared, true), () -> now[0] += 300_000_000, 80);
        progress.begin(1, 3, 10, 160);
        progress.batch(1, 1, 16, 0.9);
        progress.batch(1, 2, 32, 0.8);
        assertTrue(screen(shared.toString()).get(0).startsWith("epoch 1/3 ██"), shared.toString());
        progress.clear(); // what nnc train does when training stops, before it says why
        new PrintWriter(shared, true).println("nnc: training stopped in epoch 1");
        assertEquals(List.of("nnc: training stopped in epoch 1"), screen(shared.toString()));
    }

    @Test
    void theBarFitsTheTerminal() {
        var shared = new StringWriter();
        long[] now = {0};
        var progress = new Progress(new PrintWriter(shared, true), new PrintWriter(shared, true), () -> now[0] += 300_000_000, 30);
        progress.begin(1, 1000, 1000, 1_000_000);
        progress.batch(999, 1, 1000, 123.456);
        var lines = screen(shared.toString());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).length() < 30, lines.get(0));
    }

    @Test
    void withoutATerminalOnlyTheEpochLines() {
        var out = new StringWriter();
        var progress = new Progress(new PrintWriter(out, true), null);
        progress.begin(1, 2, 3, 48);
        for (int b = 1; b <= 3; b++) progress.batch(1, b, b * 16, 0.5);
        progress.epoch(stats(1));
        progress.end();
        assertEquals(Progress.line(stats(1), 2, 48) + System.lineSeparator(), out.toString());
        assertFalse(out.toString().contains("\r"));
    }

    @Test
    void theBarSaysWhereTheEpochIs() {
        assertEquals("epoch  3/10 ██████████░░░░░░░░░░  50 %  100/s  loss 0.2500  0:05 left", Progress.bar(3, 10, 500, 1000, 0.25, 5));
        assertEquals("epoch 1/1 ████████████████████ 100 %  200/s  loss 0.1000", Progress.bar(1, 1, 1000, 1000, 0.1, 5));
    }
}
