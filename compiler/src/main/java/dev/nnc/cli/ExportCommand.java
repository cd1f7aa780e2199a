package dev.nnc.cli;

import dev.nnc.cli.train.OutputName;
import dev.nnc.driver.Backends;
import dev.nnc.driver.Build;
import dev.nnc.export.OnnxExport;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.io.UserFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a trained network's forward pass as an ONNX model, for ONNX Runtime and the rest (see docs/deploy.md).",
                "Opset " + OnnxExport.OPSET + ", the batch dimension symbolic (N), the weights and their normalisation inside;",
                "inputs and outputs are named after the network's."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .nn file")
    Path file;

    @Option(names = "--network", paramLabel = "NAME", description = "which network, if the file has several")
    String network;

    @Option(names = "--weights", paramLabel = "WEIGHTS",
            description = "the weights (safetensors) nnc train wrote; not needed when every parameter has given values (= [0, -1])")
    Path weights;

    @Option(names = {"-o", "--output"}, paramLabel = "ONNX", description = "where the model goes (default: the .nn file's name, xor.nn → xor.onnx, in the current directory)")
    Path output;

    @Option(names = "--precision", paramLabel = "P", converter = Options.PrecisionName.class, description = "f32 or f64: the model's element type (default: f32)")
    String precision;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        var loaded = Loading.build(file, network, spec, () -> Build.Request.UNTRAINED);
        if (!(loaded instanceof Loading.Ok(Build.Built built))) return ((Loading.Failed) loaded).status();
        DType type = precision == null ? DType.F32 : Backends.precision(precision); // checked as it was read
        String name = built.graph().name();
        Path onnx = output != null ? output : Path.of(OutputName.stem(file, name, built.program().networks().size()) + ".onnx");
        try {
            List<Path> inputs = new ArrayList<>(List.of(file));
            if (weights != null) inputs.add(weights);
            UserFiles.checkOutputs(List.of(onnx), inputs);
            var trained = Weights.read(built, weights).trained();
            Build.onnx(built, trained, onnx, type, file);
        } catch (OnnxExport.Unsupported e) {
            err.println((e.span != null ? e.span.location() : file.toString()) + ": error: cannot export " + name + " to ONNX: " + e.getMessage());
            return Main.ERRORS;
        } catch (CheckpointError e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        } catch (Weights.Missing e) {
            err.println("nnc: " + e.getMessage());
            return Main.USAGE;
        } catch (IOException e) {
            err.println("nnc: " + e.getMessage());
            return Main.ERRORS;
        }
        out.printf(Locale.ROOT, "%s written: the network %s (%s) in %s, opset %d%n", onnx, name, Words.count(built.parameters(), "parameter"),
                type.name().toLowerCase(Locale.ROOT), OnnxExport.OPSET);
        return Main.OK;
    }
}
