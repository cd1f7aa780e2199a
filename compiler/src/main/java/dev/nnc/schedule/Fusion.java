package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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

    static List<Stmt> loops(List<Nest> run) {
        List<Nest> merged = new ArrayList<>();
        for (Nest item : run) {
            Nest last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && fusable(last, item)) {
                merged.set(merged.size() - 1, merge(last, item));
            } else {
                merged.add(item);
            }
        }
        List<Stmt> out = new ArrayList<>();
        for (Nest item : merged) {
            List<Stmt> body = item.body();
            List<IndexVar> vars = item.vars();
            for (int k = vars.size() - 1; k >= 0; k--) body = List.of(new Stmt.Loop(vars.get(k), body));
            out.addAll(body);
        }
        return out;
    }

    static boolean fusable(Nest first, Nest second) {
        List<IndexVar> a = first.vars(), b = second.vars();
        if (a.isEmpty() || a.size() != b.size()) return false;
        for (int k = 0; k < a.size(); k++) if (a.get(k).range() != b.get(k).range()) return false;
        Set<Tensor> written = new HashSet<>(), read = new HashSet<>();
        for (Stmt s : first.body()) {
            if (!(s instanceof Stmt.Assign x)) return false;
            written.add(x.t());
            read.addAll(Exprs.valueReads(x.value()));
        }
        List<Idx> own = Subscripts.of(b);
        for (Stmt s : second.body()) {
            if (!(s instanceof Stmt.Assign x)) return false;
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
    private static Nest merge(Nest first, Nest second) {
        List<IndexVar> a = first.vars(), b = second.vars();
        Map<IndexVar, Idx> rename = new HashMap<>();
        for (int k = 0; k < a.size(); k++) rename.put(b.get(k), Idx.of(a.get(k)));
        List<Stmt> body = new ArrayList<>(first.body());
        for (Stmt s : second.body()) {
            var x = (Stmt.Assign) s; // fusable: assignments only
            List<Idx> at = x.at().stream().map(i -> Idx.substitute(i, rename)).toList();
            body.add(new Stmt.Assign(x.t(), at, Exprs.substitute(x.value(), rename), x.add()));
        }
        return new Nest(a, body);
    }
}
