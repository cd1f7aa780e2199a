package dev.nnc.ir;

import dev.nnc.check.ParamInit;
import dev.nnc.runtime.data.TargetDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One network in the IR. The forward defs compute, per sample, every value up to the loss in an order
 * where each comes after what it reads; the backward defs (empty until DIFFERENTIATE) compute adjoints
 * and, for every parameter, the per-sample gradient tensor named in {@link #gradients}. Training takes
 * the mean of those over a mini-batch.
 *
 * @param domains what the targets' values must satisfy for the loss to mean something (bce's target from 0 to 1),
 *                or for a rewrite's gradient to hold (softmax followed by cross-entropy has the gradient p − y only
 *                for targets that sum to 1 per sample): the data readers check each value against them
 */
public record Graph(String name, List<Tensor> inputs, List<Tensor> targets, List<Tensor> params,
                    Map<Tensor, ParamInit> inits, List<Def> forward, Tensor loss, List<Tensor> outputs,
                    List<Def> backward, Map<Tensor, Tensor> gradients, List<Note> notes, List<TargetDomain> domains) {
    public Graph {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
        params = List.copyOf(params);
        inits = Collections.unmodifiableMap(new LinkedHashMap<>(inits));
        forward = List.copyOf(forward);
        outputs = List.copyOf(outputs);
        backward = List.copyOf(backward);
        gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        notes = List.copyOf(notes);
        domains = List.copyOf(new LinkedHashSet<>(domains));
    }

    public Graph withForward(List<Def> f) {
        return new Graph(name, inputs, targets, params, inits, f, loss, outputs, backward, gradients, notes, domains);
    }

    public Graph withBackward(List<Def> b, Map<Tensor, Tensor> g) {
        return new Graph(name, inputs, targets, params, inits, forward, loss, outputs, b, g, notes, domains);
    }

    public Graph withNotes(List<Note> more, List<TargetDomain> moreDomains) {
        var n = new ArrayList<>(notes);
        n.addAll(more);
        var d = new ArrayList<>(domains);
        d.addAll(moreDomains);
        return new Graph(name, inputs, targets, params, inits, forward, loss, outputs, backward, gradients, n, d);
    }

    /** Whether a rewrite assumed that the target sums to 1 in every sample. */
    public boolean isDistribution(Tensor target) {
        return TargetDomain.distribution(domains, target.name) != null;
    }

    /** Every def, forward then backward. */
    public List<Def> defs() {
        var all = new ArrayList<>(forward);
        all.addAll(backward);
        return all;
    }

    /** Every tensor name the graph defines or takes, for a pass that makes tensors of its own to choose new ones. */
    public Set<String> names() {
        Set<String> names = new java.util.HashSet<>();
        for (Tensor t : inputs) names.add(t.name);
        for (Tensor t : targets) names.add(t.name);
        for (Tensor t : params) names.add(t.name);
        for (Def d : defs()) names.add(d.tensor().name);
        return names;
    }

    /**
     * The gradient tensors a backend may add straight into their parameter's batch sum as their def computes
     * them, never storing the per-sample tensor: those defined by a backward def, of the parameter's size, the
     * gradient of one parameter only, and read by nothing else (no def, output or loss).
     */
    public Set<Tensor> summedDirectly() {
        Set<Tensor> read = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Def d : defs()) read.addAll(Exprs.valueReads(d.body()));
        Map<Tensor, Integer> uses = new IdentityHashMap<>();
        for (Tensor g : gradients.values()) uses.merge(g, 1, Integer::sum);
        Set<Tensor> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (var e : gradients.entrySet()) {
            Tensor g = e.getValue();
            if (g.size() == e.getKey().size() && uses.get(g) == 1 && !read.contains(g) && !outputs.contains(g) && g != loss
                    && backward.stream().anyMatch(d -> d.tensor() == g)) {
                out.add(g);
            }
        }
        return out;
    }
}
