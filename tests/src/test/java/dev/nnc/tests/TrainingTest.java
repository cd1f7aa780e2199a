package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code nnc train} on the reference interpreter trains the small samples, from their own train blocks, to
 * the accuracy their comments and samples/README.md state, and the training loss falls.
 */
class TrainingTest {
    @ParameterizedTest(name = "{0} reaches {1} validation accuracy")
    @CsvSource({"xor, 0.975", "seed, 0.95", "seed_layers, 0.95", "spirals, 0.95"})
    void converges(String sample, double accuracy, @TempDir Path dir) {
        var run = CliTest.nnc("train", CliTest.sample(sample + ".nn"), "--quiet", "-o", dir.resolve("w.safetensors").toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(TrainCommandTest.lastValidationAccuracy(run.out()) >= accuracy, run.out());
        var loss = Pattern.compile("^epoch +\\d+/\\d+  loss ([0-9.]+)", Pattern.MULTILINE).matcher(run.out());
        assertTrue(loss.find());
        double first = Double.parseDouble(loss.group(1)), last = first;
        while (loss.find()) last = Double.parseDouble(loss.group(1));
        assertTrue(last < first / 2, "the training loss falls: " + run.out());
    }

    @Test
    void targetsThatDoNotSumToOneAreRefusedForSoftmaxCrossEntropy(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.csv"), "x1,x2,y1,y2\n0.5,1,1,0\n1,2,1,1\n");
        Path file = dir.resolve("n.nn");
        Files.writeString(file, """
                network N {
                  input  x[2]
                  target y[2]
                  param  W[2,2] ~ normal(0, 1), b[2] = 0
                  z[c] = Σᵢ W[c,i] x[i] + b[c]
                  p = softmax(z)
                  output p
                  loss J = -Σ_c y[c] log(p[c])
                }
                train N {
                  data "d.csv"
                }
                """);
        var run = CliTest.nnc("train", file.toString(), "-o", dir.resolve("w.safetensors").toString());
        assertEquals(1, run.status());
        assertTrue(run.err().startsWith("nnc: " + dir.resolve("d.csv") + ":3:3: the target y sums to 2,"), run.err());
        assertTrue(run.err().contains("--no-rewrite softmax-cross-entropy"), run.err());
        var off = CliTest.nnc("train", file.toString(), "--quiet", "--no-rewrite", "softmax-cross-entropy", "-o", dir.resolve("w.safetensors").toString());
        assertEquals(0, off.status(), off.err());
    }
}
