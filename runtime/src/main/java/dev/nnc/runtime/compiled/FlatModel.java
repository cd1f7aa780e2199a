package dev.nnc.runtime.compiled;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NonFinite;
import dev.nnc.runtime.Signature;
import dev.nnc.runtime.TensorInfo;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * What the models of generated code share (the JVM backend's {@link CompiledModel}, the CUDA backend's): a network
 * laid out by its {@link Layout}, all parameters in one flat array, their gradients in another and each optimizer
 * state in one more, wherever those arrays live ({@code A}: a Java array, a device address). Drawing the parameters,
 * reading and writing one by name, naming an element, counting steps and saying where a value is not finite are
 * written here once; a backend says how a stretch of one of its arrays is read and written.
 */
public abstract class FlatModel<A> implements Model {
    protected final Layout layout;
    protected final Signature signature;
    protected final DType type;
    /** Elements of the array of all parameters (and of each array laid out as it). */
    protected final int size;
    protected long steps;
    /** Whether the gradient array holds the gradient of a batch. */
    protected boolean haveGradients;
    private BiFunction<Model, Batch, Optional<String>> diagnosis;

    protected FlatModel(Layout layout) {
        this.layout = layout;
        this.signature = layout.signature();
        this.type = layout.precision();
        this.size = layout.slots().get(layout.parameters()).size();
    }

    /** The array of all parameters. */
    protected abstract A parameters();

    /** The array of the last batch's mean gradient. */
    protected abstract A gradients();

    /** The array of optimizer state {@code s}, in declaration order. */
    protected abstract A state(int s);

    /** Elements {@code offset} … {@code offset + length − 1} of an array. */
    protected abstract double[] read(A array, int offset, int length);

    /** {@code values} into an array from {@code offset} on. */
    protected abstract void write(A array, int offset, double[] values);

    /** Every element of an array laid out as the parameters set to {@code value}. */
    protected abstract void fill(A array, double value);

    /** The first element of the gradient array that is not finite, or −1; called only when there is a gradient. */
    protected abstract int firstNonFiniteGradient();

    /**
     * Replaces the built-in {@link #firstNonFinite} (which names a parameter, an output, the loss or a gradient) with
     * a finer one, e.g. the reference interpreter's, which names the first value of the network that is not finite.
     */
    public FlatModel<A> withDiagnosis(BiFunction<Model, Batch, Optional<String>> d) {
        this.diagnosis = d;
        return this;
    }

    public Layout layout() { return layout; }

    @Override public Signature signature() { return signature; }

    @Override public Optional<String> drawnParameter() { return layout.drawnParameter(); }

    @Override public DType precision() { return type; }

    /** Parameters drawn in signature order from one stream, so that a seed gives the same network on every backend. */
    @Override public void initialize(long seed) {
        var random = new SplittableRandom(seed);
        double[] all = new double[size];
        for (int p = 0; p < signature.params().size(); p++) {
            TensorInfo info = signature.params().get(p);
            double[] v = new double[info.size()];
            layout.params().get(p).init().fill(v, info.shape(), random);
            System.arraycopy(v, 0, all, layout.params().get(p).offset(), v.length);
        }
        write(parameters(), 0, all);
        resetState();
        haveGradients = false;
    }

    /** The optimizer's state tensors: as many arrays laid out as the parameters. */
    protected final int stateCount() { return layout.optimizer() == null ? 0 : layout.optimizer().states().size(); }

    /** Every optimizer state at its initial value, and no step taken. */
    protected final void resetState() {
        for (int s = 0; s < stateCount(); s++) fill(state(s), layout.optimizer().initial().get(s));
        steps = 0;
    }

    /** Parameter {@code name}'s elements of one of the flat arrays. */
    private double[] read(A array, String name) {
        int p = signature.paramIndex(name);
        return read(array, layout.params().get(p).offset(), signature.params().get(p).size());
    }

    private void write(A array, String name, double[] values) {
        int p = signature.paramIndex(name);
        signature.params().get(p).requireSize(values);
        write(array, layout.params().get(p).offset(), values);
    }

    @Override public double[] parameter(String name) { return read(parameters(), name); }

    @Override public void setParameter(String name, double[] values) { write(parameters(), name, values); }

    @Override public double[] optimizerState(String s, String param) { return read(state(signature.stateIndex(s)), param); }

    @Override public void setOptimizerState(String s, String param, double[] values) { write(state(signature.stateIndex(s)), param, values); }

    @Override public long steps() { return steps; }

    @Override public void setSteps(long steps) { this.steps = steps; }

    @Override public double[] gradient(String name) {
        if (!haveGradients) throw new IllegalStateException("no gradient yet: lossAndGradients has not run");
        return read(gradients(), name);
    }

    @Override public Optional<String> nonFiniteGradient() {
        if (!haveGradients) return Optional.empty();
        int k = firstNonFiniteGradient();
        return k < 0 ? Optional.empty() : Optional.of("∂" + signature.loss() + "/∂" + element(k));
    }

    /** Element k of the array of all parameters, as the source names it: {@code W1[3,5]}. */
    private String element(int k) {
        for (int p = signature.params().size() - 1; p >= 0; p--) {
            int offset = layout.params().get(p).offset();
            if (offset <= k) return signature.params().get(p).element(k - offset);
        }
        throw new IllegalStateException("internal: element " + k + " belongs to no parameter");
    }

    /** Refuses a step when the network was compiled without an optimizer. */
    protected final void requireOptimizer() {
        if (layout.optimizer() == null) throw new IllegalStateException("the network was compiled without an optimizer");
    }

    @Override public Optional<String> firstNonFinite(Batch batch) {
        if (diagnosis != null) {
            Optional<String> d = diagnosis.apply(this, batch);
            if (d.isPresent()) return d;
        }
        return NonFinite.find(this, batch);
    }
}
