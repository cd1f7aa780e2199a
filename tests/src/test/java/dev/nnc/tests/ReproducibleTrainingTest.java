package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same program, data and seed give the same weight file, byte for byte, in fresh JVMs on the JVM backend — one
 * whose optimizing JIT compiles the matrix kernels early in the run, and one whose JIT never does (C1 only, where the
 * Vector API runs its Java fallback) — and a run resumed after epoch 2 of 4 ends with the uninterrupted run's bytes.
 * The network is a small dense MLP whose products take every path of the matrix kernels (the dot-product tile and its
 * tails for the forward pass, the packed kernel for the backward pass), trained long enough for the JIT to compile them
 * mid-run; with the old kernels, whose lane sums' order depended on the JIT, each of these comparisons failed.
 */
class ReproducibleTrainingTest {
    static final int FEATURES = 70, CLASSES = 10, SAMPLES = 3000;

    @TempDir static Path dir;
    static Path program;

    @BeforeAll
    static void writeProgramAndData() throws IOException {
        var random = new SplittableRandom(17);
        var csv = new StringBuilder();
        for (int i = 1; i <= FEATURES; i++) csv.append('x').append(i).append(',');
        csv.append("y\n");
        for (int s = 0; s < SAMPLES; s++) {
            int label = random.nextInt(CLASSES);
            for (int i = 0; i < FEATURES; i++) {
                double v = random.nextDouble() + (i % CLASSES == label ? 0.5 : 0);
                csv.append(String.format(Locale.ROOT, "%.4f,", v));
            }
            csv.append(label).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv, StandardCharsets.UTF_8);
        program = dir.resolve("mlp.nn");
        Files.writeString(program, """
                network Small {
                  input  x[%d]
                  target y[%d]
                  param  W1[37,%d] ~ he, b1[37] = 0
                  param  W2[%d,37] ~ xavier, b2[%d] = 0
                  h[j] = relu(Σᵢ W1[j,i] x[i] + b1[j])
                  z[c] = Σⱼ W2[c,j] h[j] + b2[c]
                  p    = softmax(z)
                  output p
                  loss J = -Σ_c y[c] log(p[c])
                }
                train Small {
                  data      "data.csv"
                  optimizer adam(α = 0.003)
                  batch     16
                  epochs    4
                  seed      5
                }
                """.formatted(FEATURES, CLASSES, FEATURES, CLASSES, CLASSES), StandardCharsets.UTF_8);
    }

    @Test
    void twoFreshJvmsWriteTheSameBytes() throws Exception {
        Path warm = dir.resolve("warm.safetensors"), cold = dir.resolve("cold.safetensors");
        train(List.of(), "-o", warm.toString());
        train(List.of("-XX:TieredStopAtLevel=1"), "-o", cold.toString());
        assertArrayEquals(Files.readAllBytes(warm), Files.readAllBytes(cold), "the weight files of two runs with the same seed differ");
    }

    @Test
    void resumingAfterEpochTwoEndsWithTheUninterruptedRunsBytes() throws Exception {
        Path whole = dir.resolve("whole.safetensors"), parts = dir.resolve("parts.safetensors");
        train(List.of(), "-o", whole.toString());
        train(List.of(), "--epochs", "2", "-o", parts.toString());
        train(List.of(), "--resume", parts.toString());
        var a = Checkpoint.read(whole);
        var b = Checkpoint.read(parts);
        CheckpointCrashTest.assertSameTensors(a, b);
        assertEquals(a.meta(Checkpoint.STEP), b.meta(Checkpoint.STEP));
    }

    /** `nnc train` on the program in a JVM of its own, as ./nnc starts it, with {@code jvmFlags} besides. */
    static void train(List<String> jvmFlags, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("train", program.toString(), "--quiet"));
        all.addAll(List.of(args));
        String out = FreshJvm.nnc(dir, jvmFlags, all.toArray(String[]::new));
        assertTrue(out.contains("jvm backend"), out);
    }
}
