package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.ParamInit;
import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.ir.IrPrinter;
import dev.nnc.runtime.Primitive;
import dev.nnc.runtime.Sizes;
import dev.nnc.source.SourceFile;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two classes of issue 15 tested as classes. Constants: thousands of generated constant expressions, as an initial
 * value and inside an equation; an error exactly when some operation in one makes a value that is not a finite
 * number, located inside it, and otherwise the value, as Java computes it. Sizes: shapes around 2^31 and 2^32 and
 * products that overflow a long; an error exactly when the exact count exceeds one array, and otherwise that count in
 * {@code nnc check}'s summary.
 */
class ConstantsAndSizesTest {
    /** A generated constant: its text, its value, and whether an operation on the way left the finite numbers. */
    record Constant(String text, double value, boolean broken) {}

    static Constant generate(SplittableRandom r, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            return switch (r.nextInt(6)) {
                case 0 -> new Constant("π", Math.PI, false);
                case 1 -> new Constant("0", 0, false);
                case 2 -> new Constant("1000", 1000, false);
                case 3 -> new Constant("1e300", 1e300, false);
                default -> {
                    double v = Math.round(r.nextDouble(0, 10) * 4) / 4.0;
                    yield new Constant(Double.toString(v), v, false);
                }
            };
        }
        Constant a = generate(r, depth - 1);
        int op = r.nextInt(11);
        if (op >= 5) {
            String name = List.of("exp", "log", "sqrt", "abs", "max", "min").get(op - 5);
            Constant b = op >= 9 ? generate(r, depth - 1) : null;
            double v = switch (name) {
                case "exp" -> Math.exp(a.value);
                case "log" -> Math.log(a.value);
                case "sqrt" -> Math.sqrt(a.value);
                case "abs" -> Math.abs(a.value);
                case "max" -> Math.max(a.value, b.value);
                default -> Math.min(a.value, b.value);
            };
            boolean operandsFinite = Double.isFinite(a.value) && (b == null || Double.isFinite(b.value));
            return new Constant(name + "(" + a.text + (b == null ? "" : ", " + b.text) + ")", v,
                    a.broken || (b != null && b.broken) || (operandsFinite && !Double.isFinite(v)));
        }
        if (op == 4) return new Constant("-(" + a.text + ")", -a.value, a.broken);
        Constant b = generate(r, depth - 1);
        double v = switch (op) {
            case 0 -> a.value + b.value;
            case 1 -> a.value - b.value;
            case 2 -> a.value * b.value;
            default -> a.value / b.value;
        };
        String symbol = List.of(" + ", " - ", " · ", " / ").get(op);
        boolean operandsFinite = Double.isFinite(a.value) && Double.isFinite(b.value);
        return new Constant("(" + a.text + symbol + b.text + ")", v, a.broken || b.broken || (operandsFinite && !Double.isFinite(v)));
    }

    static String network(String init, String extra) {
        return "network N {\n  input x\n  target y\n  param w = " + init + "\n  a = w x" + extra + "\n  output a\n  loss J = (a - y)²\n}\n";
    }

    @Test
    void aConstantThatIsNotFiniteIsALocatedErrorAndAnyOtherIsItsValue() {
        var r = new SplittableRandom(15);
        int broken = 0, fine = 0;
        for (int n = 0; n < 3000; n++) {
            Constant c = generate(r, 1 + r.nextInt(4));
            for (boolean inEquation : new boolean[] {false, true}) {
                String source = inEquation ? network("0", " + " + c.text) : network(c.text, "");
                var result = Frontend.check(new SourceFile("c.nn", source));
                List<Diagnostic> all = result.diagnostics().sorted();
                String shown = all.stream().map(DiagnosticPrinter::render).collect(Collectors.joining());
                if (c.broken) {
                    assertTrue(!all.isEmpty(), "no error for " + c.text);
                    int line = inEquation ? 5 : 4;
                    int from = (inEquation ? "  a = w x + " : "  param w = ").length() + 1;
                    for (Diagnostic d : all) {
                        assertEquals("not-finite", d.key().id(), shown);
                        assertEquals(line, d.line(), shown);
                        assertTrue(d.column() >= from && d.column() < from + c.text.codePointCount(0, c.text.length()), shown);
                        assertTrue(d.hint() != null, shown);
                    }
                    broken++;
                } else {
                    assertEquals(List.of(), all.stream().map(DiagnosticPrinter::render).toList(), c.text);
                    if (!inEquation) {
                        CheckedNetwork net = result.checked().networks().get(0);
                        assertEquals(new ParamInit.Constant(c.value), net.values().get("w").init(), c.text);
                    }
                    fine++;
                }
            }
        }
        assertTrue(broken > 500 && fine > 500, "both kinds generated: " + broken + " broken, " + fine + " fine");
    }

    /** erf folds like every primitive: in an initial value (CHECK), and in the derived gradient (the simplifier). */
    @Test
    void erfFoldsToItsValue() {
        var result = Frontend.check(new SourceFile("c.nn", network("erf(1) + erf(-0.5)", " + erf(2) w")));
        assertEquals(List.of(), result.diagnostics().sorted().stream().map(DiagnosticPrinter::render).toList());
        assertEquals(new ParamInit.Constant(Primitive.erf(1) + Primitive.erf(-0.5)), result.checked().networks().get(0).values().get("w").init());
        var graph = Compile.graph(result.checked(), Compile.network(result.checked(), "N"), Compile.Options.DEFAULT);
        String ir = IrPrinter.graph(graph, IrPrinter.Style.UNICODE);
        assertTrue(ir.contains("  ∂J/∂w = δa · x + " + Primitive.erf(2) + " · δa\n"), ir);
    }

    /** Shapes whose count is near one array's limit (2^31 − 9), near 2^32, and beyond a long. */
    static List<List<Integer>> shapes() {
        List<List<Integer>> out = new ArrayList<>(List.of(
                List.of(46340, 46340), List.of(46341, 46341), List.of(2147483639), List.of(2147483640), List.of(2147483647),
                List.of(2, 1073741819), List.of(2, 1073741820), List.of(65536, 32768), List.of(65536, 65536),
                List.of(65536, 65537), List.of(50000, 50000), List.of(4, 4, 134217727), List.of(4, 4, 134217728),
                List.of(65536, 65536, 65536, 65536), List.of(2147483647, 2147483647, 2147483647),
                List.of(3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)));
        var r = new SplittableRandom(31);
        for (int n = 0; n < 40; n++) {
            int rank = 1 + r.nextInt(4);
            List<Integer> s = new ArrayList<>();
            for (int k = 0; k < rank; k++) s.add(1 + r.nextInt(1 << (4 + r.nextInt(27))));
            out.add(s);
        }
        return out;
    }

    @Test
    void aTensorOverOneArrayIsRefusedAndAnyOtherCountedExactly(@TempDir Path dir) throws Exception {
        BigInteger limit = BigInteger.valueOf(Sizes.MAX_ARRAY);
        for (List<Integer> shape : shapes()) {
            BigInteger exact = shape.stream().map(BigInteger::valueOf).reduce(BigInteger.ONE, BigInteger::multiply);
            String dims = shape.stream().map(String::valueOf).collect(Collectors.joining(","));
            String idx = "ijklmnopqrstuvwxyz".substring(0, shape.size());
            var sums = new StringBuilder();
            for (char c : idx.toCharArray()) sums.append("sum_").append(c).append(' ');
            String source = "network N {\n  input x\n  target y\n  param W[" + dims + "]\n  z = " + sums + "W["
                    + String.join(",", idx.chars().mapToObj(c -> String.valueOf((char) c)).toList()) + "] x\n  output z\n  loss J = (z - y)^2\n}\n";
            Path file = dir.resolve("s.nn");
            Files.writeString(file, source);
            var run = CliTest.nnc("check", file.toString());
            String count = String.format(Locale.ROOT, "%,d", exact);
            if (exact.compareTo(limit) > 0) {
                assertEquals(1, run.status(), run.err());
                assertTrue(run.err().startsWith(file + ":4:11: error[too-large]: W[" + dims + "] has " + count + " elements"), run.err());
            } else {
                assertEquals(0, run.status(), run.err());
                assertTrue(run.out().contains("network N, " + count + (exact.equals(BigInteger.ONE) ? " parameter" : " parameters")), run.out());
            }
        }
    }
}
