package dev.nnc.interp;

import dev.nnc.runtime.Batch;
import dev.nnc.check.ParamInit;
import dev.nnc.ir.Def;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The reference interpreter: runs a graph in double precision, one sample at a time, exactly as the IR
 * says — the oracle every backend is tested against. The mean loss of a batch and its gradient with
 * respect to every parameter come from the derived backward defs; nothing here knows a derivative.
 */
public final class Interpreter {
    private final Graph graph;
    private final Machine machine = new Machine();
    private final List<Runnable> forward = new ArrayList<>();
    private final List<Runnable> backward = new ArrayList<>();

    public Interpreter(Graph graph) {
        this.graph = graph;
        for (Def d : graph.forward()) forward.add(machine.def(d));
        for (Def d : graph.backward()) backward.add(machine.def(d));
    }

    public Graph graph() { return graph; }

    /** The live values of a parameter (or any tensor after a run), row-major; writes change the model. */
    public double[] values(String tensor) {
        for (Tensor t : graph.params()) if (t.name.equals(tensor)) return machine.storage(t);
        for (Def d : graph.defs()) if (d.tensor().name.equals(tensor)) return machine.storage(d.tensor());
        for (Tensor t : graph.inputs()) if (t.name.equals(tensor)) return machine.storage(t);
        throw new IllegalArgumentException("no tensor named " + tensor);
    }

    public double[] values(Tensor t) { return machine.storage(t); }

    /** Draws every parameter from its initializer (he, xavier, normal, …) with this seed. */
    public void initialize(long seed) {
        var random = new SplittableRandom(seed);
        for (Tensor p : graph.params()) Init.fill(machine.storage(p), p, graph.inits().get(p), random);
    }

    /** The mean loss over the batch. */
    public double loss(Batch batch) { return run(batch, null); }

    /** The mean loss over the batch; fills {@code gradients} (by parameter) with the gradient of that mean. */
    public double lossAndGradients(Batch batch, Map<Tensor, double[]> gradients) {
        for (Tensor p : graph.params()) gradients.computeIfAbsent(p, t -> new double[t.size()]);
        return run(batch, gradients);
    }

    /** The outputs for one sample of the batch, by name. */
    public Map<String, double[]> predict(Batch batch, int sample) {
        load(batch, sample);
        for (Runnable r : forward) r.run();
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Tensor o : graph.outputs()) out.put(o.name, machine.storage(o).clone());
        return out;
    }

    private double run(Batch batch, Map<Tensor, double[]> gradients) {
        if (gradients != null) for (double[] g : gradients.values()) java.util.Arrays.fill(g, 0);
        double sum = 0;
        double[] loss = machine.storage(graph.loss());
        for (int s = 0; s < batch.size(); s++) {
            load(batch, s);
            for (Runnable r : forward) r.run();
            sum += loss[0];
            if (gradients == null) continue;
            for (Runnable r : backward) r.run();
            for (var e : graph.gradients().entrySet()) {
                double[] acc = gradients.get(e.getKey());
                double[] g = machine.storage(e.getValue());
                for (int k = 0; k < acc.length; k++) acc[k] += g[k];
            }
        }
        double n = batch.size();
        if (gradients != null) for (double[] g : gradients.values()) for (int k = 0; k < g.length; k++) g[k] /= n;
        return sum / n;
    }

    private void load(Batch batch, int sample) {
        for (List<Tensor> ts : List.of(graph.inputs(), graph.targets())) {
            for (Tensor t : ts) {
                double[] column = batch.columns().get(t.name);
                if (column == null) continue; // a prediction needs no targets
                double[] dest = machine.storage(t);
                System.arraycopy(column, sample * dest.length, dest, 0, dest.length);
            }
        }
    }

    /** Parameter initialisation, as docs/language.md §7.2 describes it. */
    static final class Init {
        private Init() {}

        static void fill(double[] a, Tensor p, ParamInit init, SplittableRandom random) {
            int fanOut = p.rank() >= 2 ? p.shape.get(0) : 1;
            int fanIn = p.rank() >= 2 ? p.size() / fanOut : Math.max(1, p.size());
            switch (init) {
                case ParamInit.Constant c -> java.util.Arrays.fill(a, c.value());
                case ParamInit.Random r -> {
                    for (int k = 0; k < a.length; k++) {
                        a[k] = switch (r.distribution()) {
                            case "normal" -> r.args().get(0) + r.args().get(1) * gaussian(random);
                            case "uniform" -> r.args().get(0) + (r.args().get(1) - r.args().get(0)) * random.nextDouble();
                            case "he" -> Math.sqrt(2.0 / fanIn) * gaussian(random);
                            case "xavier" -> Math.sqrt(6.0 / (fanIn + fanOut)) * (2 * random.nextDouble() - 1);
                            case "zeros" -> 0;
                            case "ones" -> 1;
                            default -> throw new IllegalStateException("internal: initializer " + r.distribution());
                        };
                    }
                }
            }
        }

        /** Box–Muller, so the values depend on the seed alone, not on the JDK's nextGaussian. */
        static double gaussian(SplittableRandom random) {
            double u = 1 - random.nextDouble(), v = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
        }
    }
}
