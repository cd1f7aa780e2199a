package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.AstEquality;
import dev.nnc.ast.AstPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.driver.Frontend;
import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.compiled.CompiledModel;
import dev.nnc.schedule.Schedule;
import dev.nnc.source.SourceFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Array literals give a parameter its exact values ({@code param W[3,2] = [[1, 0], [0, 1], [1, -1]]}): every
 * backend starts from them whatever the seed, a network whose parameters all have given values runs without
 * weights (predict, eval, a model jar), and the literal prints and parses back in both spellings.
 */
class ArrayLiteralTest {
    static final String SOURCE = """
            neuron unit(x) = Σᵢ wᵢxᵢ + b

            network Given {
              input  x[2]
              target y[3]
              param  W[3,2] = [[1, 0], [0, 1], [1, −1]], b[3] = [0.5, -0.5, π/2]
              param  c = 2.5, v[2] = [[1 > 0], 2^3]
              layer  u[2] = unit(x) with w = [[1, 2], [3, 4]], b = [10, 20]
              z[k] = c (Σᵢ W[k,i] x[i] + b[k]) + Σⱼ u[j] + Σᵢ v[i] x[i]
              output z
              loss J = Σₖ (z[k] - y[k])²
            }
            """;

    /** Each parameter's values, row-major, as the literal says. */
    static final Map<String, double[]> VALUES = Map.of(
            "W", new double[] {1, 0, 0, 1, 1, -1},
            "b", new double[] {0.5, -0.5, Math.PI / 2},
            "c", new double[] {2.5},
            "v", new double[] {1, 8},
            "u.w", new double[] {1, 2, 3, 4},
            "u.b", new double[] {10, 20});

    static List<Supplier<Model>> backends() {
        var net = JvmBackendTest.compile("given.nn", SOURCE, "adam");
        List<Supplier<Model>> out = new ArrayList<>();
        out.add(() -> new InterpreterModel(net.graph(), net.optimizer()));
        for (DType type : DType.values()) {
            out.add(() -> new CompiledModel(JvmBackend.load(net.graph().name(),
                    JvmBackend.compile(net.graph(), net.optimizer(), type, Schedule.Options.DEFAULT)), 2));
        }
        if (HostCuda.unavailable() == null) {
            for (DType type : DType.values()) {
                out.add(() -> {
                    var generated = CudaBackend.generate(net.graph(), net.optimizer(), type);
                    return CudaBackend.model(net.graph(), net.optimizer(), generated, HostCuda.image(generated.cuda().source()));
                });
            }
        }
        return out;
    }

    @Test
    void everyBackendStartsFromTheGivenValuesWhateverTheSeed() {
        for (var backend : backends()) {
            try (Model model = backend.get()) {
                for (long seed : new long[] {0, 1, 12345}) {
                    model.initialize(seed);
                    for (var e : VALUES.entrySet()) {
                        double[] got = model.parameter(e.getKey());
                        double tolerance = model.precision() == DType.F32 ? 1e-6 : 0;
                        assertArrayEquals(e.getValue(), got, tolerance, model.backend() + " " + model.precision() + ": " + e.getKey());
                    }
                }
                assertTrue(model.drawnParameter().isEmpty(), model.backend() + " says a parameter is drawn: " + model.drawnParameter());
            }
        }
    }

    /** A literal of 90,000 values: the generated class carries them in a layout over a class file's string limit. */
    @Test
    void aLargeLiteralReachesEveryBackend() {
        int n = 300;
        var rows = new StringBuilder();
        double[] want = new double[n * n];
        for (int i = 0; i < n; i++) {
            rows.append(i == 0 ? "[" : ", [");
            for (int j = 0; j < n; j++) {
                want[i * n + j] = ((i * n + j) % 7 - 3) / 4.0;
                rows.append(j == 0 ? "" : ", ").append(want[i * n + j]);
            }
            rows.append(']');
        }
        String source = "network Big {\n  input x[" + n + "]\n  target y\n  param W[" + n + "," + n + "] = [" + rows
                + "]\n  z = Σₖ Σᵢ W[k,i] x[i]\n  output z\n  loss J = (z - y)²\n}\n";
        var net = JvmBackendTest.compile("big.nn", source, "gd");
        try (Model jvm = new CompiledModel(JvmBackend.load(net.graph().name(),
                JvmBackend.compile(net.graph(), net.optimizer(), DType.F64, Schedule.Options.DEFAULT)), 1);
             Model interp = new InterpreterModel(net.graph(), net.optimizer())) {
            for (Model m : List.of(jvm, interp)) {
                m.initialize(3);
                assertArrayEquals(want, m.parameter("W"), 0, m.backend());
            }
        }
    }

