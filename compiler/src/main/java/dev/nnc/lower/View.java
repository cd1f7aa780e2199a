package dev.nnc.lower;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * A lowered expression before it is placed: its shape, and how to get the element at given subscripts.
 * A whole-tensor expression ({@code a - y}, {@code relu(z)}) becomes index notation only when the place
 * that uses it says which element it wants; a scalar is asked at no subscripts.
 */
record View(List<Integer> shape, Function<List<Idx>, Ex> element) {
    View {
        shape = List.copyOf(shape);
    }

    static View scalar(Ex e) { return new View(List.of(), at -> e); }

    static View of(Tensor t) { return new View(t.shape, at -> new Ex.Load(t, at)); }

    boolean isScalar() { return shape.isEmpty(); }

    /** The element at these subscripts; a scalar ignores them (it broadcasts). */
    Ex at(List<Idx> idx) { return element.apply(isScalar() ? List.of() : idx); }
}
