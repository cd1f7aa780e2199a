package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/**
 * How a parameter starts: drawn ({@code ~ normal(0, 0.5)}, {@code ~ he}), one value in every element
 * ({@code = 0}), or every element given ({@code = [0, -1]}, {@code = [[1, 2], [3, 4]]}).
 */
public sealed interface Init {
    Span span();

    record Random(Ident distribution, List<Arg> args, Span span) implements Init {
        public Random { args = List.copyOf(args); }
    }

    record Value(Expr value, Span span) implements Init {}

    /** {@code = [0, -1]}: the elements row-major, a nested list per dimension. */
    record Values(Array array, Span span) implements Init {}

    /** An element of an array literal: a constant expression, or a nested list (a row of a matrix). */
    sealed interface Element {
        Span span();
    }

    record Scalar(Expr value) implements Element {
        public Span span() { return value.span(); }
    }

    record Array(List<Element> elements, Span span) implements Element {
        public Array { elements = List.copyOf(elements); }
    }
}
