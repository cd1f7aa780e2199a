package dev.nnc.schedule;

/** Where generated code keeps a tensor's elements. */
public sealed interface Storage {
    /** The slot of the array the tensor is in, or −1 for registers. */
    int slot();

    /** Where the tensor starts in its array: parameters and gradient sums share one array each. */
    default int offset() { return 0; }

    /**
     * A parameter: all parameters lie in one array shared by all threads, this one from {@code offset} on, so
     * that zeroing gradients and an optimizer step are one pass over one array however many parameters there are.
     */
    record Param(int slot, int offset) implements Storage {}

    /** A thread's sum over its samples of a parameter's gradient: one array for all, laid out as the parameters. */
    record GradientSum(int slot, int offset) implements Storage {}

    /** An input or target: the whole batch's array, sample after sample, read at the absolute sample number. */
    record Column(int slot) implements Storage {}

    /** Per-sample workspace for the slice: sample r (counted within the slice) at r·size. */
    record Work(int slot) implements Storage {}

    /**
     * One sample's values, in an array of each thread's that every sample of its slice reuses: a tensor that one
     * per-sample block both writes and reads, on a CPU (whose thread runs its slice's samples one after another). It
     * stays in the cache, where a slice's worth of it would be written out to memory and read back.
     */
    record Scratch(int slot) implements Storage {}

    /** JVM local variables, one per element: only in unrolled blocks or for scalars, and only within one block. */
    record Registers() implements Storage {
        @Override public int slot() { return -1; }
    }
}
