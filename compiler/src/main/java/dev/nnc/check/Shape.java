package dev.nnc.check;

import dev.nnc.runtime.Sizes;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The shape of a value: its sizes, one per index; a scalar has none. */
public record Shape(List<Integer> dims) {
    public static final Shape SCALAR = new Shape(List.of());

    public Shape { dims = List.copyOf(dims); }

    public static Shape of(List<Integer> dims) { return dims.isEmpty() ? SCALAR : new Shape(dims); }

    public int rank() { return dims.size(); }

    public boolean isScalar() { return dims.isEmpty(); }

    /** The number of elements, saturating at {@code Long.MAX_VALUE} (see {@link dev.nnc.runtime.Sizes}). */
    public long size() { return Sizes.elements(dims); }

    /** A [1], [1,1], …: one number in a list, usually meant as a scalar. */
    public boolean isOneElement() { return !isScalar() && size() == 1; }

    /** The kinds of value whose shape is written in a declaration (the place to change a [1] into a number). */
    static final Set<Kind> DECLARED = EnumSet.of(Kind.INPUT, Kind.TARGET, Kind.PARAM, Kind.LAYER);

    /** "a scalar" or "shape [3,4]", for messages. */
    public String describe() { return isScalar() ? "a scalar" : "shape " + this; }

    @Override public String toString() {
        return dims.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
    }
}
