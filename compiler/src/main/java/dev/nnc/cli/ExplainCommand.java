package dev.nnc.cli;

import dev.nnc.driver.Compile;
import dev.nnc.explain.Explain;
import dev.nnc.ir.IrPrinter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Print the backward pass nnc derives: a δ per neuron or layer, ∂J/∂θ for every parameter.")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = "--latex", description = "print LaTeX instead of .nn notation")
    boolean latex;

    @Option(names = "--ascii", description = "print the ASCII spelling of .nn notation")
    boolean ascii;

    @Option(names = "--notes", description = "also say which stability rewrites applied, and where")
    boolean notes;

    @Option(names = "--no-rewrite", paramLabel = "NAME", split = ",",
            description = "turn off a stability rewrite: ${COMPLETION-CANDIDATES}", completionCandidates = Rewrites.class)
    List<String> noRewrite = List.of();

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        var options = Rewrites.request(noRewrite, null, null, spec).compile(); // a rewrite there is not, before the file is read
        var loaded = Loading.network(file, network, err);
        if (!(loaded instanceof Loading.Checked ok)) return ((Loading.Failed) loaded).status();
        var graph = Compile.graph(ok.program(), ok.network(), options);
        var style = latex ? IrPrinter.Style.LATEX : ascii ? IrPrinter.Style.ASCII : IrPrinter.Style.UNICODE;
        spec.commandLine().getOut().print(Explain.render(graph, style, notes));
        return Main.OK;
    }
}
