package dev.nnc.check;

import dev.nnc.diag.Diagnostic;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where a checker's findings go. A function body is checked once on its own, where its own mistakes are
 * reported; checking it again for one call's shapes can only find that the call does not fit, and that
 * belongs at the call: "in this call of cross_entropy: k ranges over 10 in p[k] but over 9 in y[k]".
 */
interface Reporter {
    void report(Diagnostic d);

    default Diagnostic error(Key key, Span span, String message, String hint) {
        var d = new Diagnostic(key, span, message, hint, List.of());
        report(d);
        return d;
    }

    default Diagnostic error(Key key, Span span, String message, String hint, Span other, String otherMessage) {
        var d = new Diagnostic(key, span, message, hint, List.of(new Diagnostic.Related(other, otherMessage)));
        report(d);
        return d;
    }

    static Reporter to(Diagnostics diagnostics) { return diagnostics::report; }

    /** Re-targets shape findings inside an instantiated body to the call site; drops the rest. */
    static Reporter atCall(Reporter outer, Span call, String callee) {
        Set<Key> fit = EnumSet.of(Key.INDEX_RANGE, Key.INDEX_COUNT, Key.INDEX_OUT_OF_RANGE, Key.NOT_INDEXABLE,
                Key.SHAPE_MISMATCH, Key.UNKNOWN_RANGE, Key.NEURON_SHAPE, Key.SUM_BOUNDS, Key.MATRIX_PRODUCT, Key.TRANSPOSE);
        return d -> {
            if (!fit.contains(d.key())) return;
            List<Diagnostic.Related> related = new ArrayList<>();
            related.add(new Diagnostic.Related(d.span(), "in " + callee + " here"));
            related.addAll(d.related());
            outer.report(new Diagnostic(d.key(), call, "in this call of " + callee + ": " + d.message(), d.hint(), related));
        };
    }
}
