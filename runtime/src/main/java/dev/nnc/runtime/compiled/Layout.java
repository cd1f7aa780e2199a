package dev.nnc.runtime.compiled;

import dev.nnc.runtime.DType;
import dev.nnc.runtime.Initializer;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.checkpoint.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a generated network's arrays are laid out, and what the runtime needs to know of the network: its
 * names and shapes, initializers and optimizer. The compiler writes it as JSON into the generated class
 * ({@link GeneratedNetwork#layout}), so a compiled model needs nothing else to run.
 *
 * @param slots       every array of {@code buf}, by slot number
 * @param inputs      the slot of each input, in signature order; likewise targets and outputs
 * @param params      for each parameter: where it starts in the array of all parameters (and its gradient sum
 *                    in the array of all gradient sums), its initializer
 * @param work        operations per sample, roughly: whether a batch is worth splitting across threads
 * @param rows        the gradient sums {@link GeneratedNetwork#rows} computes, by rows, after the slices have trained
 */
public record Layout(Signature signature, DType precision, List<Slot> slots, List<Integer> inputs, List<Integer> targets,
                     List<Integer> outputs, List<Param> params, Optimizer optimizer, long work, List<Rows> rows) {
    public Layout {
        rows = List.copyOf(rows);
        slots = List.copyOf(slots);
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        outputs = List.copyOf(outputs);
        params = List.copyOf(params);
    }

    /**
     * One array of {@code buf}. {@code size} is the whole array for parameters and gradients, and one
     * sample's elements for the rest: inputs and targets hold the whole batch, workspace a slice of it, scratch one
     * sample (each thread's, reused by every sample of its slice).
     */
    public record Slot(Kind kind, String tensor, int size) {}

    public enum Kind { PARAM, GRADIENT, INPUT, TARGET, WORK, SCRATCH }

    public record Param(int offset, Initializer init) {}

    /** A gradient sum set by {@link GeneratedNetwork#rows}: {@code rows} rows of {@code width} elements from {@code offset} on. */
    public record Rows(int offset, int rows, int width) {}

    /** See {@link dev.nnc.runtime.Model#drawnParameter}. */
    public Optional<String> drawnParameter() {
        for (int p = 0; p < params.size(); p++) {
            var init = params.get(p).init();
            if (!init.deterministic()) return Optional.of(signature.params().get(p).name() + " " + init.spelled());
        }
        return Optional.empty();
    }

    /** The slot of the array of all parameters, and of all gradient sums. */
    public int parameters() { return slotOf(Kind.PARAM); }

    public int gradients() { return slotOf(Kind.GRADIENT); }

    private int slotOf(Kind kind) {
        for (int s = 0; s < slots.size(); s++) if (slots.get(s).kind() == kind) return s;
        throw new IllegalStateException("internal: the layout has no " + kind + " slot");
    }

    /** @param states each state tensor's name and initial value, in declaration order; null for no optimizer */
    public record Optimizer(String description, double rate, List<String> states, List<Double> initial) {
        public Optimizer {
            states = List.copyOf(states);
            initial = List.copyOf(initial);
        }
    }

    public static Layout parse(String json) {
        Map<?, ?> o = (Map<?, ?>) Json.parse(json);
        List<Slot> slots = new ArrayList<>();
        for (Object s : list(o, "slots")) {
            Map<?, ?> m = (Map<?, ?>) s;
            slots.add(new Slot(Kind.valueOf((String) m.get("kind")), (String) m.get("tensor"), integer(m.get("size"))));
        }
        List<Param> params = new ArrayList<>();
        List<TensorInfo> paramInfos = new ArrayList<>();
        for (Object p : list(o, "params")) {
            Map<?, ?> m = (Map<?, ?>) p;
            paramInfos.add(info(m));
            Map<?, ?> init = (Map<?, ?>) m.get("init");
            params.add(new Param(integer(m.get("offset")), new Initializer((String) init.get("kind"), numbers(init.get("args")))));
        }
        Optimizer optimizer = null;
        List<String> stateNames = List.of();
        if (o.get("optimizer") instanceof Map<?, ?> m) {
            stateNames = ((List<?>) m.get("states")).stream().map(String.class::cast).toList();
            optimizer = new Optimizer((String) m.get("description"), number(m.get("rate")), stateNames, numbers(m.get("initial")));
        }
        List<Rows> rows = new ArrayList<>();
        if (o.get("rows") instanceof List<?> rs) {
            for (Object r : rs) {
                Map<?, ?> m = (Map<?, ?>) r;
                rows.add(new Rows(integer(m.get("offset")), integer(m.get("rows")), integer(m.get("width"))));
            }
        }
        var signature = new Signature((String) o.get("network"), infos(o, "inputs"), infos(o, "targets"), paramInfos,
                infos(o, "outputs"), (String) o.get("loss"), stateNames);
        return new Layout(signature, DType.valueOf((String) o.get("precision")), slots, slotsOf(o, "inputs"),
                slotsOf(o, "targets"), slotsOf(o, "outputs"), params, optimizer, ((Number) o.get("work")).longValue(), rows);
    }

    private static List<?> list(Map<?, ?> o, String key) { return (List<?>) o.get(key); }

    private static int integer(Object v) { return ((Number) v).intValue(); }

    private static double number(Object v) { return ((Number) v).doubleValue(); }

    private static List<Double> numbers(Object v) { return ((List<?>) v).stream().map(x -> number(x)).toList(); }

    private static TensorInfo info(Map<?, ?> m) {
        return new TensorInfo((String) m.get("name"), ((List<?>) m.get("shape")).stream().map(x -> integer(x)).toList());
    }

    private static List<TensorInfo> infos(Map<?, ?> o, String key) { return list(o, key).stream().map(m -> info((Map<?, ?>) m)).toList(); }

    private static List<Integer> slotsOf(Map<?, ?> o, String key) {
        return list(o, key).stream().map(m -> integer(((Map<?, ?>) m).get("slot"))).toList();
    }
}
