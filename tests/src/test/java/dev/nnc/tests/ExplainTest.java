package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nnc explain} on the samples against golden files under tests/golden/explain. The goldens were
 * read and checked by hand against the chain rule (seed: δn7 = n7 − y, δn5 = δn7 · w57 · n5 · (1 − n5), …;
 * mlp: the index form δh1[j] = (Σₖ δh2[k] · W2[k,j]) · [h1[j] > 0]); GradcheckFamilyTest checks the
 * same derivations numerically. To accept a deliberate change: {@code ./nnc explain samples/X.nn --notes}.
 */
class ExplainTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"seed, --notes, seed.txt", "mlp, --notes, mlp.txt", "seed_layers, --notes, seed_layers.txt",
            "xor, --notes, xor.txt", "seed, --latex, seed.tex.txt"})
    void explainMatchesTheGolden(String sample, String option, String golden) throws Exception {
        String file = CliTest.sample(sample + ".nn");
        var run = CliTest.nnc("explain", file, option);
        assertEquals(0, run.status(), run.err());
        String expected = Files.readString(Repo.root().resolve("tests/golden/explain").resolve(golden));
        assertEquals(expected, run.out().replace(file, "samples/" + sample + ".nn"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"seed", "mlp"})
    void theSeedsBackwardPassIsTheNotesChainRule(String sample) throws Exception {
        var out = CliTest.nnc("explain", CliTest.sample(sample + ".nn")).out();
        if (sample.equals("seed")) {
            // σ followed by bce: the fused gradient, then each δ reuses σ's value as σ′ = n (1 − n)
            assertTrue(out.contains("δn7 = n7 - y\n"), out);
            assertTrue(out.contains("∂J/∂w57 = δn7 · n5\n"), out);
            assertTrue(out.contains("δn5 = δn7 · w57 · n5 · (1 - n5)\n"), out);
            assertTrue(out.contains("δn1 = (δn6 · w16 + δn5 · w15) · n1 · (1 - n1)\n"), out);
            assertTrue(out.contains("∂J/∂w11 = δn1 · x₁\n"), out);
            assertTrue(!out.contains("w31"), "neuron 1 sees only x₁ and x₂");
        } else {
            assertTrue(out.contains("δz[c] = p[c] - y[c]\n"), out);
            assertTrue(out.contains("∂J/∂W1[j,i] = δh1[j] · x[i]\n"), out);
            assertTrue(out.contains("δh1[j] = (Σₖ δh2[k] · W2[k,j]) · [h1[j] > 0]\n"), out);
        }
    }

    @org.junit.jupiter.api.Test
    void aBrokenFileGivesDiagnosticsNotAnExplanation(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.nn");
        Files.writeString(bad, "network N {\n  input x[3]\n  target y\n  p = sigmoidd(x[1])\n  output p\n  loss J = bce(p, y)\n}\n");
        var run = CliTest.nnc("explain", bad.toString());
        assertEquals(1, run.status());
        assertEquals("", run.out());
        assertTrue(run.err().contains("undefined function sigmoidd"), run.err());
    }

    @org.junit.jupiter.api.Test
    void rewritesCanBeTurnedOffByName() {
        var run = CliTest.nnc("explain", CliTest.sample("seed.nn"), "--no-rewrite", "sigmoid-bce", "--notes");
        assertEquals(0, run.status(), run.err());
        assertTrue(!run.out().contains("sigmoid-bce"), run.out());
        // without the fusion, bce's derivative meets σ′ on the way down; log σ is still rewritten
        assertTrue(run.out().contains("log-sigmoid"), run.out());
        var unknown = CliTest.nnc("explain", CliTest.sample("seed.nn"), "--no-rewrite", "sigmoid-bse");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--no-rewrite: there is no rewrite sigmoid-bse"), unknown.err());
    }
}
