package dev.nnc.opt;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Note;
import dev.nnc.ir.Tensor;
import dev.nnc.lower.Library;
import dev.nnc.runtime.Primitive;
import dev.nnc.runtime.data.TargetDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The numerical-stability rewrites, each with a name that {@code --no-rewrite} accepts and a note saying
 * where it applied. {@link #beforeExpand} sees library calls whole (bce of a σ); {@link #afterExpand} works
 * on primitive forms (log of a σ, softmax, log Σ exp), wherever they came from.
 */
public final class Stability {
    public static final List<String> RULES = List.of("sigmoid-bce", "log-sigmoid", "softmax-shift",
            "softmax-cross-entropy", "log-sum-exp");

    private final Library library;
    private final Set<String> disabled;
    private final List<Note> notes = new ArrayList<>();
    private final List<TargetDomain> distributions = new ArrayList<>();
    private List<Def> defs;
    private Def current;

    private Stability(Graph g, Library library, Set<String> disabled) {
        this.library = library;
        this.disabled = disabled;
        this.defs = new ArrayList<>(g.forward());
    }

    public static Graph beforeExpand(Graph g, Library library, Set<String> disabled) {
        var s = new Stability(g, library, disabled);
        if (!disabled.contains("sigmoid-bce")) s.each(s::sigmoidBce);
        return g.withForward(s.defs).withNotes(s.notes, s.distributions);
    }

    public static Graph afterExpand(Graph g, Library library, Set<String> disabled) {
        var s = new Stability(g, library, disabled);
        if (!disabled.contains("softmax-shift")) s.softmaxShift();
        if (!disabled.contains("softmax-cross-entropy")) s.each(s::softmaxCrossEntropy);
        if (!disabled.contains("log-sum-exp")) s.each(s::logSumExp);
        if (!disabled.contains("log-sigmoid")) s.each(s::logSigmoid);
        return g.withForward(s.defs).withNotes(s.notes, s.distributions);
    }

    private void each(UnaryOperator<Ex> rule) {
        for (int k = 0; k < defs.size(); k++) {
            current = defs.get(k);
            defs.set(k, current.withBody(Exprs.transform(current.body(), rule)));
        }
    }

    private void note(String rule, String message) { notes.add(new Note(rule, current.tensor().span, message)); }

    private Def def(Tensor t) {
        for (Def d : defs) if (d.tensor() == t) return d;
        return null;
    }

    /** The argument e when x is σ(e), directly or as a read of a def whose body is σ(e). */
    private Ex sigmoidArg(Ex x) {
        if (x instanceof Ex.Apply a && a.f().isLibrary("σ")) return a.args().get(0);
        if (x instanceof Ex.Load l && def(l.tensor()) instanceof Def d && d.body() instanceof Ex.Apply a
                && a.f().isLibrary("σ")) {
            return Exprs.instantiate(d.withBody(a.args().get(0)), l.idx());
        }
        return null;
    }

    private static boolean data(Ex e) {
        return Exprs.reads(e).stream().allMatch(t -> t.role == Tensor.Role.INPUT || t.role == Tensor.Role.TARGET);
    }

    // ─── bce(σ(z), y) → bce_logits(z, y) with gradient a − y ─────────────────────────────────────

    private Ex sigmoidBce(Ex e) {
        if (!(e instanceof Ex.Apply a) || !a.f().isLibrary("bce") || !data(a.args().get(1))) return e;
        Ex z = sigmoidArg(a.args().get(0));
        if (!(z instanceof Ex.Load zl)) return e;
        Ex y = a.args().get(1);
        note("sigmoid-bce", "bce(σ(z), y) is computed as bce_logits(z, y), which cannot overflow, and its gradient "
                + "on z is σ(z) − y");
        Ex grad = Ex.sub(a.args().get(0), y);
        return new Ex.Fused("sigmoid-bce", new Ex.Apply(library.get("bce_logits"), List.of(z, y)),
                List.of(new Ex.Partial(List.of(), zl, grad)));
    }

    // ─── log σ(z) → −softplus(−z), log(1 − σ(z)) → −softplus(z) ───────────────────────────────────

    private Ex logSigmoid(Ex e) {
        if (!(e instanceof Ex.Call u) || u.f() != Primitive.LOG) return e;
        Ex z = sigmoidArg(u.a());
        if (z != null) {
            note("log-sigmoid", "log σ(z) is computed as −softplus(−z), which stays finite for large |z|");
            return Ex.neg(new Ex.Apply(library.get("softplus"), List.of(Ex.neg(z))));
        }
        if (u.a() instanceof Ex.Binary b && b.op() == Ex.BinOp.SUB && Exprs.isNum(b.a(), 1)
                && sigmoidArg(b.b()) instanceof Ex z2) {
            note("log-sigmoid", "log(1 − σ(z)) is computed as −softplus(z), which stays finite for large |z|");
            return Ex.neg(new Ex.Apply(library.get("softplus"), List.of(z2)));
        }
        return e;
    }

    // ─── log Σⱼ exp(e[j]) → m + log Σⱼ exp(e[j] − m), m = maxⱼ e[j] ─────────────────────────────────

    private Ex logSumExp(Ex e) {
        if (!(e instanceof Ex.Call u) || u.f() != Primitive.LOG || !(u.a() instanceof Ex.Sum s)
                || !(s.body() instanceof Ex.Call x) || x.f() != Primitive.EXP) return e;
        note("log-sum-exp", "log Σ exp(…) is computed shifted by its largest term, so exp cannot overflow");
        Ex max = new Ex.NoGrad(Exprs.copy(new Ex.Max(s.i(), x.a())));
        Ex shifted = new Ex.Sum(s.i(), Ex.call(Primitive.EXP, Ex.sub(x.a(), max)));
        return Ex.add(Exprs.copy(max), Ex.call(Primitive.LOG, Exprs.copy(shifted)));
    }

    // ─── softmax, shifted by its maximum ──────────────────────────────────────────────────────────

    /** What the shift made of a softmax p[…, i] = exp(a)/Σⱼ exp(b): its max and its denominator. */
    private record Softmax(IndexVar i, Ex logit, Tensor max, Tensor sum) {}

    private final Map<Tensor, Softmax> softmaxes = new HashMap<>();

    private void softmaxShift() {
        for (int k = 0; k < defs.size(); k++) {
            Def d = defs.get(k);
            current = d;
            if (!(d.body() instanceof Ex.Binary div) || div.op() != Ex.BinOp.DIV) continue;
            if (!(div.a() instanceof Ex.Call num) || num.f() != Primitive.EXP) continue;
            if (!(div.b() instanceof Ex.Sum den) || !(den.body() instanceof Ex.Call e) || e.f() != Primitive.EXP) continue;
            IndexVar i = null;
            for (IndexVar v : d.vars()) {
                if (Exprs.key(Exprs.substitute(e.a(), Map.of(den.i(), Idx.of(v)))).equals(Exprs.key(num.a()))) i = v;
            }
            if (i == null) continue;
            List<IndexVar> outer = new ArrayList<>(d.vars());
            outer.remove(i);
            List<Integer> shape = outer.stream().map(IndexVar::range).toList();
            List<Idx> at = outer.stream().map(Idx::of).toList();
            Tensor m = new Tensor("max_" + d.tensor().name, Tensor.Role.VALUE, shape, d.tensor().span);
            Tensor s = new Tensor("sum_" + d.tensor().name, Tensor.Role.VALUE, shape, d.tensor().span);
            Ex mAt = new Ex.NoGrad(new Ex.Load(m, at));
            Def mDef = new Def(m, outer, Exprs.copy(new Ex.Max(den.i(), e.a())));
            Def sDef = new Def(s, outer, Exprs.copy(new Ex.Sum(den.i(), Ex.call(Primitive.EXP, Ex.sub(e.a(), mAt)))));
            Ex body = Ex.div(Ex.call(Primitive.EXP, Ex.sub(num.a(), mAt)), new Ex.Load(s, at));
            defs.set(k, d.withBody(body));
            defs.add(k, sDef);
            defs.add(k, mDef);
            k += 2;
            softmaxes.put(d.tensor(), new Softmax(i, num.a(), m, s));
            note("softmax-shift", "softmax is computed as exp(z − m) / Σ exp(z − m) with m the largest z, so exp cannot overflow");
        }
    }

    // ─── Σ_c y[c] log p[c] with p = softmax(z): log-softmax, and the gradient y − p on z ───────────

    private Ex softmaxCrossEntropy(Ex e) {
        if (!(e instanceof Ex.Sum s) || !(s.body() instanceof Ex.Binary mul) || mul.op() != Ex.BinOp.MUL) return e;
        Ex ya = mul.a(), lp = mul.b();
        if (!Ex.isCall(lp, Primitive.LOG)) {
            ya = mul.b();
            lp = mul.a();
        }
        if (!(ya instanceof Ex.Load y) || y.tensor().role != Tensor.Role.TARGET || !y.idx().equals(List.of(Idx.of(s.i())))) return e;
        if (!(lp instanceof Ex.Call log) || log.f() != Primitive.LOG || !(log.a() instanceof Ex.Load p)
                || !p.idx().equals(List.of(Idx.of(s.i())))) return e;
        Softmax sm = softmaxes.get(p.tensor());
        if (sm == null || p.tensor().rank() != 1 || !(sm.logit() instanceof Ex.Load z) || !z.idx().equals(List.of(Idx.of(sm.i())))) {
            return e;
        }
        var c = s.i();
        Ex zc = new Ex.Load(z.tensor(), List.of(Idx.of(c)));
        Ex logSoftmax = Ex.sub(Ex.sub(zc, new Ex.NoGrad(new Ex.Load(sm.max(), List.of()))),
                Ex.call(Primitive.LOG, new Ex.Load(sm.sum(), List.of())));
        Ex value = new Ex.Sum(c, Ex.mul(y, logSoftmax));
        var k = new IndexVar(c.name, c.range());
        Ex grad = Ex.sub(new Ex.Load(y.tensor(), List.of(Idx.of(k))), new Ex.Load(p.tensor(), List.of(Idx.of(k))));
        distributions.add(new TargetDomain.Distribution(y.tensor().name, "cross-entropy of a softmax needs a one-hot or probability target "
                + "(sum 1); for other targets turn the rewrite off: --no-rewrite softmax-cross-entropy"));
        note("softmax-cross-entropy", "cross-entropy of softmax(z) is computed from log-softmax, and its gradient on z is "
                + "p − y; this assumes each sample's " + y.tensor().name + " sums to 1 (one-hot or probabilities)");
        return new Ex.Fused("softmax-cross-entropy", value,
                List.of(new Ex.Partial(List.of(k), new Ex.Load(z.tensor(), List.of(Idx.of(k))), grad)));
    }
}
