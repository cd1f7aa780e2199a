package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Ident;
import dev.nnc.ast.OptimizerStatement;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.resolve.Symbol;
import dev.nnc.source.Span;
import java.util.List;

/** What a name written in a program stands for, as hover and go-to-definition need it. */
sealed interface Meaning {
    /** A value of a network: an input, a parameter, an equation, a layer, the loss. */
    record Value(CheckedNetwork network, CheckedNetwork.NetworkValue value) implements Meaning {}

    /** A top-level name: a function, neuron, optimizer, network or alias (the standard library's or the user's), or a builtin. */
    record Top(Symbol symbol, boolean stdlib) implements Meaning {}

    /** A parameter of a function, neuron or optimizer, or an optimizer's state. */
    record Local(Decl owner, Ident declared) implements Meaning {}

    /** An index variable, where it is written. */
    record Index(String name, Span span) implements Meaning {}

    /** What a name written in the analysed document means, or null (there is no name there, or it means nothing). */
    static Meaning of(Analysis a, Occurrences.Occurrence o) {
        if (o == null) return null;
        String name = o.ident().name();
        if (o.decl() instanceof Decl.Network net) {
            CheckedNetwork n = a.network(net);
            if (n != null) {
                var v = n.values().get(name);
                if (v != null) return new Value(n, v);
            }
        }
        if (o.role() == Occurrences.Role.INDEX) return new Index(name, o.ident().span());
        Ident local = local(o.decl(), name);
        if (local != null) return new Local(o.decl(), local);
        var scope = a.result.checked().scope();
        Symbol s = scope.lookup(name);
        return s == null ? null : new Top(s, scope.isPrelude(s));
    }

    private static Ident local(Decl d, String name) {
        var params = switch (d) {
            case Decl.Fn f -> f.params();
            case Decl.Neuron n -> n.params();
            case Decl.Optimizer o -> {
                for (var st : o.body()) {
                    if (st instanceof OptimizerStatement.State state) {
                        for (var v : state.vars()) if (v.name().name().equals(name)) yield List.of(new Decl.Param(v.name(), null));
                    }
                }
                yield o.hyperparameters();
            }
            default -> List.<Decl.Param>of();
        };
        for (Decl.Param p : params) if (p.name().name().equals(name)) return p.name();
        return null;
    }
}
