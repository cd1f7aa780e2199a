package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.interp.Training;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reference interpreter trains the small samples to the accuracy their comments state, from their own
 * train blocks, and a second run with the same seed gives bit-identical parameters.
 */
class TrainingTest {
    static Training.Result train(String sample) throws Exception {
        Path file = Repo.root().resolve("samples").resolve(sample + ".nn");
        var r = Frontend.check(file);
        var graph = Compile.graph(r.checked(), r.checked().networks().get(0), Compile.Options.DEFAULT);
        var settings = Training.settings(r.checked().trains().get(0), file.getParent());
        return Training.train(graph, r.checked().scope(), settings);
    }

    @ParameterizedTest(name = "{0} reaches {1} validation accuracy")
    @CsvSource({"xor, 0.975", "seed, 0.95", "seed_layers, 0.95"})
    void convergesReproducibly(String sample, double accuracy) throws Exception {
        var first = train(sample);
        var last = first.last();
        assertTrue(last.validationAccuracy() >= accuracy, sample + ": " + last);
        assertTrue(last.loss() < first.epochs().get(0).loss(), "the training loss falls: " + first.epochs());
        var second = train(sample);
        for (var p : first.model().graph().params()) {
            assertArrayEquals(first.model().values(p.name), second.model().values(p.name), 0.0, p.name);
        }
    }

    @org.junit.jupiter.api.Test
    void targetsThatDoNotSumToOneAreRefusedForSoftmaxCrossEntropy(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("d.csv"), "x1,x2,y1,y2\n0.5,1,1,0\n1,2,1,1\n");
        Path file = dir.resolve("n.nn");
        java.nio.file.Files.writeString(file, """
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
        var r = Frontend.check(file);
        var graph = Compile.graph(r.checked(), r.checked().networks().get(0), Compile.Options.DEFAULT);
        var bad = org.junit.jupiter.api.Assertions.assertThrows(dev.nnc.interp.Csv.BadData.class,
                () -> Training.train(graph, r.checked().scope(), Training.settings(r.checked().trains().get(0), dir)));
        assertTrue(bad.getMessage().contains("d.csv:3: the target y sums to 2.0"), bad.getMessage());
    }
}
