package dev.nnc.interp;

import dev.nnc.ir.Graph;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/** The reference interpreter behind the runtime's {@link Model} interface: double precision, the optimizer run from its IR. */
public final class InterpreterModel implements Model {
    /**
     * A finer {@code firstNonFinite} for another backend's model: the interpreter, given that model's parameters,
     * names the first value of the network that is not finite.
     */
    public static BiFunction<Model, Batch, Optional<String>> diagnosis(
            Graph g, OptimizerIr o) {
        return (m, batch) -> {
            var reference = new InterpreterModel(g, o);
            for (var p : m.signature().params()) reference.setParameter(p.name(), m.parameter(p.name()));
            return reference.firstNonFinite(batch);
        };
    }

    private final Interpreter interpreter;
    private final OptimizerRun optimizer;
    private final Signature signature;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<Tensor, double[]> live = new LinkedHashMap<>();
    private final Map<Tensor, double[]> gradients = new HashMap<>();

    public InterpreterModel(Graph graph, OptimizerIr optimizer) {
        this.interpreter = new Interpreter(graph);
        this.optimizer = new OptimizerRun(optimizer);
        for (Tensor p : graph.params()) {
            params.put(p.name, p);
            live.put(p, interpreter.values(p));
        }
        this.signature = signature(graph, optimizer);
    }

    /** The names and shapes of a graph, as the runtime sees them. */
    public static Signature signature(Graph g, OptimizerIr optimizer) {
        return new Signature(g.name(), infos(g.inputs()), infos(g.targets()), infos(g.params()), infos(g.outputs()), g.loss().name,
                optimizer == null ? List.of() : optimizer.states().stream().map(t -> t.name).toList());
    }

    private static List<TensorInfo> infos(List<Tensor> ts) { return ts.stream().map(t -> new TensorInfo(t.name, t.shape)).toList(); }

    public Interpreter interpreter() { return interpreter; }

    @Override public Signature signature() { return signature; }

    @Override public String backend() { return "interp"; }

    @Override public Optional<String> drawnParameter() {
        for (var e : interpreter.graph().inits().entrySet()) {
            var init = e.getValue().runtime();
            if (!init.deterministic()) return Optional.of(e.getKey().name + " " + init.spelled());
        }
        return Optional.empty();
    }

    @Override public DType precision() { return DType.F64; }

    @Override public void initialize(long seed) {
        interpreter.initialize(seed);
        optimizer.reset();
    }

    private Tensor param(String name) {
        Tensor p = params.get(name);
        if (p == null) throw new IllegalArgumentException("the network has no parameter " + name);
        return p;
    }

    @Override public double[] parameter(String name) { return live.get(param(name)).clone(); }

    @Override public void setParameter(String name, double[] values) { copy(name, values, live.get(param(name))); }

    @Override public double[] optimizerState(String state, String param) {
        return optimizer.state(param(param))[signature.stateIndex(state)].clone();
    }

    @Override public void setOptimizerState(String state, String param, double[] values) {
        copy(param, values, optimizer.state(param(param))[signature.stateIndex(state)]);
    }

    /** Parameter {@code name}'s new elements (or one of its optimizer states') into {@code dest}, its array. */
    private void copy(String name, double[] values, double[] dest) {
        signature.params().get(signature.paramIndex(name)).requireSize(values);
        System.arraycopy(values, 0, dest, 0, dest.length);
    }

    @Override public long steps() { return optimizer.step(); }

    @Override public void setSteps(long steps) { optimizer.setStep(steps); }

    @Override public double loss(Batch batch) { return interpreter.loss(batch); }

    @Override public double lossAndGradients(Batch batch) { return interpreter.lossAndGradients(batch, gradients); }

    @Override public double[] gradient(String param) {
        double[] g = gradients.get(param(param));
        if (g == null) throw new IllegalStateException("no gradient yet: lossAndGradients has not run");
        return g.clone();
    }

    @Override public Optional<String> nonFiniteGradient() { return interpreter.nonFiniteGradient(gradients); }

    @Override public void step(double rateScale) { optimizer.apply(live, gradients, rateScale); }

    @Override public Map<String, double[]> predict(Batch batch) { return interpreter.predictAll(batch); }

    @Override public double lossAndPredict(Batch batch, Map<String, double[]> outputs) { return interpreter.lossAndOutputs(batch, outputs); }

    @Override public Optional<String> firstNonFinite(Batch batch) { return interpreter.firstNonFinite(batch); }
}
