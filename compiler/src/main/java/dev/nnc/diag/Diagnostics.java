package dev.nnc.diag;

import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects diagnostics from every stage: user mistakes are reported here, never thrown, so one run shows
 * many. The same key at the same place is reported once.
 */
public final class Diagnostics {
    private final List<Diagnostic> all = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    public Diagnostic report(Diagnostic d) {
        // One report per kind and place: recovery may otherwise describe the same mistake twice.
        String where = d.key() + "@" + d.span().file().name() + ":" + d.span().start();
        if (seen.add(d.key() == Key.SYNTAX ? where : where + ":" + d.message())) all.add(d);
        return d;
    }

    public Diagnostic error(Key key, Span span, String message) {
        return report(new Diagnostic(key, span, message, null, List.of()));
    }

    public Diagnostic error(Key key, Span span, String message, String hint) {
        return report(new Diagnostic(key, span, message, hint, List.of()));
    }

    public Diagnostic error(Key key, Span span, String message, String hint, Span otherPlace, String otherMessage) {
        return report(new Diagnostic(key, span, message, hint, List.of(new Diagnostic.Related(otherPlace, otherMessage))));
    }

    public boolean hasErrors() { return all.stream().anyMatch(d -> d.severity() == Severity.ERROR); }

    public long count(Severity severity) { return all.stream().filter(d -> d.severity() == severity).count(); }

    /** All diagnostics in file and position order. */
    public List<Diagnostic> sorted() {
        var copy = new ArrayList<>(all);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name())
                .thenComparingInt(d -> d.span().start())
                .thenComparing(d -> d.key().id()));
        return copy;
    }

    public int size() { return all.size(); }
}
