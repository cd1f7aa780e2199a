package dev.nnc.gen.jvm;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.Schedule;
import dev.nnc.schedule.Stmt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The values a statement loop computes the same in every pass: each largest subexpression of its body that uses none
 * of the loop's index variables (its own and its inner loops') and reads no tensor the loop writes. The generator
 * computes them once, before the loop. C2 would hoist them itself only where it can tell that no store of the loop
 * reaches the loads' array, and a block's tensors share one array (scratch, workspace): a pool's adjoint over its
 * window's four elements had loaded the window's gradient, ReLU and argmax again for each. The IR knows which tensor a
 * statement writes, so the generator can tell. The same operations on the same values: the same bits.
 *
 * <p>Only what every pass evaluates is hoisted (computed before a loop, a value is computed even where the loop would
 * have skipped it): not the sides of a select whose condition is a guard, whose reads are safe only where it holds,
 * nor the bodies of Σ, max and argmax, which a guard may narrow to nothing.
 */
final class Invariants {
    private Invariants() {}

    static List<Ex> of(Stmt.Loop loop) {
        Set<IndexVar> vars = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Tensor> written = Schedule.written(List.of(loop));
        Set<Ex> out = new LinkedHashSet<>();
        loops(loop, vars);
        values(loop, v -> collect(v, vars, written, out));
        return new ArrayList<>(out);
    }

    /** The variables of the loop and of the loops in it. */
    private static void loops(Stmt s, Set<IndexVar> vars) {
        if (s instanceof Stmt.Loop l) {
            vars.add(l.v());
            l.body().forEach(b -> loops(b, vars));
        }
    }

    private static void values(Stmt s, java.util.function.Consumer<Ex> f) {
        switch (s) {
            case Stmt.Loop l -> l.body().forEach(b -> values(b, f));
            case Stmt.Assign a -> f.accept(a.value());
            case Stmt.Product p -> { }
            case Stmt.AddLoss l -> { }
        }
    }

    private static void collect(Ex e, Set<IndexVar> vars, Set<Tensor> written, Set<Ex> out) {
        if (e instanceof Ex.Num || e instanceof Ex.Arg) return;
        if (invariant(e, vars, written)) {
            out.add(e);
            return;
        }
        switch (e) {
            case Ex.Sum s -> { }
            case Ex.Max m -> { }
            case Ex.ArgMax m -> { }
            case Ex.Annotated w -> collect(w.value(), vars, written, out);
            case Ex.Apply a -> a.args().forEach(x -> collect(x, vars, written, out));
            case Ex.Select s -> {
                collect(s.cond(), vars, written, out);
                if (!guarded(s.cond())) {
                    collect(s.then(), vars, written, out);
                    collect(s.otherwise(), vars, written, out);
                }
            }
            default -> Exprs.mapChildren(e, c -> {
                collect(c, vars, written, out);
                return c;
            });
        }
    }

    private static boolean invariant(Ex e, Set<IndexVar> vars, Set<Tensor> written) {
        boolean[] arg = {false};
        Exprs.visit(e, x -> arg[0] |= x instanceof Ex.Arg);
        if (arg[0]) return false;
        for (IndexVar v : Exprs.freeVars(e)) if (vars.contains(v)) return false;
        for (Tensor t : Exprs.reads(e)) if (written.contains(t)) return false;
        return true;
    }

    /** Whether a select on this condition is a guard: its sides may read only where it holds. */
    private static boolean guarded(Ex cond) {
        boolean[] any = {false};
        Exprs.visit(cond, x -> any[0] |= x instanceof Ex.InRange || x instanceof Ex.Same);
        return any[0];
    }
}
