package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/** The statements of an optimizer block. */
public sealed interface OptimizerStatement {
    Span span();

    /** {@code state m = 0, v = 0} */
    record State(List<StateVar> vars, Span span) implements OptimizerStatement {
        public State { vars = List.copyOf(vars); }
    }

    /** {@code v ← β v + ∂J/∂θ} */
    record Update(Ident target, Expr value, Span span) implements OptimizerStatement {}

    record StateVar(Ident name, Expr initial) {}
}
