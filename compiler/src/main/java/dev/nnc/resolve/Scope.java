package dev.nnc.resolve;

import dev.nnc.ast.Decl;
import dev.nnc.ast.Program;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The top-level names one compilation sees: builtins, then the standard library (the prelude), then the
 * user's files — the main file and everything it imports. A user's definition may shadow the prelude's.
 */
public final class Scope {
    private final Map<String, Symbol> prelude;
    private final Map<String, Symbol> user;
    private final List<Program> userPrograms;
    private final List<Program> preludePrograms;

    Scope(Map<String, Symbol> prelude, Map<String, Symbol> user, List<Program> preludePrograms, List<Program> userPrograms) {
        this.prelude = prelude;
        this.user = user;
        this.preludePrograms = List.copyOf(preludePrograms);
        this.userPrograms = List.copyOf(userPrograms);
    }

    /** The symbol a name stands for, aliases not followed; null if none. */
    public Symbol lookup(String name) {
        Symbol s = user.get(name);
        if (s == null) s = prelude.get(name);
        if (s == null) s = Builtins.function(name);
        return s;
    }

    /** Every name in scope, for "did you mean" hints. */
    public Collection<String> names() {
        var all = new ArrayList<String>(Builtins.FUNCTIONS.keySet());
        all.add(Builtins.PAD.name());
        all.addAll(prelude.keySet());
        all.addAll(user.keySet());
        return all;
    }

    /** The user's files, main file last. */
    public List<Program> userPrograms() { return userPrograms; }

    public List<Program> preludePrograms() { return preludePrograms; }

    public Collection<Symbol> userSymbols() { return user.values(); }

    public Collection<Symbol> preludeSymbols() { return prelude.values(); }

    public boolean isPrelude(Symbol s) { return prelude.get(s.name()) == s; }

    static Map<String, Symbol> newTable() { return new LinkedHashMap<>(); }

    static Symbol symbolOf(Decl d) {
        return switch (d) {
            case Decl.Fn f -> new Symbol.Fn(f);
            case Decl.Neuron n -> new Symbol.Neuron(n);
            case Decl.Optimizer o -> new Symbol.Optimizer(o);
            case Decl.Network n -> new Symbol.Network(n);
            case Decl.Alias a -> new Symbol.Alias(a, new Symbol[1]);
            case Decl.Import i -> null;
            case Decl.Train t -> null;
        };
    }
}
