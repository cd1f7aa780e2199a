package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HotSpot compiles every generated method, and every method of loops on vectors with its optimizing compiler (C2):
 * the Vector API's operations are vector instructions only there, and Java objects everywhere else (a hundred times
 * slower). A method C1 cannot compile never gets the profile C2 starts from, so it stays slow for the whole run: a pool
 * adjoint's method with its pairs written out was such a one ("COMPILE SKIPPED: out of virtual registers in linear
 * scan"), and LeNet's step took 6 times as long, in some runs. `nnc train` on a small network with convolutions and
 * pools (strided reads, maxes, argmaxes, and the pool's adjoint as pairs: rows of 9 windows), in a JVM of its own that compiles in the foreground (-Xbatch, so the
 * log does not depend on timing), and its compilation log read.
 */
class JitCompilesTest {
    static final String PROGRAM = """
            network Tiny {
              input  x[1,20,20]
              target y[3]
              param  K1[4,1,3,3] ~ he, b1[4] = 0
              param  W[3,4,9,9] ~ he, b[3] = 0
              a1[c,i,j] = relu(Σₖ Σₚ Σ_q K1[c,k,p,q] x[k, i+p-1, j+q-1] + b1[c])
              m1[c,i,j] = max_{p=1}^{2} max_{q=1}^{2} a1[c, 2i+p-2, 2j+q-2]
              z[n] = Σ_c Σᵢ Σⱼ W[n,c,i,j] m1[c,i,j] + b[n]
              prob = softmax(z)
              output prob
              loss J = -Σ_n y[n] log(prob[n])
            }
            train Tiny {
              data      "data.csv"
              optimizer adam(α = 0.003)
              batch     16
              epochs    25
              seed      3
            }
            """;

    @TempDir Path dir;

    @Test
    void everyGeneratedMethodCompilesAndLoopsOnVectorsReachC2() throws Exception {
        var random = new SplittableRandom(7);
        var csv = new StringBuilder();
        for (int i = 1; i <= 20; i++) for (int j = 1; j <= 20; j++) csv.append("x1_").append(i).append('_').append(j).append(',');
        csv.append("y\n");
        for (int s = 0; s < 1000; s++) {
            int label = random.nextInt(3);
            for (int e = 0; e < 400; e++) csv.append(String.format(Locale.ROOT, "%.3f,", random.nextDouble() + (e % 3 == label ? 0.5 : 0)));
            csv.append(label).append('\n');
        }
        Files.writeString(dir.resolve("data.csv"), csv, StandardCharsets.UTF_8);
        Path program = dir.resolve("tiny.nn");
        Files.writeString(program, PROGRAM, StandardCharsets.UTF_8);

        String out = FreshJvm.nnc(dir, List.of("-Xbatch", "-XX:+PrintCompilation"), "train", program.toString(), "--quiet");

        var lanes = new TreeSet<String>();
        var optimized = new TreeSet<String>();
        // "  1234  567  %  4       nnc.generated.Tiny::train$1$lanes0 @ 75 (214 bytes)": the tier, then the method
        Matcher m = Pattern.compile("(?m)^.{0,40}?\\s([0-4])\\s+(nnc\\.generated\\.\\S+::\\S+)(.*)$").matcher(out);
        while (m.find()) {
            String method = m.group(2), rest = m.group(3);
            assertTrue(!rest.contains("COMPILE SKIPPED"), "HotSpot could not compile " + method + ":" + rest);
            if (method.contains("$lanes")) lanes.add(method);
            if (method.contains("$lanes") && m.group(1).equals("4") && !rest.contains("made not entrant")) optimized.add(method);
        }
        assertTrue(lanes.size() >= 4, "the network's loops on vectors: " + lanes);
        assertEquals(lanes, optimized, "methods of loops on vectors that C2 never compiled");
    }
}
