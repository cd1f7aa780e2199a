package dev.nnc.schedule;

/** Where generated code keeps a tensor's elements. */
public sealed interface Storage {
    /** A parameter's array (whole tensor), shared by all threads. */
    record Param(int slot) implements Storage {}

    /** A thread's sum over its samples of a parameter's gradient. */
    record GradientSum(int slot) implements Storage {}

    /** An input or target: the whole batch's array, sample after sample, read at the absolute sample number. */
    record Column(int slot) implements Storage {}

    /** Per-sample workspace for the slice: sample r (counted within the slice) at r·size. */
    record Work(int slot) implements Storage {}

    /** JVM local variables, one per element: only in unrolled blocks or for scalars, and only within one block. */
    record Registers() implements Storage {}
}
