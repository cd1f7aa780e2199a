package dev.nnc.resolve;

import java.util.Map;

/** The primitives every other function is written in. Their derivatives are the compiler's business. */
public final class Builtins {
    private Builtins() {}

    public static final Map<String, Symbol.Builtin> FUNCTIONS = Map.of(
            "exp", new Symbol.Builtin("exp", 1),
            "log", new Symbol.Builtin("log", 1),
            "sqrt", new Symbol.Builtin("sqrt", 1),
            "abs", new Symbol.Builtin("abs", 1),
            "max", new Symbol.Builtin("max", 2),
            "min", new Symbol.Builtin("min", 2));

    /** Named constants usable anywhere a number is. */
    public static final Map<String, Double> CONSTANTS = Map.of("π", Math.PI);
}
