package dev.nnc.cli;

import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.Program;
import dev.nnc.diag.DiagnosticPrinter;
import dev.nnc.diag.Diagnostics;
import dev.nnc.driver.Frontend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "emit", description = {"Print what a compiler stage makes of a file, such as its IR or generated code.",
        "ast — the syntax tree, as .nn source; ir — the IR in index notation after a stage (--after);",
        "schedule — the loop programs of the JVM backend; jvm — its generated class, as a bytecode listing;",
        "cuda — the loop programs as one CUDA C translation unit that nvcc compiles on its own."},
        mixinStandardHelpOptions = true)
final class EmitCommand implements Callable<Integer> {
    enum What { ast, ir, schedule, jvm, cuda }

    @Option(names = "--after", paramLabel = "STAGE", description = "for ir: the stage after which to print it, one of "
            + "lower, expand, rewrite, differentiate, optimize (default: ${DEFAULT-VALUE})")
    String after = "optimize";

    @Option(names = "--network", paramLabel = "NAME", description = "for ir: which network, if the file has several")
    String network;

    @Parameters(index = "0", paramLabel = "WHAT", description = "what to print: ${COMPLETION-CANDIDATES}")
    What what;

    @Parameters(index = "1", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--precision", paramLabel = "P", converter = Options.PrecisionName.class, description = "for jvm and cuda: f32 or f64 (default: ${DEFAULT-VALUE})")
    String precision = "f32";

    @Option(names = "--ascii", description = "use the ASCII spelling (sigma, sum_i, *, ^2, <-) instead of Unicode")
    boolean ascii;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (what != What.ast) return ir(out, err);
        var diagnostics = new Diagnostics();
        Program program;
        try {
            program = Frontend.parse(Frontend.read(file, file.toString()), diagnostics);
        } catch (IOException e) {
            return Loading.unreadable(file, e, err);
        }
        if (diagnostics.hasErrors()) {
            diagnostics.sorted().forEach(d -> err.print(DiagnosticPrinter.render(d)));
            return Main.ERRORS;
        }
        switch (what) {
            case ast -> out.print(AstPrinter.print(program, ascii));
            case ir, schedule, jvm, cuda -> throw new IllegalStateException("internal: handled above");
        }
        return Main.OK;
    }

    private int ir(java.io.PrintWriter out, java.io.PrintWriter err) {
        if (!dev.nnc.driver.Compile.STAGES.contains(after)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown stage " + after + "; the stages are "
                    + String.join(", ", dev.nnc.driver.Compile.STAGES));
        }
        var loaded = Loading.network(file, network, err);
        if (loaded instanceof Loading.Failed f) return f.status();
        var ok = (Loading.Ok) loaded;
        var style = ascii ? dev.nnc.ir.IrPrinter.Style.ASCII : dev.nnc.ir.IrPrinter.Style.UNICODE;
        var graph = dev.nnc.driver.Compile.graph(ok.program(), ok.network(), dev.nnc.driver.Compile.Options.DEFAULT, (stage, g) -> {
            if (what == What.ir && stage.equals(after)) out.print(dev.nnc.ir.IrPrinter.graph(g, style));
        });
        if (what == What.ir) return Main.OK;
        var block = dev.nnc.cli.train.TrainBlock.of(ok.program(), ok.network().name(), file.getParent() == null ? Path.of("") : file.getParent());
        var optimizer = dev.nnc.cli.train.OptimizerChoice.choose(ok.program().scope(), block, null, null);
        var options = dev.nnc.schedule.Schedule.Options.DEFAULT;
        if (what == What.schedule) {
            out.print(dev.nnc.schedule.LoopPrinter.print(dev.nnc.schedule.Schedule.of(graph, optimizer, options), style));
            return Main.OK;
        }
        dev.nnc.runtime.DType type;
        try {
            type = Backends.precision(precision);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        if (what == What.cuda) {
            out.print(dev.nnc.gen.cuda.CudaBackend.generate(graph, optimizer, type).cuda().source());
            out.flush();
            return Main.OK;
        }
        byte[] bytes = dev.nnc.gen.jvm.JvmBackend.compile(graph, optimizer, type, options);
        new org.objectweb.asm.ClassReader(bytes).accept(new org.objectweb.asm.util.TraceClassVisitor(out), 0);
        out.flush();
        return Main.OK;
    }
}
