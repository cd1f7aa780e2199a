package dev.nnc.parse;

import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.diag.Products;
import dev.nnc.source.SourceFile;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.List;
import org.antlr.v4.runtime.Token;

/**
 * Characters from a page that .nn does not read, with what to write instead: a vulgar fraction ({@code ½} is
 * {@code 0.5}, {@code ⅓} is {@code 1/3}), a transpose ({@code Wᵀ x} is {@code Σᵢ W[i,j] x[i]}). Every character
 * Unicode gives a fraction decomposition ({@code ½} → {@code 1⁄2}) is a fraction here, so no table can miss one.
 */
final class Strays {
    private Strays() {}

    /** The characters that mean a transpose on paper: ᵀ (modifier capital T) and ⊤ (down tack). */
    static final List<Integer> TRANSPOSES = List.of(0x1D40, 0x22A4);

    /** Reports the character if it is one of these; false leaves it to the general message. */
    static boolean report(Token t, SourceFile source, Diagnostics diagnostics) {
        int cp = t.getText().codePointAt(0);
        int at = t.getStartIndex();
        var span = source.span(at, Math.min(source.length(), at + 1));
        String shown = new String(Character.toChars(cp));
        BigDecimal[] fraction = fraction(cp);
        if (fraction != null) {
            String whole = digitsBefore(source, at);
            diagnostics.error(Key.UNEXPECTED_CHAR, span, "'" + shown + "' is not a number in .nn", "write "
                    + spelled(fraction, whole) + (whole.isEmpty() ? "" : " for " + whole + shown));
            return true;
        }
        if (TRANSPOSES.contains(cp)) {
            String matrix = nameBefore(source, at), vector = nameAfter(source, at + 1);
            String hint;
            if (matrix.isEmpty()) {
                hint = "write the product as a sum over the shared index, e.g. Σᵢ W[i,j] x[i]";
            } else if (vector.isEmpty()) {
                hint = "swap the indices instead: " + matrix + shown + "[j,i] is " + matrix + "[i,j]";
            } else {
                hint = Products.hint(new Products.Contraction(matrix, 2, 0, vector, 1, 0), List.of());
            }
            diagnostics.error(Key.TRANSPOSE, span, "there is no transpose in .nn", hint);
            return true;
        }
        return false;
    }

    /** A vulgar fraction's numerator and denominator (⅟ has none, and is 1 over what follows), or null. */
    static BigDecimal[] fraction(int cp) {
        if (Character.getType(cp) != Character.OTHER_NUMBER) return null;
        String d = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKD);
        int slash = d.indexOf('\u2044');
        if (slash < 0) return null;
        try {
            var numerator = new BigDecimal(d.substring(0, slash));
            var denominator = slash + 1 < d.length() ? new BigDecimal(d.substring(slash + 1)) : null;
            return new BigDecimal[] {numerator, denominator};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** 0.5, 0.75, 1.5; 1/3 where the decimal does not end; 1/x for ⅟. */
    static String spelled(BigDecimal[] f, String whole) {
        if (f[1] == null) return f[0].toPlainString() + "/x";
        BigDecimal w = whole.isEmpty() ? BigDecimal.ZERO : new BigDecimal(whole);
        try {
            return w.add(f[0].divide(f[1])).stripTrailingZeros().toPlainString();
        } catch (ArithmeticException repeating) {
            return whole.isEmpty() ? f[0].toPlainString() + "/" + f[1].toPlainString()
                    : "(" + whole + " + " + f[0].toPlainString() + "/" + f[1].toPlainString() + ")";
        }
    }

    private static String digitsBefore(SourceFile source, int at) {
        String line = source.line(source.lineOf(at));
        int column = source.columnOf(at) - 1;
        int end = line.offsetByCodePoints(0, column), start = end;
        while (start > 0 && Character.isDigit(line.charAt(start - 1)) && line.charAt(start - 1) < 128) start--;
        if (start > 0 && (Character.isLetter(line.charAt(start - 1)) || line.charAt(start - 1) == '.')) return "";
        return line.substring(start, end);
    }

    private static String nameBefore(SourceFile source, int at) {
        String line = source.line(source.lineOf(at));
        int end = line.offsetByCodePoints(0, source.columnOf(at) - 1), start = end;
        while (start > 0 && (Character.isLetterOrDigit(line.charAt(start - 1)) || line.charAt(start - 1) == '_')) start--;
        String name = line.substring(start, end);
        return name.isEmpty() || !Character.isLetter(name.charAt(0)) ? "" : name;
    }

    private static String nameAfter(SourceFile source, int at) {
        if (at >= source.length()) return "";
        String line = source.line(source.lineOf(at));
        int start = line.offsetByCodePoints(0, source.columnOf(at) - 1);
        while (start < line.length() && (line.charAt(start) == ' ' || line.charAt(start) == '·' || line.charAt(start) == '*')) start++;
        int end = start;
        while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) end++;
        String name = line.substring(start, end);
        if (end < line.length() && line.charAt(end) == '(') return ""; // a call: its result's shape is unknown here
        return name.isEmpty() || !Character.isLetter(name.charAt(0)) ? "" : name;
    }
}
