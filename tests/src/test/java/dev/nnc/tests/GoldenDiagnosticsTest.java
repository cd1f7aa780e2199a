package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Key;
import dev.nnc.driver.Frontend;
import dev.nnc.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden suite of wrong programs under tests/diagnostics/. Each file says inline what it must produce:
 * a comment line with a caret under the column of the line above it, then severity and key —
 * <pre>
 *   h[j] = relu(Σᵢ W[j,i] x[i] + b[j])
 * //                      ^ error[index-range]
 * </pre>
 * The diagnostics reported for the file must be exactly those (severity, key, line and column). A place no caret
 * can point at (column 1, under a comment's slashes) is written out: {@code // error[no-network] at 1:1}. A line
 * {@code //   = hint: TEXT} after an expectation says what that diagnostic's hint must be, word for word: the
 * fix a beginner is shown is part of what is tested.
 */
class GoldenDiagnosticsTest {
    private static final Pattern EXPECT = Pattern.compile("^(\\s*//\\s*)\\^+ (error|warning)\\[([a-z-]+)\\]\\s*$");
    private static final Pattern EXPECT_AT = Pattern.compile("^//\\s*(error|warning)\\[([a-z-]+)\\] at (\\d+):(\\d+)\\s*$");
    private static final Pattern HINT = Pattern.compile("^\\s*//\\s*= hint: (.*)$");

    record Expected(String severity, String key, int line, int column) implements Comparable<Expected> {
        @Override public int compareTo(Expected o) {
            return line != o.line ? Integer.compare(line, o.line)
                    : column != o.column ? Integer.compare(column, o.column) : (severity + key).compareTo(o.severity + o.key);
        }

        @Override public String toString() { return line + ":" + column + " " + severity + "[" + key + "]"; }
    }

    static List<Path> cases() { return Repo.nnFiles("tests/diagnostics").stream()
            .filter(p -> !p.getFileName().toString().startsWith("_")).toList(); }

    static Set<Expected> expectations(SourceFile file) { return hints(file).keySet(); }

    /** Every expectation, with the hint it must have (null when the case does not say). */
    static SortedMap<Expected, String> hints(SourceFile file) {
        var out = new TreeMap<Expected, String>();
        int target = 0;
        Expected last = null;
        for (int line = 1; line <= file.lineCount(); line++) {
            String text = file.line(line);
            var at = EXPECT_AT.matcher(text);
            if (at.matches()) {
                last = new Expected(at.group(1), at.group(2), Integer.parseInt(at.group(3)), Integer.parseInt(at.group(4)));
                out.put(last, null);
                continue;
            }
            var h = HINT.matcher(text);
            if (h.matches() && last != null) {
                out.put(last, h.group(1));
                continue;
            }
            var m = EXPECT.matcher(text);
            if (!m.matches()) {
                target = line;
                last = null;
                continue;
            }
            int column = text.codePointCount(0, text.indexOf('^')) + 1;
            last = new Expected(m.group(2), m.group(3), target, column);
            out.put(last, null);
        }
        return out;
    }

    static Set<Expected> actual(Path file, List<Diagnostic> diagnostics) {
        Set<Expected> out = new TreeSet<>();
        for (Diagnostic d : diagnostics) {
            Path where = Path.of(d.span().file().name()).toAbsolutePath().normalize();
            if (!where.equals(file.toAbsolutePath().normalize())) continue;
            out.add(new Expected(d.severity().label(), d.key().id(), d.line(), d.column()));
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> eachCaseReportsExactlyWhatItExpects() {
        return cases().stream().map(p -> DynamicTest.dynamicTest(Repo.relative(p), () -> {
            var result = Frontend.check(p);
            var source = Frontend.read(p, p.toString());
            Set<Expected> expected = expectations(source);
            assertFalse(expected.isEmpty(), p + " expects nothing: a golden case must expect a diagnostic");
            var all = result.diagnostics().sorted();
            assertEquals(expected, actual(p, all), () -> "diagnostics of " + p + ":\n"
                    + all.stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
            for (var e : hints(source).entrySet()) {
                if (e.getValue() == null) continue;
                var d = all.stream().filter(x -> x.key().id().equals(e.getKey().key()) && x.line() == e.getKey().line()
                        && x.column() == e.getKey().column()).findFirst().orElseThrow();
                assertEquals(e.getValue(), d.hint(), "the hint of " + e.getKey() + " in " + p);
            }
            for (Diagnostic d : all) {
                String rendered = DiagnosticPrinter.render(d);
                assertTrue(rendered.startsWith(d.span().file().name() + ":" + d.line() + ":" + d.column() + ": "
                        + d.severity().label() + "[" + d.key().id() + "]: "), rendered);
                assertTrue(rendered.contains("^"), "no caret in\n" + rendered);
                assertFalse(d.message().isBlank());
            }
        }));
    }

    @Test
    void thereAreAtLeastFortyCases() {
        assertTrue(cases().size() >= 40, "only " + cases().size() + " golden cases");
    }

    @Test
    void everyKeyHasAnExample() throws Exception {
        Set<String> covered = new TreeSet<>();
        for (Path p : cases()) {
            for (Expected e : expectations(Frontend.read(p, p.toString()))) covered.add(e.key());
        }
        List<String> missing = new ArrayList<>();
        for (Key k : EnumSet.allOf(Key.class)) if (!covered.contains(k.id())) missing.add(k.id());
        assertEquals(List.of(), missing, "keys without a golden example");
    }
}
