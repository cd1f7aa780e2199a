package dev.nnc.resolve;

import dev.nnc.ast.Decl;
import dev.nnc.runtime.Primitive;
import dev.nnc.source.Span;

/** What a top-level name stands for. */
public sealed interface Symbol {
    String name();

    /** Where it is declared; builtins have none. */
    Span span();

    /** The symbol that stands behind an alias chain. */
    default Symbol target() { return this; }

    record Fn(Decl.Fn decl) implements Symbol {
        public String name() { return decl.name().name(); }
        public Span span() { return decl.name().span(); }
    }

    record Neuron(Decl.Neuron decl) implements Symbol {
        public String name() { return decl.name().name(); }
        public Span span() { return decl.name().span(); }
    }

    record Optimizer(Decl.Optimizer decl) implements Symbol {
        public String name() { return decl.name().name(); }
        public Span span() { return decl.name().span(); }
    }

    record Network(Decl.Network decl) implements Symbol {
        public String name() { return decl.name().name(); }
        public Span span() { return decl.name().span(); }
    }

    /** {@code alias sigmoid = σ}; {@code resolved} is null until the resolver has followed it. */
    record Alias(Decl.Alias decl, Symbol[] resolved) implements Symbol {
        public String name() { return decl.name().name(); }
        public Span span() { return decl.name().span(); }
        @Override public Symbol target() { return resolved[0] == null ? this : resolved[0]; }
    }

    /** A primitive with a fixed number of arguments, applied element-wise. */
    record Builtin(Primitive primitive) implements Symbol {
        public String name() { return primitive.spelling; }
        public int arity() { return primitive.arity; }
        public Span span() { return null; }
    }

    /**
     * {@code pad(x, n₁, …)}: x with n zeros on both sides of each of its last dimensions, a tensor of its own. Built
     * in because no .nn body can say it: it reads outside x, where it gives 0.
     */
    record Pad() implements Symbol {
        public String name() { return "pad"; }
        public Span span() { return null; }
    }

    default String kind() {
        return switch (this) {
            case Fn f -> "function";
            case Neuron n -> "neuron";
            case Optimizer o -> "optimizer";
            case Network n -> "network";
            case Alias a -> "alias";
            case Builtin b -> "built-in function";
            case Pad p -> "built-in function";
        };
    }
}
