package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/** {@code batch 16}, {@code data "a.csv"}, {@code optimizer adam(α = 0.01)} in a train block. */
public record Setting(Ident key, List<Value> values, Span span) {
    public Setting { values = List.copyOf(values); }

    public sealed interface Value {
        Span span();
    }

    public record Text(String text, Span span) implements Value {}

    public record Number(Expr expr, Span span) implements Value {}
}
