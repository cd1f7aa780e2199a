package dev.nnc.ir;

import dev.nnc.runtime.train.NumberRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer of the standard library (or the user's) lowered for one parameter element: scalar slots for
 * θ, ∂J/∂θ, the step t and each state variable. Hyperparameters are folded into the expressions as numbers,
 * except the learning rate: a schedule changes it from step to step, so it is a slot ({@code rate}, null for an
 * optimizer that has none) set to {@code baseRate} times the schedule's factor before each step.
 *
 * <p>A step is in two parts ({@link dev.nnc.opt.StepSplit}): the per-step values, computed once per step from t
 * and the rate alone, in double precision, on every backend; then, for each element, the updates in order, each
 * seeing the ones before it, reading the per-step values' slots and never t or the rate.
 *
 * @param perStep         each a slot and its value, reading only t and the rate
 * @param updates         the per-element updates
 * @param hyperparameters every hyperparameter's value, in declaration order, for messages and metadata
 */
public record OptimizerIr(String name, Tensor theta, Tensor gradient, Tensor step, List<Tensor> states,
                          Map<Tensor, Double> initial, List<Update> perStep, List<Update> updates, Tensor rate,
                          double baseRate, Map<String, Double> hyperparameters) {
    /** The names a learning-rate hyperparameter goes by; a schedule scales the first one an optimizer has. */
    public static final List<String> RATE_NAMES = List.of("α", "η", "lr");

    /**
     * What a hyperparameter's value may be, given in a train block, by {@code --optimizer} or by {@code --lr}: a
     * learning rate is positive, any other hyperparameter finite.
     */
    public static NumberRule rule(String hyperparameter) {
        return RATE_NAMES.contains(hyperparameter) ? NumberRule.POSITIVE : NumberRule.FINITE;
    }

    public OptimizerIr {
        states = List.copyOf(states);
        initial = Map.copyOf(initial);
        perStep = List.copyOf(perStep);
        updates = List.copyOf(updates);
        for (var u : perStep) {
            for (Tensor t : Exprs.reads(u.value())) {
                if (t != step && t != rate) throw new IllegalStateException("internal: per-step value " + u.slot() + " reads " + t);
            }
        }
        for (var u : updates) {
            for (Tensor t : Exprs.reads(u.value())) {
                if (t == step || t == rate) throw new IllegalStateException("internal: an update of " + u.slot() + " reads " + t + " per element");
            }
        }
        hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    }

    /** {@code adam(α = 0.001, β1 = 0.9, β2 = 0.999, ε = 1e-8)} */
    public String describe() {
        var b = new StringBuilder(name).append('(');
        int k = 0;
        for (var e : hyperparameters.entrySet()) {
            b.append(k++ == 0 ? "" : ", ").append(e.getKey()).append(" = ");
            b.append(number(e.getValue()));
        }
        return b.append(')').toString();
    }

    /** 0.001, 1e-8, 10: numbers as a person writes them. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) return s;
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        return mantissa + "e" + s.substring(e + 1);
    }

    public record Update(Tensor slot, Ex value) {}
}
