package dev.nnc.ast;

import java.util.HashMap;
import java.util.Map;

/**
 * Spellings of names. Greek letters are ordinary identifier letters and each has an ASCII spelling:
 * an identifier segment (split at '_', trailing digits kept) that is exactly a letter's name means the
 * letter, so {@code alpha}, {@code beta1} and {@code theta} are {@code α}, {@code β1} and {@code θ}.
 * The canonical form is the Greek one; {@link #ascii} spells it back.
 */
public final class Names {
    private Names() {}

    private static final String[] LOWER = {
        "alpha", "α", "beta", "β", "gamma", "γ", "delta", "δ", "epsilon", "ε", "zeta", "ζ", "eta", "η",
        "theta", "θ", "iota", "ι", "kappa", "κ", "lambda", "λ", "mu", "μ", "nu", "ν", "xi", "ξ",
        "omicron", "ο", "pi", "π", "rho", "ρ", "sigma", "σ", "tau", "τ", "upsilon", "υ", "phi", "φ",
        "chi", "χ", "psi", "ψ", "omega", "ω",
        // Σ is the sum and never a name, so "Sigma" stays ASCII.
        "Alpha", "Α", "Beta", "Β", "Gamma", "Γ", "Delta", "Δ", "Epsilon", "Ε", "Zeta", "Ζ", "Eta", "Η",
        "Theta", "Θ", "Iota", "Ι", "Kappa", "Κ", "Lambda", "Λ", "Mu", "Μ", "Nu", "Ν", "Xi", "Ξ",
        "Omicron", "Ο", "Pi", "Π", "Rho", "Ρ", "Tau", "Τ", "Upsilon", "Υ", "Phi", "Φ",
        "Chi", "Χ", "Psi", "Ψ", "Omega", "Ω",
    };
    private static final Map<String, String> TO_GREEK = new HashMap<>();
    private static final Map<String, String> TO_ASCII = new HashMap<>();

    static {
        for (int i = 0; i < LOWER.length; i += 2) {
            TO_GREEK.put(LOWER[i], LOWER[i + 1]);
            TO_ASCII.put(LOWER[i + 1], LOWER[i]);
        }
    }

    /** Variant letter forms fold to the usual ones: ς→σ, ϑ→θ, ϕ→φ, ϵ→ε. */
    private static String foldVariants(String s) {
        return s.replace('ς', 'σ').replace('ϑ', 'θ').replace('ϕ', 'φ').replace('ϵ', 'ε');
    }

    /** The canonical (Greek) form of an identifier as written. */
    public static String canonical(String written) {
        return mapSegments(foldVariants(written), TO_GREEK);
    }

    /** The ASCII spelling of a canonical identifier (segments that are one Greek letter become its name). */
    public static String ascii(String canonical) {
        return mapSegments(canonical, TO_ASCII);
    }

    private static String mapSegments(String name, Map<String, String> table) {
        var out = new StringBuilder(name.length() + 8);
        int start = 0;
        while (start <= name.length()) {
            int end = name.indexOf('_', start);
            if (end < 0) end = name.length();
            out.append(mapSegment(name.substring(start, end), table));
            if (end < name.length()) out.append('_');
            start = end + 1;
        }
        return out.toString();
    }

    private static String mapSegment(String segment, Map<String, String> table) {
        int digits = segment.length();
        while (digits > 0 && Character.isDigit(segment.charAt(digits - 1))) digits--;
        String letters = segment.substring(0, digits);
        String mapped = table.get(letters);
        return mapped == null ? segment : mapped + segment.substring(digits);
    }

    // ─── Subscripts and superscripts ───────────────────────────────────────────────────────────────

    private static final String SUB_DIGITS = "₀₁₂₃₄₅₆₇₈₉";
    private static final String SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private static final String SUB_LETTERS = "ₐₑₒₓₕₖₗₘₙₚₛₜᵢᵣᵤᵥⱼ";
    private static final String SUB_PLAIN = "aeoxhklmnpstiruvj";
    private static final String SUPER_LETTERS = "ⁱⁿᵗᵏʲᵐ";
    private static final String SUPER_PLAIN = "intkjm";

    /** The plain letter of a subscript letter, or 0. */
    public static char subscriptLetter(int codePoint) {
        int i = SUB_LETTERS.indexOf(codePoint);
        return i < 0 ? 0 : SUB_PLAIN.charAt(i);
    }

    /** The digit value of a subscript digit, or -1. */
    public static int subscriptDigit(int codePoint) { return SUB_DIGITS.indexOf(codePoint); }

    public static char superscriptLetter(int codePoint) {
        int i = SUPER_LETTERS.indexOf(codePoint);
        return i < 0 ? 0 : SUPER_PLAIN.charAt(i);
    }

    public static int superscriptDigit(int codePoint) { return SUPER_DIGITS.indexOf(codePoint); }

    /** The subscript spelling of an index name or number, or null if it has none. */
    public static String subscript(String plain) {
        return script(plain, SUB_PLAIN, SUB_LETTERS, SUB_DIGITS, false);
    }

    /** The superscript spelling of a single-letter name or a number, or null if it has none. */
    public static String superscript(String plain) {
        return script(plain, SUPER_PLAIN, SUPER_LETTERS, SUPER_DIGITS, true);
    }

    private static String script(String plain, String letters, String marks, String digits, boolean allowMinus) {
        if (plain.isEmpty()) return null;
        boolean number = plain.chars().allMatch(c -> Character.isDigit(c) || (allowMinus && c == '-'));
        if (number) {
            var out = new StringBuilder();
            for (char c : plain.toCharArray()) out.append(c == '-' ? '⁻' : digits.charAt(c - '0'));
            return out.toString();
        }
        if (plain.length() != 1) return null; // ᵢⱼ would read as two indices
        int i = letters.indexOf(plain.charAt(0));
        return i < 0 ? null : String.valueOf(marks.charAt(i));
    }
}
