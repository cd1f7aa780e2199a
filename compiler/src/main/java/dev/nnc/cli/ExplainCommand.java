package dev.nnc.cli;

import dev.nnc.driver.Compile;
import dev.nnc.explain.Explain;
import dev.nnc.ir.IrPrinter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
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

    static final class Rewrites implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return dev.nnc.opt.Stability.RULES.iterator(); }
    }

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        for (String r : noRewrite) {
            if (!dev.nnc.opt.Stability.RULES.contains(r)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown rewrite " + r + "; the rewrites are "
                        + String.join(", ", dev.nnc.opt.Stability.RULES));
            }
        }
        var loaded = Loading.network(file, network, err);
        if (loaded instanceof Loading.Failed f) return f.status();
        var ok = (Loading.Ok) loaded;
        var graph = Compile.graph(ok.program(), ok.network(), new Compile.Options(Set.copyOf(noRewrite), false));
        var style = latex ? IrPrinter.Style.LATEX : ascii ? IrPrinter.Style.ASCII : IrPrinter.Style.UNICODE;
        spec.commandLine().getOut().print(Explain.render(graph, style, notes));
        return Main.OK;
    }
}
