package dev.nnc.grad;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DIFFERENTIATE: reverse mode as a compiler pass. The forward defs are visited last to first; each def's
 * adjoint (the seed 1 for the loss) is pushed through its body by the rules of {@link Rules}, and every
 * element a body reads receives a contribution. A contribution to {@code t[idx]} is re-indexed by index
 * algebra onto t's own variables: a subscript variable becomes t's variable, a fixed or repeated subscript
 * becomes a Kronecker delta, and the variables the read does not use are summed — so
 * {@code h[j] = Σᵢ W[j,i] x[i]} gives {@code ∂J/∂W[j,i] = δh[j] · x[i]} and {@code δx[i] = Σⱼ δh[j] · W[j,i]}.
 * Contributions along several paths are added. Only tensors that depend on a parameter and feed the loss
 * get adjoints (inputs only when asked).
 */
public final class Differentiate {
    private final Graph graph;
    /** The values an activation computes: those whose pre-activation was split off. */
    private final Set<Tensor> activations = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<Tensor> active;
    private final Map<Tensor, List<Ex>> contributions = new LinkedHashMap<>();
    private final Map<Tensor, List<IndexVar>> adjointVars = new HashMap<>();
    private final Map<Tensor, Tensor> adjoints = new IdentityHashMap<>();

    private Differentiate(Graph graph, boolean inputs) {
        this.graph = graph;
        for (Def d : graph.forward()) if (d.tensor().preActivationOf != null) activations.add(d.tensor().preActivationOf);
        this.active = active(graph, inputs);
    }

    public static Graph run(Graph g) { return run(g, false); }

    /** With {@code inputs}, the inputs get adjoints too ({@code δx}), e.g. for saliency or input gradients. */
    public static Graph run(Graph g, boolean inputs) { return new Differentiate(g, inputs).differentiate(); }

    /** Tensors that depend on a parameter (or input, when asked) and that the loss depends on. */
    private static Set<Tensor> active(Graph g, boolean inputs) {
        Set<Tensor> depends = new HashSet<>(g.params());
        if (inputs) depends.addAll(g.inputs());
        for (Def d : g.forward()) {
            for (Tensor t : Rules.dependencies(d.body())) if (depends.contains(t)) depends.add(d.tensor());
        }
        Set<Tensor> feeds = new HashSet<>();
        feeds.add(g.loss());
        for (int k = g.forward().size() - 1; k >= 0; k--) {
            Def d = g.forward().get(k);
            if (feeds.contains(d.tensor())) feeds.addAll(Rules.dependencies(d.body()));
        }
        depends.retainAll(feeds);
        return depends;
    }

    private Graph differentiate() {
        List<Def> backward = new ArrayList<>();
        Map<Tensor, Integer> readersLeft = new HashMap<>();
        for (Def d : graph.forward()) {
            if (!active.contains(d.tensor())) continue;
            for (Tensor t : Rules.dependencies(d.body())) readersLeft.merge(t, 1, Integer::sum);
        }
        Map<Tensor, Tensor> gradients = new LinkedHashMap<>();
        for (int k = graph.forward().size() - 1; k >= 0; k--) {
            Def d = graph.forward().get(k);
            if (!active.contains(d.tensor())) continue;
            Ex seed;
            if (d.tensor() == graph.loss()) {
                seed = new Ex.Num(1);
            } else {
                Def adjoint = adjointDef(d.tensor(), Tensor.Role.ADJOINT);
                if (adjoint == null) continue; // nothing downstream reads it after all
                backward.add(adjoint);
                seed = new Ex.Load(adjoint.tensor(), d.vars().stream().map(Idx::of).toList());
            }
            Rules.backprop(d.body(), seed, new ArrayList<>(d.vars()), this::contribute, active);
            for (Tensor t : Rules.dependencies(d.body())) {
                if (readersLeft.merge(t, -1, Integer::sum) == 0 && t.role == Tensor.Role.PARAM && active.contains(t)) {
                    Def g = adjointDef(t, Tensor.Role.GRADIENT);
                    if (g == null) g = zero(t); // read only where the derivative is 0, as in [w > 0]
                    backward.add(g);
                    gradients.put(t, g.tensor());
                }
            }
        }
        // parameters the loss does not depend on: their gradient is zero
        for (Tensor p : graph.params()) {
            if (gradients.containsKey(p)) continue;
            Def g = adjointDef(p, Tensor.Role.GRADIENT);
            if (g == null) g = zero(p);
            backward.add(g);
            gradients.put(p, g.tensor());
        }
        if (inputsAsked()) {
            for (Tensor x : graph.inputs()) {
                Def a = adjointDef(x, Tensor.Role.ADJOINT);
                backward.add(a != null ? a : zero(x));
            }
        }
        return graph.withBackward(backward, orderLike(gradients));
    }

