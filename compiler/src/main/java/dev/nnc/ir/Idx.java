package dev.nnc.ir;

/** A subscript in the IR: an index variable or a fixed position (0-based here, 1-based in the source). */
public sealed interface Idx {
    record Var(IndexVar v) implements Idx {}

    record Fixed(int position) implements Idx {}

    static Idx of(IndexVar v) { return new Var(v); }
}
