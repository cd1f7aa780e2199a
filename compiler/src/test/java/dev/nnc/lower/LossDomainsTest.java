package dev.nnc.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every loss of the standard library has said what its targets may be: a new loss cannot be added and forgotten. */
class LossDomainsTest {
    @Test void everyStandardLossIsClassified() throws Exception {
        Path losses = Path.of("..", "stdlib", "losses.nn");
        var declared = new TreeSet<String>();
        var fn = Pattern.compile("(?m)^fn\\s+(\\w+)\\s*\\(").matcher(Files.readString(losses));
        while (fn.find()) declared.add(fn.group(1));
        var classified = new TreeSet<>(LossDomains.UNBOUNDED);
        for (var r : LossDomains.RULES) classified.add(r.loss());
        assertEquals(declared, classified, "stdlib/losses.nn against LossDomains.RULES and UNBOUNDED");
        for (var r : LossDomains.RULES) {
            assertTrue(r.why().startsWith(r.loss() + " "), "a rule's reason names its loss: " + r);
            assertTrue(Files.readString(losses).contains("fn " + r.loss() + "(") && r.lo() < r.hi(), r.toString());
        }
    }
}
