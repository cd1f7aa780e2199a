package dev.nnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API path gives the same bits before and after the JIT compiles it: {@link GemmBits} runs in one JVM
 * that only interprets and in one that compiles everything with C2 after a short warm-up, and both print the
 * same products' bits. (A horizontal sum by reduceLanes failed this: its order of additions is sequential when
 * interpreted and a tree when compiled.) Vector widths of 8, 16 and 32 bytes run the trees of 2-, 4- and 8-lane floats.
 */
class GemmDeterminismTest {
    @ParameterizedTest
    @ValueSource(ints = {0, 32, 16, 8})
    void coldAndCompiledGiveTheSameBits(int maxVectorBytes) throws Exception {
        assumeTrue(Gemm.vectorized(), "the Vector API module is not in this JVM");
        List<String> width = maxVectorBytes == 0 ? List.of() : List.of("-XX:MaxVectorSize=" + maxVectorBytes);
        List<String> cold = run(width, List.of("-Xint"), 1);
        // Without tiers, a low threshold and compiling in the foreground, the last products run C2's code.
        List<String> compiled = run(width, List.of("-XX:-TieredCompilation", "-XX:CompileThreshold=100", "-Xbatch"), 400);
        assertEquals(GemmBits.SHAPES.size() * 2, cold.size(), "lines printed");
        for (int i = 0; i < cold.size(); i++) {
            String[] c = cold.get(i).split(" "), w = compiled.get(i).split(" ");
            assertEquals(c.length, w.length, c[0] + " " + c[1] + ": elements");
            for (int e = 2; e < c.length; e++) {
                assertEquals(c[e], w[e], c[0] + " " + c[1] + ": bits of element " + (e - 2) + ", cold and compiled");
            }
        }
    }

    private static List<String> run(List<String> width, List<String> mode, int times) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(width);
        cmd.addAll(mode);
        cmd.addAll(List.of(GemmBits.class.getName(), Integer.toString(times)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd));
        return out.lines().toList();
    }
}
