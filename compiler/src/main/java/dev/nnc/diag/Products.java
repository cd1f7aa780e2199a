package dev.nnc.diag;

import dev.nnc.ast.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How to write a matrix product, a transpose or a dot product in .nn, which has none of them: as a sum over the index
 * two tensors share, one element at a time. {@code W x} with {@code W[2,3]}, {@code x[3]} is {@code Σⱼ W[i,j] x[j]}
 * for each i; {@code Wᵀ x} is {@code Σᵢ W[i,j] x[i]} for each j. One home for the hint that the checker (a product of
 * a matrix and a vector) and the lexer (a ᵀ) both give.
 */
public final class Products {
    private Products() {}

    /** A product of two named tensors, with which dimension of each is summed over (0-based). */
    public record Contraction(String a, int aRank, int aDim, String b, int bRank, int bDim) {}

    /**
     * The sum and the result's free indices: {@code "Σⱼ W[i,j] x[j]"} and {@code "i"}. Letters already in use
     * ({@code taken}) are skipped.
     */
    public static String[] sum(Contraction c, Collection<String> taken) {
        List<String> free = new ArrayList<>();
        for (char l : "ijklmnpqrstuv".toCharArray()) if (!taken.contains(String.valueOf(l))) free.add(String.valueOf(l));
        // Letters in the order of the dimensions, as on paper: W[i,j], summed over j for W x and over i for Wᵀ x.
        String[] aIdx = new String[c.aRank()], bIdx = new String[c.bRank()];
        int next = 0;
        List<String> result = new ArrayList<>();
        for (int d = 0; d < c.aRank(); d++) {
            aIdx[d] = free.get(next++);
            if (d != c.aDim()) result.add(aIdx[d]);
        }
        String summed = aIdx[c.aDim()];
        for (int d = 0; d < c.bRank(); d++) {
            bIdx[d] = d == c.bDim() ? summed : free.get(next++);
            if (d != c.bDim()) result.add(bIdx[d]);
        }
        String sub = Names.subscript(summed);
        String sum = (sub != null ? "Σ" + sub : "Σ_" + summed) + " " + ref(c.a(), aIdx) + " " + ref(c.b(), bIdx);
        return new String[] {sum, String.join(",", result)};
    }

    /** "write the sum for each element i: Σⱼ W[i,j] x[j]" */
    public static String hint(Contraction c, Collection<String> taken) {
        String[] s = sum(c, taken);
        return "write the sum" + (s[1].isEmpty() ? "" : " for each element " + s[1]) + ": " + s[0];
    }

    private static String ref(String name, String[] idx) {
        return idx.length == 0 ? name : name + "[" + String.join(",", idx) + "]";
    }
}
