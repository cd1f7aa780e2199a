package dev.nnc.ir;

import java.util.List;
import java.util.Map;

/**
 * An optimizer of the standard library (or the user's) lowered for one parameter element: scalar slots for
 * θ, ∂J/∂θ, the step t and each state variable; the updates run in order, each seeing the ones before it.
 * Hyperparameters are folded into the expressions as numbers.
 */
public record OptimizerIr(String name, Tensor theta, Tensor gradient, Tensor step, List<Tensor> states,
                          Map<Tensor, Double> initial, List<Update> updates) {
    public OptimizerIr {
        states = List.copyOf(states);
        initial = Map.copyOf(initial);
        updates = List.copyOf(updates);
    }

    public record Update(Tensor slot, Ex value) {}
}
