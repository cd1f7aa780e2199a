package dev.nnc.diag;

import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One located message about a user's program: a key, where, what, and optionally a hint and related places
 * (the other side of a conflict: "i ranges over 3 in x[i] but over 4 in W[j,i]" points at both).
 */
public record Diagnostic(Key key, Span span, String message, String hint, List<Related> related) {
    public Diagnostic {
        Objects.requireNonNull(key);
        Objects.requireNonNull(span);
        Objects.requireNonNull(message);
        related = List.copyOf(related);
    }

    public record Related(Span span, String message) {}

    public Severity severity() { return key.severity(); }

    public int line() { return span.line(); }

    public int column() { return span.column(); }

    public Diagnostic withHint(String newHint) { return new Diagnostic(key, span, message, newHint, related); }

    public Diagnostic withRelated(Span where, String what) {
        var all = new ArrayList<>(related);
        all.add(new Related(where, what));
        return new Diagnostic(key, span, message, hint, all);
    }

    /** {@code file:line:col: error[key]: message}, the first line of the printed form. */
    public String headline() {
        return span.location() + ": " + severity().label() + "[" + key.id() + "]: " + message;
    }
}