    private boolean inputsAsked() { return graph.inputs().stream().anyMatch(active::contains); }

    private Map<Tensor, Tensor> orderLike(Map<Tensor, Tensor> gradients) {
        Map<Tensor, Tensor> out = new LinkedHashMap<>();
        for (Tensor p : graph.params()) out.put(p, gradients.get(p));
        return out;
    }

    private Def zero(Tensor t) {
        var vars = vars(t, List.of());
        var role = t.role == Tensor.Role.PARAM ? Tensor.Role.GRADIENT : Tensor.Role.ADJOINT;
        var a = new Tensor(adjointName(t, role), role, t.shape, t.span, null, t);
        adjoints.put(t, a);
        return new Def(a, vars, new Ex.Num(0));
    }

    /** The adjoint (or gradient) of t: the sum of its contributions, or null if it has none. */
    private Def adjointDef(Tensor t, Tensor.Role role) {
        List<Ex> parts = contributions.remove(t);
        if (parts == null) return null;
        Ex body = parts.get(0);
        for (int k = 1; k < parts.size(); k++) body = Ex.add(body, parts.get(k));
        Tensor a = new Tensor(adjointName(t, role), role, t.shape, t.span, null, t);
        adjoints.put(t, a);
        return new Def(a, adjointVars.get(t), body);
    }

    /**
     * δh for a pre-activation z_h (the δ of backpropagation); ∂J/∂h for the value an activation computes
     * and for parameters; δv for other values.
     */
    private String adjointName(Tensor t, Tensor.Role role) {
        if (role == Tensor.Role.GRADIENT) return "∂J/∂" + t.name;
        if (t.preActivationOf != null) return "δ" + t.preActivationOf.name;
        return activations.contains(t) ? "∂J/∂" + t.name : "δ" + t.name;
    }

