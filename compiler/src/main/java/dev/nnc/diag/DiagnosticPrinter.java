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

    private static void excerpt(StringBuilder out, Span span, int width) {
        int line = span.line();
        String text = span.file().line(line);
        out.append(pad(String.valueOf(line), width)).append(" | ").append(text).append('\n');
        int col = span.column();
        int lineLength = text.codePointCount(0, text.length());
        int endCol = span.endLine() == line ? col + (span.end() - span.start()) : lineLength + 1;
        int carets = Math.max(1, Math.min(endCol, lineLength + 1) - col);
        var marker = new StringBuilder();
        // Copy tabs from the source line so the carets line up however the terminal renders them.
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < col - 1 && i < cps.length; i++) marker.append(cps[i] == '\t' ? '\t' : ' ');
        for (int i = cps.length; i < col - 1; i++) marker.append(' ');
        marker.append("^".repeat(carets));
        out.append(" ".repeat(width)).append(" | ").append(marker).append('\n');
    }

    private static String pad(String s, int width) { return " ".repeat(Math.max(0, width - s.length())) + s; }
}
