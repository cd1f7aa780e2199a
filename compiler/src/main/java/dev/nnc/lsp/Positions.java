package dev.nnc.lsp;

import dev.nnc.source.SourceFile;
import dev.nnc.source.Span;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Between the compiler's places (code-point offsets, 1-based lines and columns) and LSP's (0-based lines, columns in
 * UTF-16 code units, as the protocol counts unless told otherwise): Σ is one of both, 𝔼 is one code point but two
 * UTF-16 units.
 */
final class Positions {
    private Positions() {}

    static Position position(SourceFile f, int offset) {
        int line = f.lineOf(offset), column = f.columnOf(offset) - 1;
        String text = f.line(line);
        int units = text.offsetByCodePoints(0, Math.min(column, text.codePointCount(0, text.length())));
        return new Position(line - 1, units);
    }

    static Range range(Span s) { return new Range(position(s.file(), s.start()), position(s.file(), s.end())); }

    /** The code-point offset of an LSP position; past the end of its line, the line's end. */
    static int offset(SourceFile f, Position p) {
        int line = Math.max(1, Math.min(p.getLine() + 1, f.lineCount()));
        String text = f.line(line);
        int units = Math.max(0, Math.min(p.getCharacter(), text.length()));
        return f.offsetOf(line, text.codePointCount(0, units) + 1);
    }
}
