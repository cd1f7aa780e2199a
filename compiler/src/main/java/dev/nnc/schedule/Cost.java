package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.IndexVar;
import java.util.List;

/** Operation counts, roughly: how much work a def is, and how big a block would be unrolled. */
final class Cost {
    private Cost() {}

    /** Operations to compute one element: a Σ or max costs its range times its body; a call, its arguments and ten. */
    static long of(Ex e) {
        return switch (e) {
            case Ex.Sum s -> s.i().range() * of(s.body());
            case Ex.Max m -> m.i().range() * of(m.body());
            case Ex.Apply a -> 10 + a.args().stream().mapToLong(Cost::of).sum();
            case Ex.Fused f -> of(f.value());
            default -> {
                long[] c = {1};
                Exprs.mapChildren(e, x -> {
                    c[0] += of(x);
                    return x;
                });
                yield c[0];
            }
        };
    }

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
            for (Stmt s : Schedule.nestBody(item)) if (s instanceof Stmt.Assign a) total += elements * of(a.value());
        }
        return total;
    }
}
