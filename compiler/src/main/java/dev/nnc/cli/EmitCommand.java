package dev.nnc.cli;

import dev.nnc.ast.AstPrinter;
import dev.nnc.ast.Program;
import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.driver.Compile;
import dev.nnc.ir.IrPrinter;
import dev.nnc.schedule.LoopPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.util.TraceClassVisitor;
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
            + "lower, expand, rewrite, pool, im2col, differentiate, optimize, recompute (pool, im2col and recompute: the JVM "
            + "backend's own graph of a network with index arithmetic; default: ${DEFAULT-VALUE})")
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
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (what != What.ast) return built(out, err);
        var parsed = Loading.parsed(file, err);
        if (!(parsed instanceof Loading.Parsed(Program program))) return ((Loading.Failed) parsed).status();
        out.print(AstPrinter.print(program, ascii));
        return Main.OK;
    }

    private int built(PrintWriter out, PrintWriter err) {
        if (!Compile.STAGES.contains(after)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown stage " + after + "; the stages are " + String.join(", ", Compile.STAGES));
        }
        var style = ascii ? IrPrinter.Style.ASCII : IrPrinter.Style.UNICODE;
        boolean[] shown = {false};
        var loaded = Loading.build(file, network, spec, () -> Build.Request.DEFAULT, (stage, g) -> {
            if (what == What.ir && stage.equals(after)) {
                out.print(IrPrinter.graph(g, style));
                shown[0] = true;
            }
        });
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        if (what == What.ir && !shown[0]) {
            // the stage the same graph was last shown after: the one before the kernels' stage
            String before = Compile.STAGES.get(Compile.STAGES.indexOf(after) - 1);
            while (Compile.KERNEL_STAGES.contains(before)) before = Compile.STAGES.get(Compile.STAGES.indexOf(before) - 1);
            err.println("nnc: " + after + " does not run for this network: it reads nothing through index arithmetic (no "
                    + "convolution or pooling for the JVM backend's kernels); see --after " + before);
        }
        switch (what) {
            case ir -> { }
            case schedule -> out.print(LoopPrinter.print(built.loops(), style));
            case cuda -> out.print(built.cudaSource(Backends.precision(precision)));
            case jvm -> new ClassReader(built.jvmClass(Backends.precision(precision))).accept(new TraceClassVisitor(out), 0);
            case ast -> throw new IllegalStateException("internal: ast is printed without building");
        }
        out.flush();
        return Main.OK;
    }
}
