package dev.nnc.interp;

import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a lowered optimizer over every element of every parameter: loads θ, its gradient and its state
 * into the slots, runs the updates in the order written, stores θ and the state back. The step t counts
 * optimizer steps from 1.
 */
public final class OptimizerRun {
    private final OptimizerIr optimizer;
    private final Machine machine = new Machine();
    private final List<Runnable> updates = new ArrayList<>();
    private final Map<Tensor, double[][]> state = new HashMap<>();
    private long step;

    public OptimizerRun(OptimizerIr optimizer) {
        this.optimizer = optimizer;
        for (var u : optimizer.updates()) {
            var body = machine.compile(u.value());
            double[] dest = machine.storage(u.slot());
            updates.add(() -> dest[0] = body.eval());
        }
    }

    public long step() { return step; }

    /** One step: every parameter moves by its gradient (the mean over the mini-batch). */
    public void apply(Map<Tensor, double[]> params, Map<Tensor, double[]> gradients) {
        step++;
        machine.storage(optimizer.step())[0] = step;
        double[] theta = machine.storage(optimizer.theta()), g = machine.storage(optimizer.gradient());
        List<Tensor> states = optimizer.states();
        double[][] slots = new double[states.size()][];
        for (int s = 0; s < slots.length; s++) slots[s] = machine.storage(states.get(s));
        for (var e : params.entrySet()) {
            double[] p = e.getValue(), grad = gradients.get(e.getKey());
            double[][] st = state.computeIfAbsent(e.getKey(), t -> {
                double[][] fresh = new double[states.size()][p.length];
                for (int s = 0; s < fresh.length; s++) java.util.Arrays.fill(fresh[s], optimizer.initial().get(states.get(s)));
                return fresh;
            });
            for (int k = 0; k < p.length; k++) {
                theta[0] = p[k];
                g[0] = grad[k];
                for (int s = 0; s < slots.length; s++) slots[s][0] = st[s][k];
                for (Runnable u : updates) u.run();
                p[k] = theta[0];
                for (int s = 0; s < slots.length; s++) st[s][k] = slots[s][0];
            }
        }
    }
}
