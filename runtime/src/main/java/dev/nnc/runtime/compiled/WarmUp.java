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
 * scratch model of the same generated class — its own parameters, optimizer state and random data, on the training's threads —
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

    /**
     * The most samples a warm-up batch has: the code compiled is the same for any batch, and a training's batch may be
     * its whole data set, which a scratch copy must not double. A step is also as soon as the warm-up can stop once the
     * data is there, and before C2 has compiled the kernels a step runs the Vector API's Java code: at 256 samples the
     * training started 0.4 s later than at 64 ({@code nnc train samples/mlp.nn --batch 256}: the whole process 4.2 s against
     * 3.7–4.0 with steps of 64).
     */
    static final int MOST_SAMPLES = 64;

    /**
     * The most parameter elements a network warmed up has: a scratch copy holds as many again, with their gradients and
     * optimizer state, and a network this large trains epochs long enough that its first seconds of JIT do not matter.
     */
    static final int MOST_PARAMETERS = 1 << 22;

    /**
     * @param threads the training's: the scratch model splits its batches as the training will, so the code compiled
     *                has taken the same branches (a second slice's sums, a part's rows added to the first slice's), not
     *                branches the JIT would compile as traps, to be compiled again after the first epoch has begun
     */
    static void run(GeneratedNetwork net, int parameters, int threads, int batch, BooleanSupplier enough) {
        if (parameters > MOST_PARAMETERS || enough.getAsBoolean()) return;
        int size = Math.min(batch, MOST_SAMPLES);
        var scratch = new CompiledModel(net, threads);
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
