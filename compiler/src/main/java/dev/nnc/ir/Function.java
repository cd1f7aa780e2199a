package dev.nnc.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * A scalar library or user function kept whole until EXPAND: body and stated derivatives written over
 * {@link Ex.Arg}s. Functions are created while lowering (a stated derivative may call its own function),
 * so body and derivatives are set once, right after construction.
 */
public final class Function {
    public final String name;
    public final int arity;
    /** From the standard library: the stability rewrites recognise only the library's own σ, bce, … */
    public final boolean library;
    private Ex body;
    private final Map<Integer, Ex> stated = new HashMap<>();

    public Function(String name, int arity, boolean library) {
        this.name = name;
        this.arity = arity;
        this.library = library;
    }

    public Ex body() { return body; }

    public void define(Ex body) {
        if (this.body != null) throw new IllegalStateException("internal: " + name + " defined twice");
        this.body = body;
    }

    public void state(int arg, Ex derivative) { stated.put(arg, derivative); }

    /** The stated ∂f/∂arg, or null where the function states none. */
    public Ex stated(int arg) { return stated.get(arg); }

    /** Whether every argument's derivative is stated, so the function can stay one operation. */
    public boolean fullyStated() { return stated.size() == arity; }

    public boolean isLibrary(String n) { return library && name.equals(n); }

    @Override public String toString() { return name; }
}
