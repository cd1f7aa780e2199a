package dev.nnc.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * A network compiled by one backend (the reference interpreter, JVM bytecode, CUDA), with its optimizer:
 * the one interface the training loop, checkpoints and the commands work through, so backends are
 * interchangeable. Values cross it as doubles, row-major; a backend keeps its own precision inside.
 */
public interface Model extends AutoCloseable {
    Signature signature();

    /** The backend's name as {@code --backend} spells it. */
    String backend();

    /** The precision parameters are kept in; checkpoints store them in it, so a resume loses nothing. */
    DType precision();

    /** Draws every parameter from its initializer with this seed, and resets the optimizer. */
    void initialize(long seed);

    /**
     * The first parameter whose initial values depend on the seed, with its initializer ({@code W1 ~ he}); empty when
     * every parameter starts at given values ({@code = 0}, {@code = [0, -1]}), so that the network runs as written
     * without trained weights.
     */
    default Optional<String> drawnParameter() {
        return signature().params().stream().findFirst().map(TensorInfo::name);
    }

    /** A copy of a parameter's values, or of an optimizer state tensor ({@code m} of {@code W1}). */
    double[] parameter(String name);

    void setParameter(String name, double[] values);

    double[] optimizerState(String state, String param);

    void setOptimizerState(String state, String param, double[] values);

    /** Optimizer steps taken so far; the step t the next update sees is this plus one. */
    long steps();

    void setSteps(long steps);

    /** The mean loss over the batch. */
    double loss(Batch batch);

    /** The mean loss over the batch; keeps the gradient of that mean for {@link #step}. */
    double lossAndGradients(Batch batch);

    /** A copy of a parameter's gradient from the last {@link #lossAndGradients}. */
    double[] gradient(String param);

    /** The first element of the last gradient that is not finite ({@code ∂J/∂W1[3,5]}); empty if all are. */
    Optional<String> nonFiniteGradient();

    /**
     * One optimizer step with the gradient of the last {@link #lossAndGradients}; {@code rateScale}
     * multiplies the optimizer's learning rate α (a schedule's factor; 1 without one).
     */
    void step(double rateScale);

    /** The outputs for every sample of the batch, by output name, batch-major. */
    Map<String, double[]> predict(Batch batch);

    /** The mean loss over a labelled batch, and the outputs as {@link #predict} gives them (put into {@code outputs}). */
    default double lossAndPredict(Batch batch, Map<String, double[]> outputs) {
        outputs.putAll(predict(batch));
        return loss(batch);
    }

    /**
     * Where the first value that is not finite arises when this batch is run forward and backward (in the
     * order the network computes its values), in words such as {@code z_h1[17] in sample 3 of the batch}; empty if all
     * are finite.
     */
    Optional<String> firstNonFinite(Batch batch);

    @Override default void close() {}
}
