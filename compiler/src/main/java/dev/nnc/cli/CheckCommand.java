package dev.nnc.cli;

import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.Kind;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Severity;
import dev.nnc.driver.Frontend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", description = "Check .nn files: syntax, names, shapes and index ranges.",
        mixinStandardHelpOptions = true)
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "the .nn files to check")
    List<Path> files;

    @Option(names = {"-q", "--quiet"}, description = "print only diagnostics")
    boolean quiet;

    @Option(names = "--Werror", description = "treat warnings as errors")
    boolean warningsAreErrors;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        int status = Main.OK;
        for (Path file : files) {
            Frontend.Result result;
            try {
                result = Frontend.check(file);
            } catch (IOException e) {
                status = Math.max(status, Loading.unreadable(file, e, err));
                continue;
            }
            Diagnostics d = result.diagnostics();
            d.sorted().forEach(x -> err.print(DiagnosticPrinter.render(x)));
            long errors = d.count(Severity.ERROR), warnings = d.count(Severity.WARNING);
            boolean failed = errors > 0 || (warningsAreErrors && warnings > 0);
            if (failed) {
                err.println(file + ": " + Words.count(errors, "error") + (warnings > 0 ? ", " + Words.count(warnings, "warning") : ""));
                status = Math.max(status, Main.ERRORS);
            } else if (!quiet) {
                out.println(file + ": ok" + summary(result) + (warnings > 0 ? " (" + Words.count(warnings, "warning") + ")" : ""));
            }
        }
        return status;
    }

    private static String summary(Frontend.Result result) {
        var parts = new StringBuilder();
        for (CheckedNetwork n : result.checked().networks()) {
            long params = n.values().values().stream()
                    .filter(v -> (v.kind() == Kind.PARAM || v.kind() == Kind.LAYER_PARAM) && v.shape() != null)
                    .mapToLong(v -> v.shape().size()).sum();
            parts.append(parts.isEmpty() ? " — " : "; ").append("network ").append(n.name()).append(", ")
                    .append(Words.count(params, "parameter"));
        }
        return parts.toString();
    }

}
