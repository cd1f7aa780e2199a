package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loop nests for a per-sample block that is not unrolled, with consecutive nests over the same ranges merged
 * into one when the later reads what the earlier writes only at the element being computed: the bias, the
 * activation and its derivative after a matrix product then take one pass over the product's result.
 */
final class Fusion {
    private Fusion() {}

    static List<Stmt> loops(List<Object> group, Map<Tensor, Storage> storage) {
        List<Object> merged = new ArrayList<>();
        for (Object item : group) {
            Object last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && Schedule.isNest(last) && Schedule.isNest(item) && fusable(last, item)) {
                merged.set(merged.size() - 1, merge(last, item));
            } else {
                merged.add(item);
            }
        }
        List<Stmt> out = new ArrayList<>();
        for (Object item : merged) {
            if (!Schedule.isNest(item)) {
                out.add((Stmt) item);
                continue;
            }
            List<Stmt> body = Schedule.nestBody(item);
            List<IndexVar> vars = Schedule.nestVars(item);
            for (int k = vars.size() - 1; k >= 0; k--) body = List.of(new Stmt.Loop(vars.get(k), body));
            out.addAll(body);
        }
        return out;
    }

    private static boolean fusable(Object first, Object second) {
        List<IndexVar> a = Schedule.nestVars(first), b = Schedule.nestVars(second);
        if (a.isEmpty() || a.size() != b.size()) return false;
        for (int k = 0; k < a.size(); k++) if (a.get(k).range() != b.get(k).range()) return false;
        Set<Tensor> written = new java.util.HashSet<>(), read = new java.util.HashSet<>();
        for (Stmt s : Schedule.nestBody(first)) {
            var x = (Stmt.Assign) s;
            written.add(x.t());
            read.addAll(Schedule.valueReads(x.value()));
        }
        List<Idx> own = Schedule.vars(b);
        for (Stmt s : Schedule.nestBody(second)) {
            var x = (Stmt.Assign) s;
            if (read.contains(x.t()) || written.contains(x.t())) return false;
            boolean[] ok = {true};
            Exprs.visit(x.value(), e -> {
                if (e instanceof Ex.Load l && written.contains(l.tensor()) && !l.idx().equals(own)) ok[0] = false;
            });
            if (!ok[0]) return false;
        }
        return true;
    }

    /** The second nest's statements moved into the first's loops. */
    private static Object merge(Object first, Object second) {
        List<IndexVar> a = Schedule.nestVars(first), b = Schedule.nestVars(second);
        Map<IndexVar, Idx> rename = new HashMap<>();
        for (int k = 0; k < a.size(); k++) rename.put(b.get(k), Idx.of(a.get(k)));
        List<Stmt> body = new ArrayList<>(Schedule.nestBody(first));
        for (Stmt s : Schedule.nestBody(second)) {
            var x = (Stmt.Assign) s;
            List<Idx> at = x.at().stream().map(i -> i instanceof Idx.Var v && rename.containsKey(v.v()) ? rename.get(v.v()) : i).toList();
            body.add(new Stmt.Assign(x.t(), at, Exprs.substitute(x.value(), rename), x.add()));
        }
        return Schedule.nest(a, body);
    }
}
