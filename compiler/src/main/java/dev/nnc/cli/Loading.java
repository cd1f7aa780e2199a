package dev.nnc.cli;

import dev.nnc.ast.Program;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.CheckedProgram;
import dev.nnc.check.Checker;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.driver.Build;
import dev.nnc.driver.Compile;
import dev.nnc.driver.Frontend;
import dev.nnc.ir.Graph;
import dev.nnc.runtime.io.FileProblem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Reading, checking and building a file for the commands that compile it: diagnostics printed, an exit status if it
 * fails, a request the program cannot meet a usage mistake.
 */
final class Loading {
    private Loading() {}

    /** A parsed file, a checked network, or one built; or the exit status after saying why there is none. */
    sealed interface Result {}

    record Parsed(Program program) implements Result {}

    record Checked(CheckedProgram program, CheckedNetwork network) implements Result {}

    record Ok(Build.Built built) implements Result {}

    record Failed(int status) implements Result {}

    /** A program that cannot be read, said in one line naming it and why; the exit status (a usage mistake). */
    static int unreadable(Path file, IOException e, PrintWriter err) {
        err.println("nnc: " + switch (e) {
            case NoSuchFileException x -> "cannot read " + file + ": no such file";
            case FileProblem x -> x.getMessage(); // names the file and the reason
            default -> "cannot read " + file + ": " + e.getMessage();
        });
        return Main.USAGE;
    }

    /** The file parsed alone (nothing resolved or checked), its syntax errors printed if it has any. */
    static Result parsed(Path file, PrintWriter err) {
        var diagnostics = new Diagnostics();
        Program program;
        try {
            program = Frontend.parse(Frontend.read(file, file.toString()), diagnostics);
        } catch (IOException e) {
            return new Failed(unreadable(file, e, err));
        }
        if (!diagnostics.hasErrors()) return new Parsed(program);
        diagnostics.sorted().forEach(d -> err.print(DiagnosticPrinter.render(d)));
        return new Failed(Main.ERRORS);
    }

    static Result network(Path file, String name, PrintWriter err) {
        Frontend.Result result;
        try {
            result = Frontend.check(file);
        } catch (IOException e) {
            return new Failed(unreadable(file, e, err));
        }
        result.diagnostics().sorted().forEach(d -> err.print(DiagnosticPrinter.render(d)));
        if (result.diagnostics().hasErrors()) return new Failed(Main.ERRORS);
        var network = Compile.network(result.checked(), name);
        if (network == null && name == null) { // an empty file the checker has reported; this one declares what networks use
            err.print(DiagnosticPrinter.render(Checker.noNetwork(result.main().source(), false)));
            return new Failed(Main.ERRORS);
        }
        if (network == null) {
            var names = result.checked().networks().stream().map(CheckedNetwork::name).toList();
            err.println("nnc: --network: " + file + " has no network named " + name + "; "
                    + (names.isEmpty() ? "it declares none" : "it declares " + String.join(", ", names)));
            return new Failed(Main.USAGE);
        }
        return new Checked(result.checked(), network);
    }

    /** The network built as {@code request} asks once it is checked; {@code dump} sees each stage's graph. */
    static Result build(Path file, String name, CommandLine.Model.CommandSpec spec, Supplier<Build.Request> request,
                        BiConsumer<String, Graph> dump) {
        var checked = network(file, name, spec.commandLine().getErr());
        if (!(checked instanceof Checked c)) return checked;
        try {
            return new Ok(Build.network(c.program(), c.network(), file, request.get(), dump));
        } catch (Build.BadRequest e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    static Result build(Path file, String name, CommandLine.Model.CommandSpec spec, Supplier<Build.Request> request) {
        return build(file, name, spec, request, (stage, g) -> { });
    }
}
