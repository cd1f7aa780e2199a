package dev.nnc.cli;

import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The backends {@code --backend} chooses from, and the precision {@code --precision} asks of them; a mixin of
 * train, predict and eval.
 */
public final class Backends {
    public static final List<String> NAMES = List.of("jvm", "cuda", "interp");

    static final class Names implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() { return NAMES.iterator(); }
    }

    @Option(names = "--backend", paramLabel = "B", completionCandidates = Names.class, converter = Options.BackendName.class,
            description = "which backend runs the network: jvm (bytecode), cuda (an NVIDIA GPU) or interp (the reference "
                    + "interpreter) (default: ${DEFAULT-VALUE})")
    String backend = "jvm";

    @Option(names = "--precision", paramLabel = "P", converter = Options.PrecisionName.class,
            description = "f32 or f64: what the jvm and cuda backends compute in (default: f32); the interpreter computes in f64")
    String precision;

    /**
     * @param batch the most samples run at once (a training batch; 1 for prediction, whose batches the runtime sizes)
     * @throws IllegalArgumentException for a backend or precision that does not exist (a usage mistake)
     * @throws Memory.TooLarge for a network this JVM cannot hold
     */
    Model create(Graph graph, OptimizerIr optimizer, int batch) {
        try {
            return create(backend, precision, graph, optimizer, batch);
        } catch (JvmBackend.TooLarge e) {
            // a result rather than a refusal: the interpreter runs a network of any size, in f64, more slowly
            Memory.require(graph, optimizer, "interp", DType.F64, batch);
            mixee.commandLine().getErr().println("nnc: note: " + e.what + "; the reference interpreter runs it (--backend interp, f64)");
            return new InterpreterModel(graph, optimizer);
        }
    }

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec mixee;

    /**
     * @param precision f32, f64, or null for the backend's default
     * @throws IllegalArgumentException for a backend or precision that does not exist, or that the backend lacks
     * @throws dev.nnc.runtime.BackendUnavailable for the cuda backend on a machine without a GPU, driver or nvcc
     */
    public static Model create(String name, String precision, Graph graph, OptimizerIr optimizer) {
        return create(name, precision, graph, optimizer, 1);
    }

    static Model create(String name, String precision, Graph graph, OptimizerIr optimizer, int batch) {
        DType type = precision(precision);
        if (!NAMES.contains(name)) throw new IllegalArgumentException("there is no backend " + name + "; the backends are " + String.join(", ", NAMES));
        Memory.require(graph, optimizer, name, type == null ? DType.F32 : type, batch);
        return switch (name) {
            case "jvm" -> JvmBackend.model(graph, optimizer, type == null ? DType.F32 : type);
            case "cuda" -> dev.nnc.gen.cuda.CudaBackend.model(graph, optimizer, type == null ? DType.F32 : type);
            case "interp" -> {
                if (type == DType.F32) throw new IllegalArgumentException("the interpreter computes in f64 only; for f32 use --backend jvm");
                yield new InterpreterModel(graph, optimizer);
            }
            default -> throw new IllegalArgumentException("there is no backend " + name + "; the backends are " + String.join(", ", NAMES));
        };
    }

    /**
     * The precision {@code --precision} names: f32 or f64 (float32, float64), or null for null.
     *
     * @throws IllegalArgumentException for any other spelling (a usage mistake)
     */
    static DType precision(String precision) {
        return precision == null ? null : switch (precision.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f64", "float64" -> DType.F64;
            default -> throw new IllegalArgumentException("there is no precision " + precision + "; give f32 or f64");
        };
    }

    /** With the backend's default precision. */
    public static Model create(String name, Graph graph, OptimizerIr optimizer) { return create(name, null, graph, optimizer); }
}
