package dev.nnc.ir;

import dev.nnc.runtime.Sizes;
import dev.nnc.source.Span;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named tensor of a network: an input, a target, a parameter, a value the forward pass computes, an
 * adjoint or a gradient the backward pass computes, or a slot of an optimizer. Identity is the tensor;
 * names are unique within a graph (the verifier checks).
 */
public final class Tensor {
    private static final AtomicInteger IDS = new AtomicInteger();

    public enum Role { INPUT, TARGET, PARAM, VALUE, ADJOINT, GRADIENT, SLOT }

    public final String name;
    public final Role role;
    public final List<Integer> shape;
    /** Where the source defines it, for notes; null for what the compiler made up. */
    public final Span span;
    /** For a pre-activation (the argument of an activation, split off by LOWER): the value it feeds. */
    public final Tensor preActivationOf;
    /** For an adjoint or gradient: the tensor it is the derivative of. */
    public final Tensor adjointOf;
    public final int id = IDS.incrementAndGet();

    public Tensor(String name, Role role, List<Integer> shape, Span span, Tensor preActivationOf, Tensor adjointOf) {
        this.name = name;
        this.role = role;
        this.shape = List.copyOf(shape);
        this.span = span;
        this.preActivationOf = preActivationOf;
        this.adjointOf = adjointOf;
    }

    public Tensor(String name, Role role, List<Integer> shape, Span span) {
        this(name, role, shape, span, null, null);
    }

    public int rank() { return shape.size(); }

    /** The number of elements; the checker admits no tensor larger than an array. */
    public int size() { return Sizes.length(shape); }

    /** Whether the value differs per sample (everything but parameters and optimizer slots). */
    public boolean perSample() { return role != Role.PARAM && role != Role.SLOT && role != Role.GRADIENT; }

    @Override public String toString() { return name; }
}
