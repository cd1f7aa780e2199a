package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/** How a parameter starts: drawn ({@code ~ normal(0, 0.5)}, {@code ~ he}) or given ({@code = 0}). */
public sealed interface Init {
    Span span();

    record Random(Ident distribution, List<Arg> args, Span span) implements Init {
        public Random { args = List.copyOf(args); }
    }

    record Value(Expr value, Span span) implements Init {}
}
