package dev.nnc.cli;

import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.Program;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.driver.Frontend;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "emit", description = "Print what a compiler stage makes of a file.", mixinStandardHelpOptions = true)
final class EmitCommand implements Callable<Integer> {
    enum What { ast }

    @Parameters(index = "0", paramLabel = "WHAT", description = "what to print: ${COMPLETION-CANDIDATES}")
    What what;

    @Parameters(index = "1", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--ascii", description = "use the ASCII spelling (sigma, sum_i, *, ^2, <-) instead of Unicode")
    boolean ascii;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        var diagnostics = new Diagnostics();
        Program program;
        try {
            program = Frontend.parse(Frontend.read(file, file.toString()), diagnostics);
        } catch (NoSuchFileException e) {
            err.println("nnc: cannot read " + file + ": no such file");
            return Main.USAGE;
        } catch (IOException e) {
            err.println("nnc: cannot read " + file + ": " + e.getMessage());
            return Main.USAGE;
        }
        if (diagnostics.hasErrors()) {
            diagnostics.sorted().forEach(d -> err.print(DiagnosticPrinter.render(d)));
            return Main.ERRORS;
        }
        switch (what) {
            case ast -> out.print(AstPrinter.print(program, ascii));
        }
        return Main.OK;
    }
}
