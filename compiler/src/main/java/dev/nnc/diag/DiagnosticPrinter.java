package dev.nnc.diag;

import dev.nnc.source.Span;

/**
 * Renders a diagnostic the way good compilers do:
 * <pre>
 * seed.nn:12:8: error[undefined-name]: undefined name 'sigmoidd'
 *    12 |   n1 = sigmoidd(w11·x₁ + b1)
 *       |        ^^^^^^^^
 *       = hint: did you mean 'sigmoid'?
 * </pre>
 */
public final class DiagnosticPrinter {
    private DiagnosticPrinter() {}

    public static String render(Diagnostic d) {
        var out = new StringBuilder();
        out.append(d.headline()).append('\n');
        int width = gutterWidth(d);
        excerpt(out, d.span(), width);
        if (d.hint() != null) out.append(" ".repeat(width + 1)).append("= hint: ").append(d.hint()).append('\n');
        for (var r : d.related()) {
            out.append(r.span().location()).append(": note: ").append(r.message()).append('\n');
            excerpt(out, r.span(), width);
        }
        return out.toString();
    }

    private static int gutterWidth(Diagnostic d) {
        int max = d.span().line();
        for (var r : d.related()) max = Math.max(max, r.span().line());
        return Math.max(3, String.valueOf(max).length() + 1);
    }

    /** Columns of a source line shown around the caret; a longer line is cut to them, with … where it is cut. */
    static final int WINDOW = 100;

    private static void excerpt(StringBuilder out, Span span, int width) {
        int line = span.line();
        int[] cps = span.file().line(line).codePoints().toArray();
        int col = span.column();
        int endCol = span.endLine() == line ? col + (span.end() - span.start()) : cps.length + 1;
        int carets = Math.max(1, Math.min(endCol, cps.length + 1) - col);
        // a line of 50,000 terms is shown from a little before the caret, not whole
        int from = 0, to = cps.length;
        if (cps.length > WINDOW) {
            from = Math.max(0, Math.min(col - 1 - WINDOW / 4, cps.length - WINDOW));
            to = Math.min(cps.length, from + WINDOW);
            carets = Math.min(carets, Math.max(1, to - (col - 1)));
        }
        String before = from > 0 ? "…" : "", after = to < cps.length ? "…" : "";
        out.append(pad(String.valueOf(line), width)).append(" | ").append(before).append(new String(cps, from, to - from)).append(after).append('\n');
        var marker = new StringBuilder(before.isEmpty() ? "" : " ");
        // Copy tabs from the source line so the carets line up however the terminal renders them.
        for (int i = from; i < col - 1 && i < cps.length; i++) marker.append(cps[i] == '\t' ? '\t' : ' ');
        for (int i = Math.max(from, cps.length); i < col - 1; i++) marker.append(' ');
        marker.append("^".repeat(Math.max(1, carets)));
        out.append(" ".repeat(width)).append(" | ").append(marker).append('\n');
    }

    private static String pad(String s, int width) { return " ".repeat(Math.max(0, width - s.length())) + s; }
}
