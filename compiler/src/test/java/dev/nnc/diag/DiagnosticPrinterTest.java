package dev.nnc.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.source.SourceFile;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiagnosticPrinterTest {
    /** The excerpt of a diagnostic on a line of n characters at column c: its two lines, without the gutter. */
    static List<String> excerpt(String line, int column, int length) {
        var file = new SourceFile("t.nn", "first\n" + line + "\nlast\n");
        int start = file.offsetOf(2, column);
        var d = new Diagnostic(Key.SYNTAX, file.span(start, start + length), "m", null, List.of());
        var lines = DiagnosticPrinter.render(d).lines().toList();
        return List.of(lines.get(1).substring(lines.get(1).indexOf(" | ") + 3), lines.get(2).substring(lines.get(2).indexOf(" | ") + 3));
    }

    @Test
    void aShortLineIsShownWhole() {
        assertEquals(List.of("  o = a + b", "          ^"), excerpt("  o = a + b", 11, 1));
    }

    /** On lines of every length, at every place: a window of the line, whose caret is under the character it marks. */
    @Test
    void aLongLineIsShownAroundItsCaret() {
        var random = new Random(15);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + random.nextInt(random.nextBoolean() ? 150 : 20_000);
            var text = new StringBuilder();
            for (int i = 0; i < n; i++) text.append((char) ('a' + random.nextInt(26)));
            int column = 1 + random.nextInt(n);
            int length = 1 + random.nextInt(Math.min(5, n - column + 1));
            var shown = excerpt(text.toString(), column, length);
            String source = shown.get(0), marker = shown.get(1);
            assertTrue(source.codePointCount(0, source.length()) <= DiagnosticPrinter.WINDOW + 2, "at most the window and two …: " + source.length());
            int caret = marker.indexOf('^');
            assertEquals(text.charAt(column - 1), source.charAt(caret), "the caret is under its character (n " + n + ", column " + column + ")");
            assertEquals(source.startsWith("…"), column > DiagnosticPrinter.WINDOW / 4 + 1 && n > DiagnosticPrinter.WINDOW);
            assertEquals(length, marker.length() - caret, "one caret per marked character");
        }
    }
}
