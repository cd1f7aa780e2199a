package dev.nnc.check;

import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.List;

/** A name in a body's local scope. */
sealed interface Value {
    String name();

    Kind kind();

    Span span();

    /** A value of known shape. */
    record Tensor(String name, Kind kind, Shape shape, Span span) implements Value {}

    /**
     * An argument of a function or neuron checked once for all callers, before any shape is known.
     * Remembers the rank of its first indexed use so a later use with another rank is caught.
     */
    final class Generic implements Value {
        final String name;
        final Kind kind;
        final Span span;
        int rank = -1;
        Span rankSpan;
        boolean used;

        Generic(String name, Kind kind, Span span) {
            this.name = name;
            this.kind = kind;
            this.span = span;
        }

        public String name() { return name; }
        public Kind kind() { return kind; }
        public Span span() { return span; }
    }

    /** A neuron's free name — one of its trainable parameters — whose shape its indices decide. */
    final class Free implements Value {
        final String name;
        final Span span;
        final List<List<InferredIndex>> uses = new ArrayList<>();
        final List<Span> useSpans = new ArrayList<>();

        Free(String name, Span span) {
            this.name = name;
            this.span = span;
        }

        public String name() { return name; }
        public Kind kind() { return Kind.NEURON_PARAM; }
        public Span span() { return span; }
    }
}
