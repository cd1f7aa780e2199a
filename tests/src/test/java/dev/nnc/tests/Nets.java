package dev.nnc.tests;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.interp.Gradcheck;
import dev.nnc.ir.Graph;
import dev.nnc.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/** Compiling networks to graphs for the gradient tests, and printing what a failure needs to be understood. */
final class Nets {
    private Nets() {}

    /** The first network of a program given as text, through the front end and the middle end. */
    static Graph compile(String name, String source) { return compile(name, source, Compile.Options.DEFAULT); }

    static Graph compile(String name, String source, Compile.Options options) {
        return compile(new SourceFile(name, source), options);
    }

    /** The first network of a file of the repository. */
    static Graph compile(Path file) {
        try {
            return compile(Frontend.read(file, Repo.relative(file)), Compile.Options.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Graph compile(SourceFile file, Compile.Options options) {
        var result = Frontend.check(file);
        if (result.diagnostics().hasErrors()) {
            fail("the program does not check:\n" + result.diagnostics().sorted().stream().map(DiagnosticPrinter::render)
                    .collect(Collectors.joining()) + "--- program ---\n" + numbered(file.text()));
        }
        var network = Compile.network(result.checked(), null);
        if (network == null) fail("the program has no network:\n" + numbered(file.text()));
        return Compile.graph(result.checked(), network, options);
    }

    /** The very point {@link Gradcheck#run} checks at for these options. */
    static Gradcheck.Point gradcheckPoint(Graph graph, Gradcheck.Options o) { return Gradcheck.point(graph, o); }

    static double gaussian(SplittableRandom random) { return Gradcheck.gaussian(random); }

    /** The source with line numbers, as a failure message shows it. */
    static String numbered(String source) {
        var out = new StringBuilder();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i == lines.length - 1 && lines[i].isEmpty()) break;
            out.append(String.format(Locale.ROOT, "%4d | %s%n", i + 1, lines[i]));
        }
        return out.toString();
    }

    /** A gradcheck report as a table, like {@code nnc gradcheck} prints it. */
    static String table(Gradcheck.Report report) {
        var out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "loss %.12g, worst error %.3e, tolerance %.0e%n", report.loss(), report.worst(),
                report.tolerance()));
        out.append(String.format(Locale.ROOT, "%-12s %-10s %8s  %-10s  %s%n", "param", "shape", "checked", "worst err",
                "(derived vs numeric at the worst element)"));
        for (var r : report.results()) {
            out.append(String.format(Locale.ROOT, "%-12s %-10s %8s  %-10.3e  element %d: %.15g vs %.15g%s%n", r.param(),
                    r.shape().isEmpty() ? "scalar" : r.shape().toString().replace(" ", ""),
                    r.checked() + "/" + r.shape().stream().reduce(1, (a, b) -> a * b), r.error(), r.worst(),
                    r.analytic(), r.numeric(), r.error() < report.tolerance() ? "" : "  <- above tolerance"));
        }
        return out.toString();
    }

    /** The whole story of a failed gradcheck: what, the program, the options, the table. */
    static String failure(String what, String source, Gradcheck.Options options, Gradcheck.Report report) {
        return what + ": gradients disagree with central differences (seed " + options.seed() + ", batch "
                + options.batch() + ", " + options.perParam() + " elements per parameter at most)\n--- program ---\n"
                + numbered(source) + "--- gradcheck ---\n" + table(report);
    }

    /** Gradchecks a program and fails with {@link #failure} unless it passes; returns the report. */
    static Gradcheck.Report assertGradcheck(String what, String source, Gradcheck.Options options) {
        Graph graph = compile(what.replaceAll("[^A-Za-z0-9_.-]", "_") + ".nn", source);
        return assertGradcheck(what, source, graph, options);
    }

    static Gradcheck.Report assertGradcheck(String what, String source, Graph graph, Gradcheck.Options options) {
        Gradcheck.Report report = Gradcheck.run(graph, options);
        if (!report.passed()) fail(failure(what, source, options, report));
        if (report.results().size() != graph.params().size()) {
            fail(what + ": the gradcheck covered " + report.results().size() + " of " + graph.params().size()
                    + " parameters\n" + table(report));
        }
        return report;
    }
}
