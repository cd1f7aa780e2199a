package dev.nnc.runtime.compiled;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.train.Metrics;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The JIT's warm-up while a training's data is read ({@link CompiledModel#warmUp}): runs of one training step of a
 * scratch model of the same generated class — its own parameters, optimizer state and random data, on one thread —
 * until the data is there. The matrix kernels and the generated methods are then compiled by the optimizing JIT
 * before the first epoch, which would otherwise run its first half second or more interpreted and in the JIT's first
 * tier, while the compiler took the cores the epoch was using. The model trained is not touched; neither are the
 * seed's streams, so what a run computes is the same bits with or without a warm-up (the kernels' sums do not depend
 * on what is compiled).
 */
final class WarmUp {
    private WarmUp() {}

    /** The most a warm-up runs, however long the data takes: enough for the JIT to compile a network's hot code. */
    static final long BUDGET_NANOS = 2_000_000_000L;

    static void run(GeneratedNetwork net, int size, BooleanSupplier enough) {
        if (enough.getAsBoolean()) return;
        var scratch = new CompiledModel(net, 1);
        if (scratch.layout().optimizer() == null) return;
        scratch.initialize(1);
        var random = new SplittableRandom(1);
        Map<String, double[]> columns = new HashMap<>();
        for (TensorInfo t : scratch.signature().inputs()) {
            double[] c = new double[size * t.size()];
            for (int k = 0; k < c.length; k++) c[k] = random.nextDouble();
            columns.put(t.name(), c);
        }
        for (TensorInfo t : scratch.signature().targets()) { // a class label (one-hot), or 0 or 1: what any loss reads
            double[] c = new double[size * t.size()];
            for (int s = 0; s < size; s++) c[s * t.size() + (t.size() == 1 ? 0 : random.nextInt(t.size()))] = t.size() == 1 ? random.nextInt(2) : 1;
            columns.put(t.name(), c);
        }
        scratch.keep(new Batch(size, columns), Metrics.Task.OTHER);
        int[] order = new int[size];
        for (int k = 0; k < size; k++) order[k] = k;
        double[] factor = {1};
        long end = System.nanoTime() + BUDGET_NANOS;
        while (!enough.getAsBoolean() && System.nanoTime() < end) {
            if (scratch.run(order, size, 0, 1, factor).stopped()) return;
        }
    }
}
