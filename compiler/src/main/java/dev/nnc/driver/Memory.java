package dev.nnc.driver;

import dev.nnc.ir.Def;
import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Sizes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses a network the JVM cannot hold before a byte of it is allocated, with its size, instead of an
 * {@code OutOfMemoryError} (or a negative array size) halfway through. The one home of the estimate: every command
 * that makes a model goes through {@link Backends#create}, which asks here first.
 */
public final class Memory {
    private Memory() {}

    /** A network too large for this JVM; a mistake in the program or its settings (exit status 1), said in one line. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(String message) { super(message, null, false, false); }
    }

    /** The JVM's largest heap, in words: "a heap of 2.0 GiB". */
    public static String heapDescription() { return "a heap of " + Sizes.bytes(Runtime.getRuntime().maxMemory()); }

    /** @throws TooLarge when the estimate exceeds what the heap can still give */
    static void require(Graph g, OptimizerIr opt, String backend, DType type, int batch) {
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        check(g, opt, backend, type, batch, Runtime.getRuntime().availableProcessors(), available).ifPresent(m -> {
            throw new TooLarge(m);
        });
    }

    /**
     * Why the network does not fit, or empty when it does: an array over Java's limit (a batch of a large per-sample
     * value), or more bytes than {@code available}. Conservative: parameters, their gradient sums (one per thread),
     * the optimizer's state, and each sample's values and adjoints for a batch.
     */
    static Optional<String> check(Graph g, OptimizerIr opt, String backend, DType type, int batch, int threads, long available) {
        long params = 0, largestParam = 0;
        for (Tensor p : g.params()) {
            long n = Sizes.elements(p.shape);
            params = Sizes.plus(params, n);
            largestParam = Math.max(largestParam, n);
        }
        long perSample = 0, largestValue = 0;
        for (Tensor t : g.inputs()) perSample = Sizes.plus(perSample, Sizes.elements(t.shape));
        for (Tensor t : g.targets()) perSample = Sizes.plus(perSample, Sizes.elements(t.shape));
        for (var defs : List.of(g.forward(), g.backward())) {
            for (Def d : defs) {
                if (!d.tensor().perSample()) continue;
                long n = Sizes.elements(d.tensor().shape);
                perSample = Sizes.plus(perSample, n);
                largestValue = Math.max(largestValue, n);
            }
        }
        String name = g.name();
        long rows = Math.max(1, batch);
        if (Sizes.times(largestValue, rows) > Sizes.MAX_ARRAY && !backend.equals("interp")) {
            return Optional.of(String.format(Locale.ROOT, "%s cannot run batches of %,d: one value of the network has %,d elements per"
                    + " sample, and a batch of them is more than one array holds (%,d); use a smaller --batch", name, rows, largestValue, Sizes.MAX_ARRAY));
        }
        int states = opt == null ? 0 : opt.states().size();
        long element = backend.equals("interp") || type == DType.F64 ? 8 : 4;
        long elements = switch (backend) {
            // parameters, optimizer state, a gradient sum per thread; each thread's workspace for its slice of the batch
            case "jvm" -> Sizes.plus(Sizes.times(params, 1L + states + threads), Sizes.times(perSample, rows));
            // the same, the interpreter's chunks being 8 samples on each thread
            case "interp" -> Sizes.plus(Sizes.times(params, 2L + states + threads), Sizes.times(perSample, 8L * threads));
            // the GPU holds the network; the host, a copy of a parameter at a time
            default -> 0;
        };
        long bytes = Sizes.plus(Sizes.times(elements, element), Sizes.times(largestParam, 16));
        if (bytes <= available) return Optional.empty();
        String precision = element == 8 ? "f64" : "f32";
        return Optional.of(String.format(Locale.ROOT, "%s needs about %s of memory (%,d parameters in %s, with their gradients%s and"
                        + " %,d samples' values), but Java can give it only %s; give Java more (JAVA_TOOL_OPTIONS=-Xmx…) or make the network smaller",
                name, Sizes.bytes(bytes), params, precision, states == 0 ? "" : " and the optimizer's state", rows, Sizes.bytes(Math.max(0, available))));
    }
}
