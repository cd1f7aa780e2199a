package dev.nnc.driver;

import dev.nnc.gen.cuda.CudaBackend;
import dev.nnc.gen.jvm.JvmBackend;
import dev.nnc.interp.InterpreterModel;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The backends a network runs on, chosen by name ({@code --backend}) and precision ({@code --precision}); the one
 * place that makes a {@link Model} of a graph, after {@link Memory} has said it fits.
 */
public final class Backends {
    private Backends() {}

    public static final List<String> NAMES = List.of("jvm", "cuda", "interp");

    /**
     * As {@link #create(String, String, Graph, OptimizerIr, int)}, except that a network too large for one JVM class
     * runs on the interpreter (a result rather than a refusal: it runs a network of any size, in f64, more slowly),
     * which {@code notes} is told.
     */
    public static Model create(String name, String precision, Graph graph, OptimizerIr optimizer, int batch, Consumer<String> notes) {
        try {
            return create(name, precision, graph, optimizer, batch);
        } catch (JvmBackend.TooLarge e) {
            Memory.require(graph, optimizer, "interp", DType.F64, batch);
            notes.accept(e.what + "; the reference interpreter runs it (--backend interp, f64)");
            return new InterpreterModel(graph, optimizer);
        }
    }

    /**
     * @param precision f32, f64, or null for the backend's default
     * @param batch     the most samples run at once (a training batch; 1 for prediction, whose batches the runtime sizes)
     * @throws Build.BadRequest for a backend or precision that does not exist, or that the backend lacks
     * @throws Memory.TooLarge for a network this JVM cannot hold
     * @throws dev.nnc.runtime.BackendUnavailable for the cuda backend on a machine without a GPU, driver or nvcc
     */
    public static Model create(String name, String precision, Graph graph, OptimizerIr optimizer, int batch) {
        DType type = precision(precision);
        if (!NAMES.contains(name)) throw new Build.BadRequest(noSuchBackend(name));
        Memory.require(graph, optimizer, name, type == null ? DType.F32 : type, batch);
        return switch (name) {
            case "jvm" -> JvmBackend.model(graph, optimizer, type == null ? DType.F32 : type);
            case "cuda" -> CudaBackend.model(graph, optimizer, type == null ? DType.F32 : type);
            case "interp" -> {
                if (type == DType.F32) throw new Build.BadRequest("the interpreter computes in f64 only; for f32 use --backend jvm");
                yield new InterpreterModel(graph, optimizer);
            }
            default -> throw new IllegalStateException("internal: backend " + name);
        };
    }

    /** One sample at a time, in {@code precision}. */
    public static Model create(String name, String precision, Graph graph, OptimizerIr optimizer) {
        return create(name, precision, graph, optimizer, 1);
    }

    /** With the backend's default precision. */
    public static Model create(String name, Graph graph, OptimizerIr optimizer) { return create(name, null, graph, optimizer); }

    public static String noSuchBackend(String name) {
        return "there is no backend " + name + "; the backends are " + String.join(", ", NAMES);
    }

    /**
     * The precision {@code --precision} names: f32 or f64 (float32, float64), or null for null.
     *
     * @throws Build.BadRequest for any other spelling (a usage mistake)
     */
    public static DType precision(String precision) {
        return precision == null ? null : switch (precision.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f64", "float64" -> DType.F64;
            default -> throw new Build.BadRequest("there is no precision " + precision + "; give f32 or f64");
        };
    }
}
