package dev.nnc.resolve;

import dev.nnc.ast.Names;
import java.util.Collection;
import java.util.Locale;

/** "did you mean softmax?": the closest name within a small edit distance, compared case-insensitively. */
public final class Suggest {
    private Suggest() {}

    public static String closest(String wrong, Collection<String> candidates) {
        String w = key(wrong);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        // One- and two-letter names are too close to everything for a guess to help.
        int limit = Math.max(0, Math.min(3, (w.length() - 1) / 2));
        for (String c : candidates) {
            if (c.equals(wrong)) continue;
            int d = distance(w, key(c));
            if (d <= limit && d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null ? best : numbered(wrong, candidates);
    }

    /**
     * a4 when only a1 … a3 exist, W3 beside W: names that differ in their number only, however short. The nearest
     * number wins, the lower one on a tie; a name without a number is the farthest.
     */
    private static String numbered(String wrong, Collection<String> candidates) {
        String stem = stem(wrong);
        if (stem.isEmpty()) return null;
        long number = number(wrong, stem);
        String best = null;
        long bestGap = Long.MAX_VALUE, bestNumber = Long.MAX_VALUE;
        for (String c : candidates) {
            String s = stem(c);
            if (c.equals(wrong) || !key(s).equals(key(stem))) continue;
            long n = number(c, s);
            long gap = n < 0 || number < 0 ? Long.MAX_VALUE - 1 : Math.abs(n - number);
            long order = n < 0 ? Long.MAX_VALUE : n;
            if (gap < bestGap || (gap == bestGap && order < bestNumber)) {
                best = c;
                bestGap = gap;
                bestNumber = order;
            }
        }
        return best;
    }

    /** The number after the stem, or -1 when there is none (or it is absurdly long). */
    private static long number(String name, String stem) {
        String digits = name.substring(stem.length());
        return digits.isEmpty() || digits.length() > 15 ? -1 : Long.parseLong(digits);
    }

    /** The name without its trailing digits. */
    private static String stem(String name) {
        int end = name.length();
        while (end > 0 && Character.isDigit(name.charAt(end - 1)) && name.charAt(end - 1) < 128) end--;
        return name.substring(0, end);
    }

    private static String key(String s) { return Names.ascii(s).toLowerCase(Locale.ROOT); }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
