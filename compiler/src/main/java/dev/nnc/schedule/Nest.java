package dev.nnc.schedule;

import dev.nnc.ir.IndexVar;
import java.util.List;

/** Loops over {@code vars} (none for a scalar, or for adding the loss) around these statements: one sample's. */
record Nest(List<IndexVar> vars, List<Stmt> body) implements Item {
    Nest {
        vars = List.copyOf(vars);
        body = List.copyOf(body);
    }

    /** How many times the body runs. */
    long elements() { return Subscripts.count(vars); }
}
