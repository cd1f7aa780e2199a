package dev.nnc.lower;

import dev.nnc.ir.Function;
import dev.nnc.resolve.Scope;
import dev.nnc.resolve.Symbol;

/** The standard library's scalar functions as IR functions, for the rewrites that introduce them. */
public final class Library {
    private final Scope scope;
    private final ExprLowering lowering;

    Library(Scope scope, ExprLowering lowering) {
        this.scope = scope;
        this.lowering = lowering;
    }

    /** The library's own function of that name (never a user's function that shadows it). */
    public Function get(String name) {
        for (Symbol s : scope.preludeSymbols()) {
            if (s.name().equals(name) && s.target() instanceof Symbol.Fn f) return lowering.function(f.decl());
        }
        throw new IllegalStateException("internal: the standard library has no function " + name);
    }
}