    @Test
    void aParameterDrawnAtRandomIsNamed() {
        var net = JvmBackendTest.compile("drawn.nn", SOURCE.replace("param  c = 2.5", "param  c ~ normal(0, 1)"), "gd");
        try (Model m = new InterpreterModel(net.graph(), net.optimizer())) {
            assertEquals("c ~ normal(0, 1)", m.drawnParameter().orElseThrow());
        }
        try (Model m = new CompiledModel(JvmBackend.load(net.graph().name(),
                JvmBackend.compile(net.graph(), net.optimizer(), DType.F64, Schedule.Options.DEFAULT)), 1)) {
            assertEquals("c ~ normal(0, 1)", m.drawnParameter().orElseThrow());
        }
    }

    @Test
    void literalsPrintAndParseBackInBothSpellings() {
        var original = Frontend.parse(new SourceFile("given.nn", SOURCE), new Diagnostics());
        for (boolean ascii : new boolean[] {true, false}) {
            String printed = AstPrinter.print(original, ascii);
            assertTrue(printed.contains("= [[1, 0], [0, 1], [1, -1]]"), printed);
            var diagnostics = new Diagnostics();
            var again = Frontend.parse(new SourceFile("again.nn", printed), diagnostics);
            assertEquals(0, diagnostics.size(), printed);
            assertNull(AstEquality.firstDifference(original, again, "program"), printed);
        }
    }

    @Test
    void predictAndEvalRunWithoutWeightsWhenEveryValueIsGiven(@TempDir Path dir) throws Exception {
        Path nn = dir.resolve("given.nn"), in = dir.resolve("in.csv"), data = dir.resolve("data.csv");
        Files.writeString(nn, SOURCE);
        Files.writeString(in, "x1,x2\n1,2\n-1,0.5\n");
        Files.writeString(data, "x1,x2,y1,y2,y3\n1,2,0,0,0\n");
        for (String backend : List.of("interp", "jvm")) {
            var run = CliTest.nnc("predict", nn.toString(), "--input", in.toString(), "--backend", backend, "--precision", "f64");
            assertEquals(0, run.status(), run.err());
            var rows = run.out().lines().toList();
            assertEquals("z[1],z[2],z[3]", rows.get(0));
            assertArrayEquals(expected(1, 2), numbers(rows.get(1)), 1e-12, backend);
            assertArrayEquals(expected(-1, 0.5), numbers(rows.get(2)), 1e-12, backend);
            var eval = CliTest.nnc("eval", nn.toString(), "--data", data.toString(), "--backend", backend);
            assertEquals(0, eval.status(), eval.err());
            double[] z = expected(1, 2);
            double loss = z[0] * z[0] + z[1] * z[1] + z[2] * z[2];
            var m = Pattern.compile("loss ([0-9.]+)").matcher(eval.out());
            assertTrue(m.find(), eval.out());
            assertEquals(loss, Double.parseDouble(m.group(1)), loss * 1e-6, backend + ": " + eval.out()); // f32 on the jvm
        }
        Path drawn = dir.resolve("drawn.nn");
        Files.writeString(drawn, SOURCE.replace("v[2] = [[1 > 0], 2^3]", "v[2] ~ he"));
        var refused = CliTest.nnc("predict", drawn.toString(), "--input", in.toString());
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().startsWith("nnc: give --weights WEIGHTS: v ~ he starts at random values, so Given needs trained weights"),
                refused.err());
    }

    /** z for one sample, computed here from the literal values. */
    static double[] expected(double x1, double x2) {
        double u = (1 * x1 + 2 * x2 + 10) + (3 * x1 + 4 * x2 + 20), v = 1 * x1 + 8 * x2;
        double[] b = {0.5, -0.5, Math.PI / 2};
        double[][] w = {{1, 0}, {0, 1}, {1, -1}};
        double[] z = new double[3];
        for (int k = 0; k < 3; k++) z[k] = 2.5 * (w[k][0] * x1 + w[k][1] * x2 + b[k]) + u + v;
        return z;
    }

    static double[] numbers(String row) {
        return Arrays.stream(row.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
