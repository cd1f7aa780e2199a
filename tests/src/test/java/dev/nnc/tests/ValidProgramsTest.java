package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ast.AstEquality;
import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.Program;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.driver.Frontend;
import dev.nnc.source.SourceFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example of the language draft, every stdlib file and every sample checks without a diagnostic,
 * and {@code nnc emit ast} round-trips it: printing (in Unicode and in ASCII) and parsing again gives the
 * same AST, and printing that gives the same text.
 */
class ValidProgramsTest {

    static List<Path> programs() {
        var all = new ArrayList<Path>();
        all.addAll(Repo.nnFiles("tests/examples"));
        all.addAll(Repo.nnFiles("stdlib"));
        all.addAll(Repo.nnFiles("samples"));
        return all;
    }

    @TestFactory
    Stream<DynamicTest> checksClean() {
        return programs().stream().map(p -> DynamicTest.dynamicTest(Repo.relative(p), () -> {
            var result = Frontend.check(p);
            String printed = result.diagnostics().sorted().stream().map(DiagnosticPrinter::render)
                    .collect(Collectors.joining());
            assertEquals(0, result.diagnostics().size(), "expected no diagnostics, got:\n" + printed);
        }));
    }

    @TestFactory
    Stream<DynamicTest> roundTripsUnicode() {
        return programs().stream().map(p -> DynamicTest.dynamicTest(Repo.relative(p), () -> roundTrip(p, false)));
    }

    @TestFactory
    Stream<DynamicTest> roundTripsAscii() {
        return programs().stream().map(p -> DynamicTest.dynamicTest(Repo.relative(p), () -> {
            String ascii = roundTrip(p, true);
            for (int i = 0; i < ascii.length(); i++) {
                assertTrue(ascii.charAt(i) < 128, "non-ASCII character '" + ascii.charAt(i) + "' in --ascii print of "
                        + p + " at " + i + ":\n" + ascii);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> asciiAndUnicodeMeanTheSame() {
        return programs().stream().map(p -> DynamicTest.dynamicTest(Repo.relative(p), () -> {
            Program original = parse(Frontend.read(p, p.toString()));
            Program fromAscii = parse(new SourceFile("ascii.nn", AstPrinter.print(original, true)));
            Program fromUnicode = parse(new SourceFile("unicode.nn", AstPrinter.print(original, false)));
            assertNull(AstEquality.firstDifference(fromAscii, fromUnicode, "program"));
        }));
    }

    private static String roundTrip(Path p, boolean ascii) throws Exception {
        Program original = parse(Frontend.read(p, p.toString()));
        String printed = AstPrinter.print(original, ascii);
        Program again = parse(new SourceFile("printed.nn", printed));
        String difference = AstEquality.firstDifference(original, again, "program");
        assertNull(difference, "printing and parsing " + p + " changed the AST at " + difference + "\nprint:\n" + printed);
        assertEquals(printed, AstPrinter.print(again, ascii), "the print is not a fixed point");
        assertFalse(original.decls().isEmpty(), "nothing parsed from " + p);
        return printed;
    }

    private static Program parse(SourceFile file) {
        var diagnostics = new Diagnostics();
        Program program = Frontend.parse(file, diagnostics);
        assertFalse(diagnostics.hasErrors(), () -> diagnostics.sorted().stream().map(DiagnosticPrinter::render)
                .collect(Collectors.joining()) + "\nin:\n" + file.text());
        return program;
    }
}
