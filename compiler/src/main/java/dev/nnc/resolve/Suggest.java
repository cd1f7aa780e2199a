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
        return best;
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
