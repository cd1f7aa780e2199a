package dev.nnc.source;

import java.util.Arrays;
import java.util.Objects;

/**
 * The text of one .nn file and where its lines start, so that a {@link Span} can show its source line.
 * Offsets and columns count Unicode code points, as the lexer does: Σ or ᵢ is one column.
 */
public final class SourceFile {
    private final String name;
    private final int[] codePoints;
    private final int[] lineStarts;

    public SourceFile(String name, String text) {
        this.name = Objects.requireNonNull(name);
        this.codePoints = text.codePoints().toArray();
        int[] starts = new int[16];
        int count = 0;
        starts[count++] = 0;
        for (int i = 0; i < codePoints.length; i++) {
            int c = codePoints[i];
            boolean lineEnd = c == '\n' || (c == '\r' && (i + 1 == codePoints.length || codePoints[i + 1] != '\n'));
            if (lineEnd) {
                if (count == starts.length) starts = Arrays.copyOf(starts, count * 2);
                starts[count++] = i + 1;
            }
        }
        this.lineStarts = Arrays.copyOf(starts, count);
    }

    public String name() { return name; }

    public String text() {
        String t = text;
        if (t == null) text = t = new String(codePoints, 0, codePoints.length);
        return t;
    }

    private String text;

    /** The text of the code points [start, end), clamped to the file; in time proportional to its length. */
    public String text(int start, int end) {
        int from = Math.min(start, codePoints.length);
        return new String(codePoints, from, Math.max(from, Math.min(end, codePoints.length)) - from);
    }

    public int length() { return codePoints.length; }

    public int lineCount() { return lineStarts.length; }

    /** Line of a code-point offset, 1-based. */
    public int lineOf(int offset) {
        int i = Arrays.binarySearch(lineStarts, Math.max(0, Math.min(offset, codePoints.length)));
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** Column of a code-point offset, 1-based. */
    public int columnOf(int offset) {
        return Math.max(0, Math.min(offset, codePoints.length)) - lineStarts[lineOf(offset) - 1] + 1;
    }

    /** Offset of a 1-based line and column. */
    public int offsetOf(int line, int column) {
        return lineStarts[Math.max(0, Math.min(line, lineStarts.length) - 1)] + column - 1;
    }

    /** The text of a 1-based line without its line terminator. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) return "";
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] : codePoints.length;
        while (end > start && (codePoints[end - 1] == '\n' || codePoints[end - 1] == '\r')) end--;
        return new String(codePoints, start, end - start);
    }

    public Span span(int start, int end) { return new Span(this, start, Math.max(start, end)); }

    @Override public String toString() { return name; }
}
