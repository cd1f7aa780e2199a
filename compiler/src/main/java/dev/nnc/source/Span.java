package dev.nnc.source;

/**
 * A range of code points [start, end) in a source file. Every AST node has one.
 * Spans take no part in the meaning of a program: {@code dev.nnc.ast.AstEquality} ignores them.
 */
public record Span(SourceFile file, int start, int end) {
    public Span {
        if (start < 0 || end < start) throw new IllegalArgumentException("internal: bad span " + start + ".." + end);
    }

    public int line() { return file.lineOf(start); }

    public int column() { return file.columnOf(start); }

    public int endLine() { return file.lineOf(Math.max(start, end - 1)); }

    /** The smallest span covering both. */
    public Span to(Span other) {
        return new Span(file, Math.min(start, other.start), Math.max(end, other.end));
    }

    /** The source text it covers. */
    public String text() {
        return file.text(start, end);
    }

    public String location() { return file.name() + ":" + line() + ":" + column(); }

    @Override public boolean equals(Object o) {
        return o instanceof Span s && s.file == file && s.start == start && s.end == end;
    }

    @Override public int hashCode() { return 31 * start + end; }

    @Override public String toString() { return location(); }
}
