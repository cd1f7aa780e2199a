package dev.nnc.cli;

import java.util.Locale;

/** How the commands say a count: "1 parameter", "1,251 parameters". */
final class Words {
    private Words() {}

    static String count(long n, String word) {
        return String.format(Locale.ROOT, "%,d %s%s", n, word, n == 1 ? "" : "s");
    }
}
