package dev.nnc.check;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The values a body can name, and which of them it used. */
final class Locals {
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();
    /** Only optimizers see ∂J/∂θ. */
    final boolean derivatives;
    /** In a neuron, an otherwise unknown name is one of its parameters: this makes it. */
    final Function<String, Value.Free> freeNames;

    Locals(boolean derivatives, Function<String, Value.Free> freeNames) {
        this.derivatives = derivatives;
        this.freeNames = freeNames;
    }

    static Locals plain() { return new Locals(false, null); }

    void put(Value v) { values.put(v.name(), v); }

    Value get(String name) { return values.get(name); }

    boolean has(String name) { return values.containsKey(name); }

    void markUsed(String name) { used.add(name); }

    boolean isUsed(String name) { return used.contains(name); }

    Collection<String> names() { return values.keySet(); }

    Collection<Value> values() { return values.values(); }
}