    /**
     * One contribution: {@code t[idx] += seed} for every assignment of the variables in scope, rewritten
     * onto t's own variables. A subscript that is a variable of the scope becomes t's variable. An affine one
     * ({@code x[i+p−1]}) is solved for one of its summed variables whose coefficient is ±1 — the one of largest
     * range, so that the sum left runs over the window, not over the image — and that variable is replaced by
     * the solution under a bounds guard: {@code δx[m] = Σₚ [1 ≤ m−p+1 ≤ n] δy[m−p+1] K[p]}, the transposed
     * convolution as a gather. What cannot be solved so (a fixed subscript, a repeated variable, a stride on every
     * variable) stays a Kronecker delta, a sum that scatters.
     */
    private void contribute(Ex.Load load, Ex seed, List<IndexVar> scope) {
        Tensor t = load.tensor();
        List<IndexVar> own = adjointVars.computeIfAbsent(t, x -> vars(x, load.idx()));
        Map<IndexVar, Idx> rename = new HashMap<>();
        List<Integer> rest = new ArrayList<>();
        for (int p = 0; p < load.idx().size(); p++) {
            if (load.idx().get(p) instanceof Idx.Var v && !rename.containsKey(v.v()) && scope.contains(v.v())) {
                rename.put(v.v(), Idx.of(own.get(p)));
            } else {
                rest.add(p);
            }
        }
        List<Ex> guards = new ArrayList<>();
        List<Ex> deltas = new ArrayList<>();
        for (int p : rest) {
            Idx target = Idx.of(own.get(p));
            Idx at = Idx.substitute(load.idx().get(p), rename);
            IndexVar solve = null;
            int sign = 0;
            for (Idx.Term term : Idx.terms(at)) {
                boolean free = scope.contains(term.v()) && !rename.containsKey(term.v()) && !own.contains(term.v());
                if (free && Math.abs(term.coefficient()) == 1 && (solve == null || term.v().range() > solve.range())) {
                    solve = term.v();
                    sign = term.coefficient();
                }
            }
            if (solve == null) {
                deltas.add(new Ex.Same(target, at));
                continue;
            }
            // target = sign·solve + others  ⇒  solve = sign·(target − others)
            List<Idx.Term> others = new ArrayList<>();
            for (Idx.Term term : Idx.terms(at)) if (term.v() != solve) others.add(term);
            Idx rem = Idx.affine(others, Idx.constant(at));
            List<Idx.Term> sol = new ArrayList<>();
            sol.add(new Idx.Term(own.get(p), sign));
            for (Idx.Term term : Idx.terms(rem)) sol.add(new Idx.Term(term.v(), -sign * term.coefficient()));
            Idx solution = Idx.affine(sol, -sign * Idx.constant(rem));
            // the solution replaces solve everywhere, in the subscripts still to solve too
            Map<IndexVar, Idx> step = Map.of(solve, solution);
            rename.replaceAll((v, i) -> Idx.substitute(i, step));
            rename.put(solve, solution);
            guards.replaceAll(g -> Exprs.substitute(g, step));
            deltas.replaceAll(g -> Exprs.substitute(g, step));
            guards.add(new Ex.InRange(solution, solve.range()));
        }
        Ex e = Exprs.substitute(seed, rename);
        for (Ex delta : deltas) e = new Ex.Select(delta, e, new Ex.Num(0));
        // each guard directly under the sum of the innermost summed variable it bounds, where every evaluator
        // narrows that sum's loop to the values it lets through (ir.Guards): a pool's adjoint visits its own window
        List<Ex> unplaced = new ArrayList<>(guards);
        for (int k = scope.size() - 1; k >= 0; k--) {
            IndexVar v = scope.get(k);
            if (rename.containsKey(v)) continue;
            for (var it = unplaced.iterator(); it.hasNext(); ) {
                Ex guard = it.next();
                if (!Exprs.freeVars(guard).contains(v)) continue;
                e = new Ex.Select(guard, e, new Ex.Num(0));
                it.remove();
            }
            e = new Ex.Sum(v, e);
        }
        for (Ex guard : unplaced) e = new Ex.Select(guard, e, new Ex.Num(0));
        // the summed variables were the def's own; copy them so that binders stay distinct objects
        contributions.computeIfAbsent(t, x -> new ArrayList<>()).add(Exprs.copy(e));
    }

    /** Variables for t's adjoint, named after the subscripts of its first read where they hold variables. */
    private static List<IndexVar> vars(Tensor t, List<Idx> idx) {
        String letters = "ijklmn";
        List<IndexVar> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (int p = 0; p < t.rank(); p++) {
            // x[k, i+p−1] names δx's variables k and i, after the index that moves the position most
            String name = p < idx.size() && !Idx.terms(idx.get(p)).isEmpty() ? Idx.terms(idx.get(p)).get(0).v().name
                    : String.valueOf(letters.charAt(p % 6));
            while (used.contains(name)) name = name + "′";
            used.add(name);
            out.add(new IndexVar(name, t.shape.get(p)));
        }
        return out;
    }
}
