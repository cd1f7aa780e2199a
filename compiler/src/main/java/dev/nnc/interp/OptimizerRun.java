package dev.nnc.interp;

import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Runs a lowered optimizer over every element of every parameter: loads θ, its gradient and its state
 * into the slots, runs the updates in the order written, stores θ and the state back. The step t counts
 * optimizer steps from 1; the learning-rate slot holds the optimizer's α times the schedule's factor. The
 * optimizer's per-step values (Adam's 1/(1 − β1ᵗ)) are computed once per step, before the elements.
 * Elements are independent, so big parameters are split into slices run on all processors, each by its
 * own lane (a machine with its own slots); the result does not depend on how many there are.
 */
public final class OptimizerRun {
    /** Below this many elements in all, one lane does everything: threads would cost more than they save. */
    static final int PARALLEL_FROM = 1 << 15;

    private final OptimizerIr optimizer;
    private final List<Lane> lanes = new ArrayList<>();
    private final Map<Tensor, double[][]> state = new HashMap<>();
    private long step;

    public OptimizerRun(OptimizerIr optimizer) { this(optimizer, Runtime.getRuntime().availableProcessors()); }

    public OptimizerRun(OptimizerIr optimizer, int threads) {
        this.optimizer = optimizer;
        for (int k = 0; k < Math.max(1, threads); k++) lanes.add(new Lane());
    }

    /** One machine with the per-step values and the updates compiled onto its slots. */
    private final class Lane {
        final Machine machine = new Machine();
        final List<Runnable> perStep = new ArrayList<>(), updates = new ArrayList<>();
        final double[] theta = machine.storage(optimizer.theta()), g = machine.storage(optimizer.gradient());
        final double[][] slots = new double[optimizer.states().size()][];

        Lane() {
            for (var u : optimizer.perStep()) perStep.add(assignment(u));
            for (var u : optimizer.updates()) updates.add(assignment(u));
            for (int s = 0; s < slots.length; s++) slots[s] = machine.storage(optimizer.states().get(s));
        }

        private Runnable assignment(OptimizerIr.Update u) {
            var body = machine.compile(u.value());
            double[] dest = machine.storage(u.slot());
            return () -> dest[0] = body.eval();
        }

        /** Computes the per-step values of step t at this learning rate into their slots. */
        void begin(long t, double rate) {
            machine.storage(optimizer.step())[0] = t;
            if (optimizer.rate() != null) machine.storage(optimizer.rate())[0] = rate;
            for (Runnable r : perStep) r.run();
        }

        void run(double[] p, double[] grad, double[][] st, int from, int to) {
            for (int k = from; k < to; k++) {
                theta[0] = p[k];
                g[0] = grad[k];
                for (int s = 0; s < slots.length; s++) slots[s][0] = st[s][k];
                for (Runnable u : updates) u.run();
                p[k] = theta[0];
                for (int s = 0; s < slots.length; s++) st[s][k] = slots[s][0];
            }
        }
    }

    /** The per-step values of step t (counted from 1) at this learning rate, in the order of {@link OptimizerIr#perStep}. */
    public double[] perStepValues(long t, double rate) {
        Lane lane = lanes.get(0);
        lane.begin(t, rate);
        double[] out = new double[optimizer.perStep().size()];
        for (int k = 0; k < out.length; k++) out[k] = lane.machine.storage(optimizer.perStep().get(k).slot())[0];
        return out;
    }

    public OptimizerIr optimizer() { return optimizer; }

    public long step() { return step; }

    public void setStep(long step) { this.step = step; }

    /** The state of one parameter, one array per state variable in declaration order (created at its initial value). */
    public double[][] state(Tensor param) {
        return state.computeIfAbsent(param, t -> {
            List<Tensor> states = optimizer.states();
            double[][] fresh = new double[states.size()][t.size()];
            for (int s = 0; s < fresh.length; s++) Arrays.fill(fresh[s], optimizer.initial().get(states.get(s)));
            return fresh;
        });
    }

    /** Forgets all state and the step count, as for a fresh start. */
    public void reset() {
        state.clear();
        step = 0;
    }

    /** One step at the optimizer's own learning rate. */
    public void apply(Map<Tensor, double[]> params, Map<Tensor, double[]> gradients) { apply(params, gradients, 1); }

    /** One step: every parameter moves by its gradient (the mean over the mini-batch), at α · {@code rateScale}. */
    public void apply(Map<Tensor, double[]> params, Map<Tensor, double[]> gradients, double rateScale) {
        step++;
        long total = 0;
        for (double[] p : params.values()) total += p.length;
        int n = total < PARALLEL_FROM ? 1 : lanes.size();
        for (int l = 0; l < n; l++) lanes.get(l).begin(step, optimizer.baseRate() * rateScale);
        List<List<Runnable>> work = new ArrayList<>(); // per lane, its slices
        for (int l = 0; l < n; l++) work.add(new ArrayList<>());
        for (var e : params.entrySet()) {
            double[] p = e.getValue(), grad = gradients.get(e.getKey());
            double[][] st = state(e.getKey());
            int slices = p.length < PARALLEL_FROM / 4 ? 1 : n;
            for (int l = 0; l < slices; l++) {
                Lane lane = lanes.get(l);
                int from = (int) ((long) p.length * l / slices), to = (int) ((long) p.length * (l + 1) / slices);
                work.get(l).add(() -> lane.run(p, grad, st, from, to));
            }
        }
        if (n == 1) work.get(0).forEach(Runnable::run);
        else IntStream.range(0, n).parallel().forEach(l -> work.get(l).forEach(Runnable::run));
    }
}
