package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.driver.Backends;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * erf, the primitive of the exact GELU, in a network as people write one: the interpreter, the JVM backend in
 * float32 and float64 and the CUDA backend (host emulation) agree as {@link EveryBackendTest} has every positive
 * program agree, and {@code nnc explain} shows its derivative, 2/√π · e^(−x²).
 */
class ErfTest {
    static final String PROGRAM = """
            network Gelu {
              input  x[4]
              target y[3]
              param  W1[5,4] ~ xavier, b1[5] = 0
              param  W2[3,5] ~ xavier, b2[3] = 0.5
              h[j] = gelu_exact(Σᵢ W1[j,i] x[i] + b1[j])
              z[k] = Σⱼ W2[k,j] h[j] + erf(b2[k])
              p = softmax(z)
              output p
              loss J = -Σₖ y[k] log(p[k])
            }
            """;

    static EveryBackendTest.Positive write(Path dir) throws Exception {
        Path file = dir.resolve("gelu.nn");
        Files.writeString(file, PROGRAM);
        return new EveryBackendTest.Positive("gelu.nn", file, "Gelu");
    }

    @Test
    void everyBackendAgreesWithTheInterpreter(@TempDir Path dir) throws Exception {
        var p = write(dir);
        var net = EveryBackendTest.compile(p);
        try (Model model = Backends.create("interp", net.graph(), net.optimizer())) {
            JvmBackendTest.against("erf, interp", net, model, DType.F64, 2, EveryBackendTest::data, 6, 1);
        }
        for (DType type : DType.values()) {
            try (Model model = Backends.create("jvm", type.name().toLowerCase(Locale.ROOT), net.graph(), net.optimizer())) {
                JvmBackendTest.against("erf, jvm " + type, net, model, type, 2, EveryBackendTest::data, 6, 1);
            }
        }
        String cuda = HostCuda.unavailable();
        Assumptions.assumeTrue(cuda == null, () -> "the CUDA backend skipped: " + cuda);
        HostCuda.useForCommands();
        try (Model model = Backends.create("cuda", "f32", net.graph(), net.optimizer())) {
            JvmBackendTest.against("erf, cuda F32", net, model, DType.F32, 2, EveryBackendTest::data, 6, 1);
        }
    }

    @Test
    void explainShowsItsDerivative(@TempDir Path dir) throws Exception {
        var p = write(dir);
        var run = CliTest.nnc("explain", p.file().toString());
        assertEquals(0, run.status(), run.err());
        // erf(b2[k]) gives 2/√π · e^(−b2[k]²); gelu_exact, ½z(1 + erf(z/√2)), its two terms (1/√(2π) = 0.3989…)
        assertEquals("""
                // backward pass of Gelu, per sample (training averages ∂J/∂θ over the mini-batch)
                // δh is ∂J/∂z_h, the loss's derivative by h's weighted input, where h = activation(z_h)
                δz[k] = p[k] - y[k]
                ∂J/∂W2[k,j] = δz[k] · h[j]
                ∂J/∂b2[k] = 1.1283791670955126 · δz[k] · exp(-b2[k]²)
                ∂J/∂h[j] = Σₖ δz[k] · W2[k,j]
                δh[j] = 0.5 · ∂J/∂h[j] · (erf(z_h[j] / 1.4142135623730951) + 1) + 0.39894228040143265 · ∂J/∂h[j] · z_h[j] · exp(-(z_h[j] / 1.4142135623730951)²)
                ∂J/∂W1[j,i] = δh[j] · x[i]
                ∂J/∂b1[j] = δh[j]
                // reuses from the forward pass: z_h, h, p; reads x, y
                """, run.out());
    }
}
