package dev.nnc.ast;

import dev.nnc.source.Span;

/** A subscript: an index variable ({@code i}) or a constant position ({@code 1}, 1-based). */
public sealed interface Index {
    Span span();

    record Var(Ident name) implements Index {
        public Span span() { return name.span(); }
    }

    record Const(int value, Span span) implements Index {}
}
