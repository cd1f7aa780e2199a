package dev.nnc.schedule;

import dev.nnc.ir.IndexVar;
import java.util.List;

/** How big a block would be unrolled, in operations (each element's from {@link dev.nnc.ir.Cost}). */
final class Cost {
    private Cost() {}

    /** Operations of a group of per-sample items written out: every element of every nest, every Σ expanded. */
    static long unrolled(List<Object> group) {
        long total = 0;
        for (Object item : group) {
            if (!Schedule.isNest(item)) {
                total++;
                continue;
            }
            long elements = 1;
            for (IndexVar v : Schedule.nestVars(item)) elements *= v.range();
            for (Stmt s : Schedule.nestBody(item)) if (s instanceof Stmt.Assign a) total += elements * dev.nnc.ir.Cost.of(a.value());
        }
        return total;
    }
}
