package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Frontend;
import dev.nnc.source.SourceFile;
import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The beginner's mistakes of issue 15 as classes: each mistake of a kind gets one located diagnostic whose hint shows
 * the fix — a missing name after every declaration keyword, every Unicode vulgar fraction, every spelling of a
 * transpose, a product of a matrix and a vector in every arrangement, a misspelt numbered name.
 */
class BeginnerMistakesTest {
    static List<Diagnostic> check(String source) {
        return Frontend.check(new SourceFile("t.nn", source)).diagnostics().sorted();
    }

    static Diagnostic one(String source) {
        var all = check(source);
        assertEquals(1, all.size(), () -> "one diagnostic for\n" + source + "\nbut:\n"
                + all.stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
        return all.get(0);
    }

    static String network(String member) {
        return "network N {\n  input x[3]\n  target y\n  param w[3], c = 0\n  a = Σᵢ w[i] x[i] + c\n" + member
                + "\n  output a\n  loss J = mse(a, y)\n}\n";
    }

    @Test
    void everyMemberKeywordWithoutItsNameIsOneMistake() {
        // keyword, what stands where the name should, the hint's fix
        String[][] cases = {
                {"loss", "= mse(a, y)", "write loss J = mse(a, y)"},
                {"loss", "", "write loss J"},
                {"param", "[3] ~ he", "write param w[3] ~ he"},
                {"param", "= 0", "write param w = 0"},
                {"param", "~ normal(0, 1)", "write param w ~ normal(0, 1)"},
                {"param", ", q = 0", "write param w, q = 0"},
                {"param", "", "write param w"},
                {"input", "[784]", "write input x[784]"},
                {"input", "", "write input x"},
                {"target", "[10]", "write target y[10]"},
                {"layer", "[4] = unit(x)", "write layer h[4] = unit(x)"},
                {"layer", "= unit(x)", "write layer h = unit(x)"},
                {"output", "", "write output p"},
                {"output", ", a", "write output p, a"},
                {"output", "= σ(a)", "name the value and list it: p = σ(a), then output p"},
                {"input", "= 2 a", "give the equation another name: x0 = 2 a"},
                {"target", "= 2 a", "give the equation another name: y0 = 2 a"},
        };
        for (String[] c : cases) {
            String member = "  " + c[0] + (c[1].isEmpty() ? "" : " " + c[1]);
            var d = one(network(member));
            assertEquals("missing-name", d.key().id(), member);
            assertEquals(6, d.line(), member);
            assertEquals(3, d.column(), member);
            assertEquals(c[2], d.hint(), member);
        }
    }

    @Test
    void everyDeclarationKeywordWithoutItsNameIsOneMistake() {
        String[][] cases = {
                {"network {\n  input x\n  target y\n  output x\n  loss J = mse(x, y)\n}", "write network Net {"},
                {"fn (z) = 2 z", "write fn f(z) = 2 z"},
                {"neuron (x) = Σᵢ wᵢxᵢ", "write neuron unit(x) = Σᵢ wᵢxᵢ"},
                {"alias = σ", "write alias new_name = σ"},
                {"optimizer {\n  θ ← θ - 0.1 ∂J/∂θ\n}", "write optimizer opt {"},
                {"train {\n  data \"d.csv\"\n}", "write train Net {"},
        };
        for (String[] c : cases) {
            var d = one(c[0] + "\n");
            assertEquals("missing-name", d.key().id(), c[0]);
            assertEquals(1, d.column(), c[0]);
            assertEquals(c[1], d.hint(), c[0]);
        }
    }

    @Test
    void aKeywordWithItsNameOnTheNextLineIsNoMistake() {
        var all = check("network\n  N {\n  input\n    x[3]\n  target y\n  param\n    w[3]\n  a = Σᵢ w[i] x[i]\n  output a\n  loss J = mse(a, y)\n}\n");
        assertEquals(List.of(), all.stream().map(DiagnosticPrinter::render).toList());
    }

    /** Every character Unicode decomposes into a fraction (½ → 1⁄2), found from Unicode itself rather than a list. */
    static List<Integer> vulgarFractions() {
        List<Integer> out = new ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (Character.getType(cp) != Character.OTHER_NUMBER) continue;
            if (Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFKD).contains("\u2044")) out.add(cp);
        }
        return out;
    }

    @Test
    void everyVulgarFractionSaysWhichNumberToWrite() {
        var fractions = vulgarFractions();
        assertTrue(fractions.size() >= 19, "Unicode has at least ¼ ½ ¾ and ⅐ … ⅞, ↉, ⅟: " + fractions.size());
        for (int cp : fractions) {
            String c = Character.toString(cp);
            var d = one(network("  h = " + c + " a"));
            assertEquals("unexpected-char", d.key().id(), c);
            assertEquals(6, d.line(), c);
            assertEquals(7, d.column(), c);
            assertEquals("'" + c + "' is not a number in .nn", d.message());
            String[] parts = Normalizer.normalize(c, Normalizer.Form.NFKD).split("\u2044", -1);
            String hint = d.hint();
            assertTrue(hint.startsWith("write "), hint);
            String written = hint.substring(6);
            if (parts[1].isEmpty()) {
                assertEquals(parts[0] + "/x", written, c); // ⅟ is 1 over what follows
            } else if (written.contains("/")) {
                assertEquals(parts[0] + "/" + parts[1], written, c);
                assertTrue(new BigDecimal(parts[1]).stripTrailingZeros().unscaledValue().toString().chars().anyMatch(x -> x != '2' && x != '5'),
                        c + " has a finite decimal, so its hint should be one");
            } else {
                assertEquals(0, new BigDecimal(written).compareTo(new BigDecimal(parts[0]).divide(new BigDecimal(parts[1]))), c);
            }
        }
        // after a whole number, the whole mixed number
        assertEquals("write 1.5 for 1½", one(network("  h = 1½ a")).hint());
    }

    @Test
    void everySpellingOfATransposeSaysWhichSumToWrite() {
        for (String t : List.of("Mᵀ x", "M⊤ x", "M^T x", "M^t x", "Mᵗ x", "Mᵀ·x", "M^T · x")) {
            var d = one(network("  param M[3,2]\n  h = " + t + "\n  output h"));
            assertEquals("transpose", d.key().id(), t);
            assertEquals("there is no transpose in .nn", d.message(), t);
            assertEquals("write the sum for each element j: Σᵢ M[i,j] x[i]", d.hint(), t);
        }
        // a t that is defined is a power, not a transpose
        var all = check(network("  param M[3,2], t = 2\n  h[i,j] = M[i,j]^t\n  q = Σᵢ Σⱼ h[i,j]\n  output q"));
        assertTrue(all.stream().noneMatch(d -> d.key().id().equals("transpose")), all.toString());
    }

    @Test
    void aProductOfAMatrixAndAVectorNamesTheSumInEveryArrangement() {
        // the product as written, the sum it most likely means
        String[][] cases = {
                {"param M[2,3]", "M x", "write the sum for each element i: Σⱼ M[i,j] x[j]"},
                {"param M[3,2]", "M x", "write the sum for each element j: Σᵢ M[i,j] x[i]"},
                {"param M[3,2]", "x M", "write the sum for each element j: Σᵢ x[i] M[i,j]"},
                {"param M[2,3]", "x M", "write the sum for each element j: Σᵢ x[i] M[j,i]"},
                {"param M[2,3]", "M · x", "write the sum for each element i: Σⱼ M[i,j] x[j]"},
                {"param M[3,3]", "M x", "write the sum for each element i: Σⱼ M[i,j] x[j]"},
                {"param M[2,3], N[3,4]", "M N", "write the sum for each element i,k: Σⱼ M[i,j] N[j,k]"},
        };
        for (String[] c : cases) {
            var d = one(network("  " + c[0] + "\n  h = " + c[1] + "\n  output h"));
            assertEquals("matrix-product", d.key().id(), c[1]);
            assertEquals(c[2], d.hint(), c[0] + ": " + c[1]);
        }
    }

    @Test
    void aMisspeltNumberedNameIsTheNearestNumber() {
        // in scope a1, a2, a3 (and a): the undefined name, the suggestion
        String[][] cases = {{"a4", "a3"}, {"a0", "a1"}, {"a9", "a3"}, {"A2", "a2"}, {"b2", null}};
        for (String[] c : cases) {
            var all = check(network("  a1 = 1 a\n  a2 = 2 a\n  a3 = 3 a\n  output a1, a2, a3, " + c[0]));
            var d = all.stream().filter(x -> x.key().id().equals("undefined-name")).findFirst().orElseThrow();
            assertEquals(c[1] == null ? null : "did you mean " + c[1] + "?", d.hint(), c[0]);
        }
    }
}
