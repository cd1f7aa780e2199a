package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.check.CheckedNetwork;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.explain.Explain;
import dev.nnc.interp.Gradcheck;
import dev.nnc.ir.Graph;
import dev.nnc.ir.IrPrinter;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import dev.nnc.runtime.data.TargetDomain;
import dev.nnc.source.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * The behaviour suite: valid programs under tests/behaviour/TOPIC/, each saying inline, in comments, what the
 * compiler must make of it — the way tests/diagnostics/ says what it must report. A case is checked without a
 * diagnostic, then every {@code // expect} line of it holds:
 * <pre>
 *   // expect ir after STAGE:          the IR after lower, expand, rewrite, differentiate or optimize (emit ir --after)
 *   // expect explain:                 what nnc explain prints; after explain, its options --notes, --latex, --ascii
 *   // expect target domains:          the targets the loss puts in a domain, one a line
 *   // expect gradcheck passes         the derived gradients agree with central differences at gradcheck seeds 1, 2
 *                                      and 3 (batch 3, at most 24 elements a parameter, tolerance 1e-6), every
 *                                      parameter checked
 *   // expect gradcheck fails          at each of those seeds gradcheck fails, some element off by more than 0.1
 *   // expect gradients non-zero       at each of those points every element of every parameter is checked and gets
 *                                      a non-zero gradient (the case exercises what it tests) …
 *   // expect gradients non-zero except W[1,1], W[1,3]   … but these, which get exactly 0
 * </pre>
 * ir and explain also take {@code --ascii} and {@code --no-rewrite RULE,RULE}. Those that end in a colon are
 * followed by the expected text, a line per comment line {@code // | TEXT} ({@code // |} for an empty line).
 * A case whose program is a file elsewhere (a sample, free of test comments) names it, relative to the
 * repository: {@code // program: samples/seed.nn}.
 *
 * <p>A text that differs is shown as a difference naming the case's file and line. When a change of behaviour is
 * deliberate, write the new texts into the cases in place and read the change in {@code git diff}:
 * {@code mvn -B -ntp -o -pl tests -am verify -Dtest=BehaviourTest -Dsurefire.failIfNoSpecifiedTests=false -Dnnc.update=true}.
 * Verdicts (gradcheck, non-zero gradients) are never rewritten: changing one is a decision, made by hand.
 */
class BehaviourTest {
    private static final long[] SEEDS = {1, 2, 3};
    private static final double TOLERANCE = 1e-6;
    /** How far off a gradient of {@code gradcheck fails} must be: a wrong rule, not a near miss. */
    private static final double CLEARLY_WRONG = 0.1;
    /** An element of a parameter as {@code gradients non-zero except} names it: {@code W[1,3]}, or {@code w} for a scalar. */
    private static final Pattern ELEMENT = Pattern.compile("([^\\s\\[]+)(?:\\[([0-9, ]+)\\])?");

    static List<Path> cases() { return Repo.nnFiles("tests/behaviour"); }

    @TestFactory
    Stream<DynamicTest> eachCaseBehavesAsItSays() {
        boolean update = Boolean.getBoolean("nnc.update");
        return cases().stream().map(p -> DynamicTest.dynamicTest(Repo.relative(p), () -> run(p, update)));
    }

    @Test
    void everyTopicHasCases() {
        Map<String, Long> byTopic = cases().stream().collect(Collectors.groupingBy(
                p -> Repo.root().resolve("tests/behaviour").relativize(p).getName(0).toString(), Collectors.counting()));
        assertTrue(cases().size() >= 40, "only " + cases().size() + " cases");
        for (String topic : List.of("explain", "differentiate", "gradcheck", "lowering", "optimize", "stability", "domains")) {
            assertTrue(byTopic.getOrDefault(topic, 0L) > 0, "no case under tests/behaviour/" + topic + ": " + byTopic);
        }
    }

    /** Every derivative rule of DIFFERENTIATE has a case of its own under gradcheck/, named for it; so has the control. */
    @Test
    void everyDerivativeRuleHasAGradcheckCase() {
        var names = cases().stream().filter(p -> p.getParent().getFileName().toString().equals("gradcheck"))
                .map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        // every primitive of the table, by its name, and the rules of the IR's own forms
        for (Primitive p : Primitive.values()) {
            assertTrue(names.contains(p.spelling + ".nn"), "no case tests/behaviour/gradcheck/" + p.spelling + ".nn");
        }
        for (String rule : List.of("add", "subtract_negate", "multiply", "divide", "power_constant", "power_variable",
                "iverson", "sum", "constant_index", "several_paths", "sparse_wiring",
                "parameter_constant_index", "shared_transposed", "parameter_squared", "vector_function",
                "vector_function_indexed", "scalar_function_mapped", "stated_derivative", "default_argument", "neuron_layer",
                "wrong_stated_derivative")) {
            assertTrue(names.contains(rule + ".nn"), "no case tests/behaviour/gradcheck/" + rule + ".nn");
        }
    }

    /** Runs one case; with {@code update}, writes the actual texts into it instead of comparing them. */
    static void run(Path file, boolean update) throws IOException {
        String name = file.startsWith(Repo.root()) ? Repo.relative(file) : file.toString();
        List<String> lines = Files.readAllLines(file);
        Behaviour.Case c;
        try {
            c = Behaviour.parse(lines);
        } catch (Behaviour.Malformed e) {
            throw new AssertionFailedError(name + ": " + e.getMessage());
        }
        String programName = c.program() == null ? name : c.program();
        Path program = c.program() == null ? file : Repo.root().resolve(c.program());
        var source = Frontend.read(program, programName);
        var compiled = new Compiled(name, source);
        List<Behaviour.Expectation> texts = new ArrayList<>();
        List<String> actual = new ArrayList<>();
        var problems = new StringBuilder();
        for (var e : c.expectations()) {
            String where = name + ":" + e.line() + ": expect " + e.written();
            switch (e.check()) {
                case Behaviour.Ir ir -> {
                    texts.add(e);
                    actual.add(compiled.ir(ir));
                }
                case Behaviour.Explain x -> {
                    texts.add(e);
                    actual.add(Explain.render(compiled.graph(x.options()), x.style(), x.notes()));
                }
                case Behaviour.Domains d -> {
                    texts.add(e);
                    actual.add(domains(compiled.graph(Compile.Options.DEFAULT)));
                }
                case Behaviour.Gradcheck g -> problems.append(gradcheck(where, source, compiled.graph(Compile.Options.DEFAULT), g.passes()));
                case Behaviour.NonZero z -> problems.append(nonZero(where, compiled.graph(Compile.Options.DEFAULT), z.except()));
            }
        }
        if (update) {
            Files.write(file, Behaviour.rewritten(lines, texts, actual));
        } else {
            boolean differs = false;
            for (int k = 0; k < texts.size(); k++) {
                var e = texts.get(k);
                if (Behaviour.expected(e).equals(actual.get(k))) continue;
                problems.append(name).append(':').append(e.line()).append(": expect ").append(e.written())
                        .append(" — the compiler's text differs (- expected, + actual):\n").append(Behaviour.diff(name, e, actual.get(k)));
                differs = true;
            }
            if (differs) problems.append("(if the change is deliberate, rerun with -Dnnc.update=true to write the new texts into the case; see BehaviourTest)\n");
        }
        if (!problems.isEmpty()) throw new AssertionFailedError(problems + "--- program ---\n" + Nets.numbered(source.text()));
    }

    /** A program through the front end once, and through the middle end once for each set of options asked for. */
    private static final class Compiled {
        final Frontend.Result result;
        final Map<Compile.Options, Graph> graphs = new HashMap<>();

        Compiled(String name, SourceFile source) {
            result = Frontend.check(source);
            if (!result.diagnostics().sorted().isEmpty()) {
                fail(name + ": a case of the behaviour suite must check without a diagnostic:\n" + result.diagnostics().sorted().stream()
                        .map(DiagnosticPrinter::render).collect(Collectors.joining()) + "--- program ---\n" + Nets.numbered(source.text()));
            }
        }

        Graph graph(Compile.Options options) {
            return graphs.computeIfAbsent(options, o -> Compile.graph(result.checked(), network(), o));
        }

        String ir(Behaviour.Ir ir) {
            var out = new StringBuilder();
            Compile.graph(result.checked(), network(), ir.options(), (stage, g) -> {
                if (stage.equals(ir.stage())) out.append(IrPrinter.graph(g, ir.style()));
            });
            return out.toString();
        }

        private CheckedNetwork network() {
            var n = Compile.network(result.checked(), null);
            if (n == null) fail("a case of the behaviour suite must declare a network");
            return n;
        }
    }

    static String domains(Graph g) {
        var b = new StringBuilder();
        for (TargetDomain d : g.domains()) {
            b.append(switch (d) {
                case TargetDomain.Range r -> (r.element() == TargetDomain.ALL ? r.target() : element(target(g, r.target()), r.element()))
                        + " lies in " + TargetDomain.number(r.lo()) + " to " + TargetDomain.number(r.hi()) + ": " + r.why();
                case TargetDomain.Distribution s -> s.target() + " sums to 1: " + s.why();
            }).append('\n');
        }
        return b.isEmpty() ? "none\n" : b.toString();
    }

    private static Tensor target(Graph g, String name) {
        return g.targets().stream().filter(t -> t.name.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("internal: a domain of " + name + ", which is no target"));
    }

    /** Element {@code k} (row-major from 0) of a tensor as the source spells it: {@code W[1,3]}. */
    static String element(Tensor t, int k) {
        if (t.rank() == 0) return t.name;
        var at = new String[t.rank()];
        for (int d = t.rank() - 1; d >= 0; d--) {
            at[d] = String.valueOf(k % t.shape.get(d) + 1);
            k /= t.shape.get(d);
        }
        return t.name + "[" + String.join(",", at) + "]";
    }

    private static String gradcheck(String where, SourceFile source, Graph graph, boolean passes) {
        var out = new StringBuilder();
        for (long seed : SEEDS) {
            var options = new Gradcheck.Options(seed, 3, 24, TOLERANCE);
            var report = Gradcheck.run(graph, options);
            if (passes && !report.passed()) {
                out.append(where).append(": ").append(Nets.failure("gradcheck", source.text(), options, report));
            } else if (passes && report.results().size() != graph.params().size()) {
                out.append(where).append(": gradcheck covered ").append(report.results().size()).append(" of ")
                        .append(graph.params().size()).append(" parameters\n").append(Nets.table(report));
            } else if (!passes && (report.passed() || report.worst() <= CLEARLY_WRONG)) {
                out.append(where).append(": at seed ").append(seed).append(" gradcheck should fail with an error above ")
                        .append(CLEARLY_WRONG).append(":\n").append(Nets.table(report));
            }
        }
        return out.toString();
    }

    /** Each element of every parameter checked, and a non-zero gradient at each gradcheck point but for the named. */
    private static String nonZero(String where, Graph graph, List<String> except) {
        Map<Tensor, List<Integer>> zero = new HashMap<>();
        for (String element : except) {
            var m = ELEMENT.matcher(element);
            Tensor p = m.matches() ? graph.params().stream().filter(t -> t.name.equals(m.group(1))).findFirst().orElse(null) : null;
            if (p == null) return where + ": " + element + " is not an element of a parameter, such as W[1,2]\n";
            String[] at = m.group(2) == null ? new String[0] : m.group(2).split(",\\s*");
            if (at.length != p.rank()) return where + ": " + p.name + " has rank " + p.rank() + ", not " + at.length + "\n";
            int offset = 0;
            for (int d = 0; d < at.length; d++) offset = offset * p.shape.get(d) + Integer.parseInt(at[d].strip()) - 1;
            zero.computeIfAbsent(p, t -> new ArrayList<>()).add(offset);
        }
        var out = new StringBuilder();
        for (long seed : SEEDS) {
            var options = new Gradcheck.Options(seed, 3, 24, TOLERANCE);
            for (var r : Gradcheck.run(graph, options).results()) {
                int size = r.shape().stream().reduce(1, (a, b) -> a * b);
                if (r.checked() != size) {
                    out.append(where).append(": gradcheck checks ").append(r.checked()).append(" of the ").append(size)
                            .append(" elements of ").append(r.param()).append(": too large a parameter to say this of\n");
                }
            }
            var point = Gradcheck.point(graph, options);
            Map<Tensor, double[]> grads = new HashMap<>();
            point.interp().lossAndGradients(point.batch(), grads);
            for (Tensor p : graph.params()) {
                double[] g = grads.get(p);
                var zeros = zero.getOrDefault(p, List.of());
                for (int k = 0; k < g.length; k++) {
                    if (zeros.contains(k) ? g[k] != 0 : !(Math.abs(g[k]) > 1e-12)) {
                        out.append(where).append(": ∂J/∂").append(element(p, k)).append(" is ").append(g[k]).append(" at gradcheck seed ").append(seed)
                                .append(zeros.contains(k) ? ", not exactly 0\n" : ": the case does not exercise its rule\n");
                    }
                }
            }
        }
        return out.toString();
    }

    // ─── the runner itself ───────────────────────────────────────────────────────────────────────

    static final String SMALL = """
            network Small {
              input  x
              target y
              param  w
              a = w x
              output a
              loss J = (a - y)²
            }
            """;

    @Test
    void aWrongExpectationFailsWithADifferenceNamingTheFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("wrong.nn");
        Files.writeString(file, SMALL + """
                // expect explain:
                // | // backward pass of Small, per sample (training averages ∂J/∂θ over the mini-batch)
                // | δa = a + y
                // | ∂J/∂w = δa · x
                // | // reuses from the forward pass: a; reads x, y
                """);
        var e = assertThrows(AssertionFailedError.class, () -> run(file, false));
        String message = e.getMessage();
        assertTrue(message.startsWith(file + ":9: expect explain: — the compiler's text differs (- expected, + actual):\n"), message);
        assertTrue(message.contains("  " + file + ":11: - δa = a + y\n"), message);
        assertTrue(message.contains("  " + file + ":11: + δa = 2 · (a - y)\n"), message);
        assertTrue(message.contains("  " + file + ":12:   ∂J/∂w = δa · x\n"), "a line of context: " + message);
        assertTrue(message.contains("-Dnnc.update=true"), message);
        assertTrue(message.contains("   5 |   a = w x"), "the program, numbered: " + message);
    }

    @Test
    void updateWritesTheActualTextInPlaceAndNothingElse(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("stale.nn");
        String stale = SMALL + "// expect ir after lower:\n// | stale\n// | lines\n// expect gradcheck passes\n// a comment stays\n";
        Files.writeString(file, stale);
        assertThrows(AssertionFailedError.class, () -> run(file, false));
        run(file, true);
        String updated = Files.readString(file);
        assertTrue(updated.startsWith(SMALL + "// expect ir after lower:\n// | network Small\n"), updated);
        assertTrue(updated.endsWith("// |   loss   J\n// expect gradcheck passes\n// a comment stays\n"), updated);
        run(file, false); // and now it holds
    }

    @Test
    void aVerdictThatDoesNotHoldFails(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("verdict.nn");
        Files.writeString(file, SMALL + "// expect gradcheck fails\n");
        var e = assertThrows(AssertionFailedError.class, () -> run(file, true));
        assertTrue(e.getMessage().startsWith(file + ":9: expect gradcheck fails: at seed 1 gradcheck should fail"), e.getMessage());
    }

    @Test
    void aGradientThatIsNotAsSaidIsNamedAsTheSourceSpellsIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("zero.nn");
        Files.writeString(file, SMALL.replace("param  w", "param  w, v[2,3]").replace("w x", "w x + v[2,1]")
                + "// expect gradients non-zero except w, v[1,2]\n");
        String message = assertThrows(AssertionFailedError.class, () -> run(file, false)).getMessage();
        assertTrue(message.startsWith(file + ":9: expect gradients non-zero except w, v[1,2]: ∂J/∂w is "), message);
        assertTrue(message.contains(" at gradcheck seed 1, not exactly 0\n"), message);
        assertTrue(message.contains(": ∂J/∂v[1,1] is 0.0 at gradcheck seed 1: the case does not exercise its rule\n"), message);
        assertTrue(!message.contains("∂J/∂v[1,2]") && !message.contains("∂J/∂v[2,1]"), message);
    }

    @Test
    void aMisspeltExpectationIsRefusedWithItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typo.nn");
        Files.writeString(file, SMALL + "// expect ir after differentiation:\n");
        var e = assertThrows(AssertionFailedError.class, () -> run(file, false));
        assertEquals(file + ": line 9: no stage differentiation; the stages are lower, expand, rewrite, pool, im2col, differentiate, optimize, recompute",
                e.getMessage());
        Files.writeString(file, SMALL + "// expect gradcheck works\n");
        assertTrue(assertThrows(AssertionFailedError.class, () -> run(file, false)).getMessage()
                .startsWith(file + ": line 9: unknown expectation `gradcheck works`"));
        Files.writeString(file, SMALL);
        assertTrue(assertThrows(AssertionFailedError.class, () -> run(file, false)).getMessage().contains("no `// expect` line"));
    }
}
