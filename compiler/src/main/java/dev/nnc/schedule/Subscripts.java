package dev.nnc.schedule;

import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import java.util.List;

/** What both schedulers ask of a nest's variables and an assignment's subscripts. */
public final class Subscripts {
    private Subscripts() {}

    /** The subscripts {@code [v0, v1, …]}: each variable of a nest, in order. */
    static List<Idx> of(List<IndexVar> vars) { return vars.stream().map(Idx::of).toList(); }

    /** Elements of a nest over these variables. */
    static long count(List<IndexVar> vars) {
        long n = 1;
        for (IndexVar v : vars) n *= v.range();
        return n;
    }

    /** Whether {@code at} is exactly the nest's variables in order: each element of the nest sets its own. */
    static boolean own(List<IndexVar> vars, List<Idx> at) {
        if (at.size() != vars.size()) return false;
        for (int k = 0; k < vars.size(); k++) if (!(at.get(k) instanceof Idx.Var v) || v.v() != vars.get(k)) return false;
        return true;
    }

    /** The flat element of a subscript list that is all fixed, or null. */
    public static Integer fixedElement(Tensor t, List<Idx> at) {
        return at.stream().allMatch(Idx.Fixed.class::isInstance) ? Offset.fixed(t, at) : null;
    }
}
