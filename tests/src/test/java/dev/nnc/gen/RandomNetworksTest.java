package dev.nnc.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Frontend;
import dev.nnc.source.SourceFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The random-network family is valid and honestly varied: every program of seeds 0…299 passes the front end
 * with no diagnostic at all (not even a warning), a seed always gives the same text, and the seeds cover all
 * three wiring styles, most activations and most output/loss combinations.
 */
class RandomNetworksTest {
    private static final int SEEDS = 300;

    @Test
    void everyProgramChecksWithoutDiagnostics() {
        var failures = new ArrayList<String>();
        for (long seed = 0; seed < SEEDS; seed++) {
            var program = RandomNetworks.generate(seed);
            var result = Frontend.check(new SourceFile("random_" + seed + ".nn", program.source()));
            if (result.diagnostics().size() != 0) {
                String rendered = result.diagnostics().sorted().stream().map(DiagnosticPrinter::render)
                        .collect(Collectors.joining());
                failures.add("seed " + seed + " (" + program.name() + "):\n" + numbered(program.source())
                        + "--- diagnostics ---\n" + rendered);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + SEEDS + " generated programs have diagnostics; the first ones:\n\n"
                    + String.join("\n", failures.subList(0, Math.min(5, failures.size()))));
        }
    }

    @Test
    void aSeedAlwaysGivesTheSameProgram() {
        for (long seed = 0; seed < SEEDS; seed++) {
            assertEquals(RandomNetworks.generate(seed), RandomNetworks.generate(seed), "seed " + seed);
        }
        for (long seed : new long[] {-1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40}) {
            assertEquals(RandomNetworks.generate(seed), RandomNetworks.generate(seed), "seed " + seed);
        }
        Set<String> texts = new HashSet<>();
        for (long seed = 0; seed < SEEDS; seed++) texts.add(RandomNetworks.generate(seed).source());
        assertEquals(SEEDS, texts.size(), "different seeds should give different programs");
        assertNotEquals(RandomNetworks.generate(1).source(), RandomNetworks.generate(2).source());
    }

    @Test
    void theFamilyIsVaried() {
        Set<String> styles = new TreeSet<>();
        Set<String> activations = new TreeSet<>();
        Set<String> losses = new TreeSet<>();
        Set<Integer> depths = new TreeSet<>();
        boolean ascii = false;
        boolean unicode = false;
        boolean l2 = false;
        for (long seed = 0; seed < SEEDS; seed++) {
            var program = RandomNetworks.generate(seed);
            var d = RandomNetworks.Description.parse(program.name());
            styles.add(d.style());
            activations.addAll(d.activations());
            losses.add(d.loss());
            l2 |= d.l2();
            String[] widths = d.widths().split("-");
            depths.add(widths.length - 2);
            assertEquals(widths.length - 2, d.activations().size(), program.name());
            for (String w : widths) {
                int n = Integer.parseInt(w);
                assertTrue(n >= 1 && n <= 6, "width " + n + " in " + program.name());
            }
            assertTrue(Integer.parseInt(widths[0]) <= 5, "input size in " + program.name());
            assertTrue(RandomNetworks.STYLES.contains(d.style()), program.name());
            assertTrue(RandomNetworks.ACTIVATIONS.containsAll(d.activations()), program.name());
            assertTrue(RandomNetworks.LOSSES.contains(d.loss()), program.name());
            assertTrue(!program.source().contains("train "), "no train block: " + program.name());
            String body = program.source().substring(program.source().indexOf('\n') + 1);   // past the header
            if (body.chars().allMatch(c -> c < 128)) ascii = true;
            if (body.contains("Σ") || body.contains("σ(")) unicode = true;
        }
        assertEquals(Set.copyOf(RandomNetworks.STYLES), styles, "wiring styles");
        assertTrue(activations.size() >= 8, "only " + activations.size() + " activations: " + activations);
        assertTrue(losses.size() >= 5, "only " + losses.size() + " losses: " + losses);
        assertEquals(Set.of(1, 2, 3), depths, "hidden depths");
        assertTrue(ascii && unicode, "both all-ASCII and Unicode programs");
        assertTrue(l2, "some loss with an L2 penalty");
    }

    private static String numbered(String source) {
        List<String> lines = source.lines().toList();
        var s = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) s.append(String.format("%3d | %s%n", i + 1, lines.get(i)));
        return s.toString();
    }
}
