package dev.nnc.runtime.compiled;

/**
 * What the JVM backend generates for a network: a class extending this one, whose methods run a slice of a
 * mini-batch. Every array a method touches is an element of {@code buf}, at the slot the {@link Layout} gives
 * it: parameters and gradient sums (whole tensors), inputs and targets (the whole batch, sample-major, read at
 * the absolute sample number), and the per-sample workspace (a slice's samples, read at the sample's number
 * within the slice). Arrays are {@code float[]} or {@code double[]}, as the layout's precision says.
 *
 * <p>Methods are independent of each other and keep no state: one instance serves every thread, each with
 * its own {@code buf}.
 */
public abstract class GeneratedNetwork {
    /** The layout, as JSON (see {@link Layout#parse}). */
    public abstract String layout();

    /**
     * Forward and backward for samples {@code from} (inclusive) to {@code to} of the batch: sets the gradient sums
     * (every element but those {@link #rows} sets) to the sum of the samples' gradients and returns the sum of the
     * samples' losses.
     */
    public abstract double train(Object[] buf, int from, int to);

    /**
     * After {@link #train} has run on every slice of a batch: share {@code part} of {@code parts} of the products that
     * sum weights' gradients over the samples (the layout's {@code rows}), for the samples {@code from} to {@code to}
     * of one slice, whose workspace {@code buf} holds — rows {@link #rowFrom}{@code (m, part, parts)} to
     * {@code rowFrom(m, part + 1, parts)} of each, into the gradient sums of {@code buf}, set or added to.
     */
    public abstract void rows(Object[] buf, int from, int to, int part, int parts, boolean accumulate);

    /** The first of a product's {@code m} rows that share {@code part} of {@code parts} computes (the runtime's and the generated code's rule). */
    public static int rowFrom(int m, int part, int parts) { return (int) ((long) m * part / parts); }

    /**
     * The smallest i for which a bounds guard 0 ≤ a·i + rest < size holds (a ≠ 0): where a loop over a solved
     * adjoint's summed variable starts (the compiler's {@code ir.Guards}). It may exceed {@link #highest}: no values.
     */
    public static int lowest(int a, int size, int rest) {
        return a > 0 ? Math.floorDiv(-rest + a - 1, a) : Math.floorDiv(rest - size - a, -a);
    }

    /** The largest i for which 0 ≤ a·i + rest < size holds. */
    public static int highest(int a, int size, int rest) {
        return a > 0 ? Math.floorDiv(size - 1 - rest, a) : Math.floorDiv(rest, -a);
    }

    /**
     * Rows 0 … {@code rows} − 1 of {@code to} from {@code at} on, {@code width} values a row, each set to the {@code width}
     * values of {@code from} at {@code fromAt}: the rows a product adds into (a bias, the generated code's {@code Broadcast}).
     */
    public static void broadcast(Object from, int fromAt, Object to, int at, int rows, int width) {
        for (int r = 0; r < rows; r++) System.arraycopy(from, fromAt, to, at + r * width, width);
    }

    /** Forward for samples {@code from} to {@code to}: the outputs, into their workspace slots; no targets needed. */
    public abstract void predict(Object[] buf, int from, int to);

    /** Forward with the loss for samples {@code from} to {@code to}: the outputs as {@link #predict}, and the loss summed. */
    public abstract double evaluate(Object[] buf, int from, int to);

    /**
     * One optimizer step for elements {@code from} to {@code to} of one parameter: {@code arrays} holds the
     * parameter, its gradient (the batch mean) and the optimizer's state tensors in declaration order.
     *
     * @param t the step, counted from 1
     * @param rate the learning rate for this step (the optimizer's times the schedule's factor)
     */
    public abstract void step(Object[] arrays, int from, int to, double t, double rate);
}
