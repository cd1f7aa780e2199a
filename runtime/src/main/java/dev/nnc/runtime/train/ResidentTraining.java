package dev.nnc.runtime.train;

import dev.nnc.runtime.Batch;
import java.util.function.BooleanSupplier;

/**
 * A model that keeps the training data where it computes — in its own precision and layout, in a GPU's memory or the
 * JVM's — and runs many optimizer steps without coming back to the caller in between. The {@link Trainer} uses it when a
 * model offers it; what it computes is what calling {@link dev.nnc.runtime.Model#lossAndGradients} and
 * {@link dev.nnc.runtime.Model#step} batch by batch computes, to the bit on the JVM, to rounding on a GPU.
 */
public interface ResidentTraining {
    /**
     * While the training data is still being read: runs of training steps of {@code size} samples on data and
     * parameters of the warm-up's own, so that a JIT compiles what the runs will execute before the first epoch
     * rather than during it. Changes nothing of this model; returns once {@code enough} says so, or sooner. A model
     * with nothing to warm up does nothing.
     */
    default void warmUp(int size, BooleanSupplier enough) {}

    /** Keeps these rows where the model computes; the runs that follow read their batches from them. */
    void keep(Batch data, Metrics.Task task);

    /**
     * Trains on batches {@code first} … {@code last − 1} of an epoch: batch b is the kept rows {@code order[b·size]}
     * … {@code order[min((b + 1)·size, order.length) − 1]}, and one optimizer step follows it at the learning rate's
     * {@code factors[b − first]}. A batch whose loss or a gradient is not finite stops the run before its step, so the
     * parameters are those before it.
     *
     * @return each batch's summed (not mean) loss, in order: {@code last − first} of them, or fewer when the run
     *         stopped, the last being the batch that stopped it
     */
    Run run(int[] order, int size, int first, int last, double[] factors);

    /**
     * @param right   per batch of {@code losses}, how many of its samples the model classified right (as
     *                {@link Metrics#right} counts, with the task {@link #keep} was given) before the batch's step;
     *                null from a model that does not count them, whose training data the trainer then evaluates again
     * @param stopped whether the last batch of {@code losses} stopped the run
     */
    record Run(double[] losses, int[] right, boolean stopped) {}
}
