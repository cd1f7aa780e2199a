package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc gradcheck}: agrees on a sample, and catches a wrong derivative — a stated one that lies. */
class GradcheckCliTest {
    @Test
    void theSeedNetworksGradientsAgree() {
        var run = CliTest.nnc("gradcheck", CliTest.sample("seed.nn"), "--seed", "7");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("gradients agree"), run.out());
        assertTrue(run.out().contains("w57"), run.out());
    }

    @Test
    void aWrongStatedDerivativeFailsWithExitOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wrong.nn");
        Files.writeString(file, """
                // ∂sq/∂z should be 2z; a library that states 3z is wrong, and gradcheck must say so
                fn sq(z) = z²
                  where ∂sq/∂z = 3 z
                network N {
                  input  x
                  target y
                  param  w ~ normal(0, 1)
                  a = sq(w x)
                  output a
                  loss J = (a - y)²
                }
                """);
        var run = CliTest.nnc("gradcheck", file.toString());
        assertEquals(1, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("GRADIENTS DISAGREE"), run.out());
        assertTrue(run.out().contains("above tolerance"), run.out());
    }

    @Test
    void badOptionsAreUsageErrors() {
        var run = CliTest.nnc("gradcheck", CliTest.sample("seed.nn"), "--batch", "0");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("--batch"), run.err());
    }
}
