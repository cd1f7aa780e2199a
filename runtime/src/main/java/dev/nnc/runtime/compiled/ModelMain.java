package dev.nnc.runtime.compiled;

import dev.nnc.runtime.BackendUnavailable;
import dev.nnc.runtime.DeviceFailure;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.checkpoint.CheckpointError;
import dev.nnc.runtime.data.DataError;
import dev.nnc.runtime.data.DataFiles;
import dev.nnc.runtime.io.FileProblem;
import dev.nnc.runtime.io.UserFiles;
import dev.nnc.runtime.kernel.Gemm;
import dev.nnc.runtime.predict.Evaluation;
import dev.nnc.runtime.predict.PredictionCsv;
import dev.nnc.runtime.predict.Trained;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The main class of a jar that {@code nnc build} wrote: {@code java -jar model.jar predict|eval|info}. It needs the
 * JDK alone, so its arguments are read by hand (see {@link Args}). Exit status as nnc's: 0 clean, 1 a mistake in
 * the data or weights, 2 a usage mistake, 3 an internal error.
 */
public final class ModelMain {
    private ModelMain() {}

    public static final int OK = 0, ERRORS = 1, USAGE = 2, INTERNAL = 3;

    public static void main(String[] args) {
        if (computes(args)) {
            List<String> withVectors = VectorRelaunch.command(args);
            int status = withVectors == null ? -1 : VectorRelaunch.run(withVectors);
            if (status >= 0) System.exit(status);
        }
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8)));
    }

    /**
     * A command of a JVM network's jar that runs its matrix kernels (predict, eval), which are worth a JVM with the
     * Vector API (VectorRelaunch), or says which run (info).
     */
    private static boolean computes(String[] args) {
        if (args.length == 0 || !List.of("predict", "eval", "info").contains(args[0])) return false;
        try {
            return !ModelJar.info(ModelMain.class.getClassLoader()).cuda();
        } catch (IOException e) {
            return false; // said when the command runs
        }
    }

    /** Runs a command with the model jar on this class's loader; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        String me = programName();
        try {
            return command(me, args, out, err);
        } catch (Args.Mistake e) {
            err.println(me + ": " + e.getMessage() + " (see java -jar " + me + " --help)");
            return USAGE;
        } catch (RuntimeException | Error e) {
            err.println(me + ": internal error: " + e);
            err.println("This is a bug in nnc, not in your data. Please report it with the command line and this trace:");
            e.printStackTrace(err);
            return INTERNAL;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int command(String me, String[] args, PrintWriter out, PrintWriter err) throws Args.Mistake {
        if (args.length == 0) throw new Args.Mistake("missing command: predict, eval or info");
        String name = args[0];
        if (List.of("help", "--help", "-h").contains(name)) {
            out.print(usage(me));
            return OK;
        }
        Args a = switch (name) {
            case "predict" -> Args.parse(name, args, List.of("--weights", "--input", "-o", "--output"), List.of("--input"));
            case "eval" -> Args.parse(name, args, List.of("--weights", "--data"), List.of("--data"));
            case "info", "--version" -> Args.parse(name, args, List.of(), List.of());
            default -> throw new Args.Mistake("there is no command " + name + "; the commands are predict, eval and info");
        };
        if (a.help()) {
            out.print(usage(me));
            return OK;
        }
        ModelJar.Info info;
        Model model;
        try {
            info = ModelJar.info(ModelMain.class.getClassLoader());
            model = ModelJar.load(ModelMain.class.getClassLoader());
        } catch (IOException e) {
            err.println(me + ": " + e.getMessage());
            return ERRORS;
        } catch (BackendUnavailable e) {
            err.println(me + ": the network is compiled for an NVIDIA GPU, and " + e.getMessage());
            return ERRORS;
        } catch (DeviceFailure e) {
            if (e.bug()) throw e;
            err.println(me + ": the GPU failed: " + e.getMessage());
            return ERRORS;
        }
        return switch (name) {
            case "info" -> {
                out.print(describe(info, model.signature(), model));
                yield OK;
            }
            case "--version" -> {
                out.println(info.network() + " (" + info.source() + "), compiled by nnc " + info.nncVersion());
                yield OK;
            }
            case "predict" -> predict(me, model, a, out, err);
            case "eval" -> evaluate(me, model, a, out, err);
            default -> throw new IllegalStateException("internal: command " + name);
        };
    }

    private static int predict(String me, Model model, Args a, PrintWriter out, PrintWriter err) throws Args.Mistake {
        Path weights = a.has("--weights") ? a.path("--weights") : null, output = a.has("-o") ? a.path("-o") : a.has("--output") ? a.path("--output") : null;
        List<Path> input = a.paths("--input");
        try {
            List<Path> inputs = new ArrayList<>(List.of(weights));
            inputs.addAll(input);
            UserFiles.checkOutputs(java.util.Arrays.asList(output), inputs); // before the work, not after it
            var trained = Trained.restore(model, weights);
            var sig = model.signature();
            var data = DataFiles.read(input, sig, false);
            var outputs = trained.predict(data);
            PredictionCsv.deliver(sig.outputs(), outputs, data.size(), trained.task(), output, out, err);
            return OK;
        } catch (CheckpointError | DataError e) {
            err.println(me + ": " + e.getMessage());
            return ERRORS;
        } catch (IllegalArgumentException e) {
            throw new Args.Mistake(e.getMessage());
        } catch (IOException e) {
            err.println(me + ": " + FileProblem.writing(output, e).getMessage());
            return ERRORS;
        }
    }

    private static int evaluate(String me, Model model, Args a, PrintWriter out, PrintWriter err) throws Args.Mistake {
        Path weights = a.has("--weights") ? a.path("--weights") : null;
        List<Path> data = a.paths("--data");
        try {
            var trained = Trained.restore(model, weights);
            out.print(Evaluation.report(trained, DataFiles.read(data, model.signature(), true)));
            out.flush();
            return OK;
        } catch (CheckpointError | DataError e) {
            err.println(me + ": " + e.getMessage());
            return ERRORS;
        } catch (IllegalArgumentException e) {
            throw new Args.Mistake(e.getMessage());
        }
    }

    /** The signature, and how the jar was built. */
    static String describe(ModelJar.Info info, Signature sig, Model model) {
        var b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "network    %s, from %s (sha256 %s)%n", info.network(), info.source(), info.sourceSha256()));
        b.append(String.format(Locale.ROOT, "compiled   by nnc %s, %s, class %s%n", info.nncVersion(),
                model.precision().name().toLowerCase(Locale.ROOT), info.className()));
        b.append(String.format(Locale.ROOT, "inputs     %s%n", list(sig.inputs())));
        b.append(String.format(Locale.ROOT, "targets    %s%n", list(sig.targets())));
        b.append(String.format(Locale.ROOT, "outputs    %s%n", list(sig.outputs())));
        b.append(String.format(Locale.ROOT, "loss       %s%n", sig.loss()));
        b.append(String.format(Locale.ROOT, "parameters %s (%,d)%n", list(sig.params()), sig.parameterCount()));
        b.append(String.format(Locale.ROOT, "optimizer  %s%s%n", info.optimizer(),
                sig.optimizerState().isEmpty() ? "" : ", state " + String.join(", ", sig.optimizerState())));
        if (!info.cuda()) {
            b.append(String.format(Locale.ROOT, "kernels    %s, on Java %s%n", Gemm.vectorized() ? "Vector API"
                    : "scalar (this JVM runs without jdk.incubator.vector)", System.getProperty("java.version")));
        }
        return b.toString();
    }

    private static String list(List<TensorInfo> tensors) {
        return tensors.isEmpty() ? "-" : tensors.stream().map(TensorInfo::toString).collect(Collectors.joining(", "));
    }

    static String usage(String me) {
        return String.join(System.lineSeparator(),
                "Usage: java -jar " + me + " COMMAND [OPTIONS]",
                "A network compiled by nnc build; runs it with weights that nnc train wrote.",
                "",
                "Commands:",
                "  predict [--weights WEIGHTS] --input FILE[,FILE...] [-o CSV]",
                "      Run the network on inputs and write its outputs as CSV (default: standard",
                "      output): one column per output element (p[1], p[2], ...), and for a classifier",
                "      the predicted class. Inputs are scaled as in training.",
                "  eval [--weights WEIGHTS] --data FILE[,FILE...]",
                "      The mean loss on labelled data, and for a classifier the accuracy and the",
                "      confusion matrix.",
                "  Without --weights, a network whose parameters all have given values",
                "  (= 0, = [0, -1]) runs with those.",
                "  info",
                "      The network's inputs, targets, outputs and parameters, how it was built,",
                "      and which matrix kernels run it here.",
                "  help, --help",
                "      This text.",
                "",
                "Data: one CSV file with the inputs (and targets) as columns, or IDX files, one per",
                "input (then one per target).",
                "",
                "Exit status: 0 clean, 1 errors in the data or weights, 2 usage mistake,",
                "3 internal error.",
                "");
    }

    /** The jar's file name as the user typed it, near enough: {@code spirals.jar}; {@code model} when not run from a jar. */
    static String programName() {
        try {
            var source = ModelMain.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path p = Path.of(source.getLocation().toURI());
                if (p.getFileName() != null && p.getFileName().toString().endsWith(".jar")) return p.getFileName().toString();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // a location that is no file: fall through to the generic name
        }
        return "model";
    }
}
