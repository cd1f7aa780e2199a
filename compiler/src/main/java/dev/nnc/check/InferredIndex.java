package dev.nnc.check;

import dev.nnc.source.Span;

/**
 * An index variable in scope (from a left side, a vector function's result, or a Σ) and the range
 * inferred for it so far, with the place that fixed the range — so a conflict can name both places.
 */
final class InferredIndex {
    final String name;
    final Span declared;
    Integer range;
    Span rangeSpan;
    String rangeWhat;
    /** Whether it subscripts anything, even something whose size is not known (a generic argument). */
    boolean subscripts;

    InferredIndex(String name, Span declared) {
        this.name = name;
        this.declared = declared;
    }
}
