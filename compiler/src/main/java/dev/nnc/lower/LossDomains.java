package dev.nnc.lower;

import dev.nnc.ast.Decl;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.data.TargetDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one home of what the standard library's losses require of their targets, and of finding which targets of a
 * network those requirements fall on. A loss is minimised by training; bce(a, y) = −(y log a + (1 − y) log(1 − a))
 * has a minimum only for y from 0 to 1, so a target of 7 would train towards nothing. The data readers check the
 * values ({@link TargetDomain}); this class says which, as calls are lowered: a call of a loss whose target
 * parameter receives a target of the network (or one of its elements) puts that target in the loss's domain, and a
 * user's scalar function that passes a parameter on to such a loss passes the requirement on to its callers.
 */
final class LossDomains {
    /** What a loss requires of the argument of its parameter {@code param}. */
    record Rule(String loss, String param, double lo, double hi, String why) {}

    private static final String LABEL = "reads its target as a label 0 or 1, or a probability between them";
    private static final String VECTOR = "reads its target as one-hot or as probabilities, each element from 0 to 1";

    /** Every loss of stdlib/losses.nn with a domain; mse, mae and huber take any target. A test keeps this complete. */
    static final List<Rule> RULES = List.of(
            new Rule("bce", "y", 0, 1, "bce " + LABEL),
            new Rule("bce_logits", "y", 0, 1, "bce_logits " + LABEL),
            new Rule("cross_entropy", "y", 0, 1, "cross_entropy " + VECTOR),
            new Rule("cross_entropy_logits", "y", 0, 1, "cross_entropy_logits " + VECTOR),
            new Rule("nll", "y", 0, 1, "nll " + VECTOR));

    /** The losses of the standard library that take any target. */
    static final Set<String> UNBOUNDED = Set.of("mse", "mae", "huber");

    private final Set<TargetDomain> found = new LinkedHashSet<>();
    /** Per user function lowered once over its arguments: which argument positions a loss constrains, and how. */
    private final Map<Decl.Fn, Map<Integer, Rule>> passedOn = new IdentityHashMap<>();

    /** What the network's targets must satisfy, in the order the calls were met. */
    List<TargetDomain> domains() { return new ArrayList<>(found); }

    /**
     * A call of {@code fn} (a declaration) with these argument views, lowered inside {@code within} (the scalar
     * function whose body is being lowered over its {@link Ex.Arg}s, or null in a network).
     *
     * @param library whether fn is the standard library's own function (a user's bce is not the library's)
     */
    void call(Decl.Fn fn, boolean library, List<View> args, Decl.Fn within) {
        List<Rule> rules = new ArrayList<>();
        if (library) for (Rule r : RULES) if (r.loss().equals(fn.name().name())) rules.add(r);
        List<String> params = fn.params().stream().map(p -> p.name().name()).toList();
        Map<Integer, Rule> inherited = passedOn.getOrDefault(fn, Map.of());
        for (int k = 0; k < args.size(); k++) {
            for (Rule r : rules) if (params.get(k).equals(r.param())) constrain(args.get(k), r, within);
            Rule r = inherited.get(k);
            if (r != null) constrain(args.get(k), r, within);
        }
    }

    private void constrain(View arg, Rule rule, Decl.Fn within) {
        List<Integer> shape = arg.shape();
        int size = 1;
        for (int d : shape) size *= d;
        Ex first = arg.at(position(shape, 0));
        if (first instanceof Ex.Arg a && within != null) {
            passedOn.computeIfAbsent(within, f -> new HashMap<>()).putIfAbsent(a.k(), rule);
            return;
        }
        if (!(first instanceof Ex.Load l) || l.tensor().role != Tensor.Role.TARGET) return; // an expression of a target, or no target
        Map<Tensor, Set<Integer>> elements = new LinkedHashMap<>();
        for (int e = 0; e < size; e++) {
            if (arg.at(position(shape, e)) instanceof Ex.Load load && load.tensor().role == Tensor.Role.TARGET) {
                elements.computeIfAbsent(load.tensor(), t -> new TreeSet<>()).add(offset(load));
            }
        }
        for (var e : elements.entrySet()) {
            Set<Integer> at = e.getValue().contains(TargetDomain.ALL) || e.getValue().size() == e.getKey().size() ? Set.of(TargetDomain.ALL) : e.getValue();
            for (int k : at) found.add(new TargetDomain.Range(e.getKey().name, k, rule.lo(), rule.hi(), rule.why()));
        }
    }

    /** The element a load reads, row-major from 0, or every element when an index variable picks it. */
    private static int offset(Ex.Load load) {
        Offset at = Offset.of(load.tensor(), load.idx());
        return at.terms().isEmpty() ? at.constant() : TargetDomain.ALL;
    }

    private static List<Idx> position(List<Integer> shape, int offset) {
        Idx[] at = new Idx[shape.size()];
        for (int d = shape.size() - 1; d >= 0; d--) {
            at[d] = new Idx.Fixed(offset % shape.get(d));
            offset /= shape.get(d);
        }
        return List.of(at);
    }
}
