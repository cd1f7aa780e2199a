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
}
