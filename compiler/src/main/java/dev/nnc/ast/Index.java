package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/**
 * A subscript: an index variable ({@code i}), a constant position ({@code 1}, 1-based), or an affine
 * combination of index variables with integer coefficients ({@code i+p−1}, {@code 2i+p−2}). The parser keeps
 * the simplest form: {@code x[i+0]} is a {@link Var}, {@code x[3−1]} a {@link Const}.
 */
public sealed interface Index {
    Span span();

    record Var(Ident name) implements Index {
        public Span span() { return name.span(); }
    }

    record Const(int value, Span span) implements Index {}

    /**
     * {@code Σ coefficient·name + constant}, 1-based, with at least one term and not a bare variable; the terms in
     * the order first written, each name once, none with coefficient 0.
     */
    record Affine(List<Term> terms, int constant, Span span) implements Index {
        public Affine { terms = List.copyOf(terms); }
    }

    record Term(int coefficient, Ident name) {}

    /**
     * A subscript that is not affine ({@code x[i·j]}), already reported: it keeps its names, so they count as used
     * and nothing more is said about it.
     */
    record Broken(List<Ident> names, Span span) implements Index {
        public Broken { names = List.copyOf(names); }
    }
}
