package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.Objects;

/** A name as the program means it: Greek spellings folded ({@code alpha} is {@code α}); see {@link Names}. */
public record Ident(String name, Span span) {
    public Ident {
        Objects.requireNonNull(name);
        Objects.requireNonNull(span);
    }

    @Override public String toString() { return name; }
}
