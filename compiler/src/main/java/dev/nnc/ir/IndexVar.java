package dev.nnc.ir;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An index variable of the IR: it runs over 1 … range. Identity matters, not the name, which is only for
 * printing (two different variables may both be called i). The range is fixed once, when lowering first
 * sees the variable subscript a tensor of known shape.
 */
public final class IndexVar {
    private static final AtomicInteger IDS = new AtomicInteger();

    public final String name;
    public final int id = IDS.incrementAndGet();
    private int range;

    public IndexVar(String name) { this.name = name; }

    public IndexVar(String name, int range) {
        this(name);
        bind(range);
    }

    public int range() { return range; }

    public boolean bound() { return range > 0; }

    /** Fixes the range; the checker has made sure every use agrees. */
    public void bind(int range) {
        if (range < 1) throw new IllegalStateException("internal: index range " + range);
        if (this.range != 0 && this.range != range) {
            throw new IllegalStateException("internal: " + name + " ranges over " + this.range + " and " + range);
        }
        this.range = range;
    }

    /** A new variable with the same name and range, for a copy of a binder. */
    public IndexVar fresh() { return bound() ? new IndexVar(name, range) : new IndexVar(name); }

    @Override public String toString() { return name + "#" + id; }
}
