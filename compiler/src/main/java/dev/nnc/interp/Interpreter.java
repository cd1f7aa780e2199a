package dev.nnc.interp;

import dev.nnc.check.ParamInit;
import dev.nnc.ir.Cost;
import dev.nnc.ir.Def;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Initializer;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.compiled.Pool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The reference interpreter: runs a graph in double precision, one sample at a time, exactly as the IR
 * says — the oracle every backend is tested against. The mean loss of a batch and its gradient with
 * respect to every parameter come from the derived backward defs; nothing here knows a derivative.
 *
 * <p>A batch is cut into chunks of {@value #CHUNK} samples, fixed whatever the number of threads. A chunk
 * runs its samples in order on one worker (a {@link Machine} with its own values and adjoints, reading the
 * shared parameters) and sums their losses and gradients; the chunk sums are then added in chunk order. So
 * the result is the same to the bit for any number of threads, and for a batch of at most one chunk it is
 * the plain sum over the samples in order. Each per-sample gradient is added straight into its chunk's sum
 * as its def computes it (same additions, no per-sample gradient tensor), unless something reads it.
 *
 * <p>After {@link #loss}, {@link #lossAndGradients} or {@link #predictAll}, {@link #values(String)} of a
 * tensor that is not a parameter shows some sample of the batch, not necessarily the last, and gradient
 * tensors added straight into the sums are not stored at all; {@link #predict} and {@link #firstNonFinite}
 * leave their values as they run. Parameters are the live arrays {@link #values(String)} returns, shared
 * by every worker: write them in place, between runs. One interpreter serves one caller at a time.
 */
public final class Interpreter {
    /** Samples per chunk: the unit of parallel work, and of the order the batch sums are taken in. */
    public static final int CHUNK = 8;
    /** Below this many element operations a batch runs on the calling thread (the result is the same). */
    private static final long PARALLEL_WORK = 200_000;

    private final Graph graph;
    private final boolean fastPaths;
    /** The live parameter arrays, shared by every worker. */
    private final Map<Tensor, double[]> params = new IdentityHashMap<>();
    /** Where each parameter's gradient lies in a chunk's flat gradient sum. */
    private final Map<Tensor, Integer> gradientOffsets = new IdentityHashMap<>();
    private final int gradientSize;
    /** Gradient tensors added into the sums as their defs compute them, by the parameter's offset. */
    private final Map<Tensor, Integer> direct = new IdentityHashMap<>();
    /** Element operations per sample, roughly: whether a batch is worth spreading over threads. */
    private final long work;
    /** Worker 0 is the machine {@link #values}, {@link #predict} and {@link #firstNonFinite} use. */
    private final List<Worker> workers = new ArrayList<>();
    private int threads = Runtime.getRuntime().availableProcessors();
    private final List<double[]> chunkSums = new ArrayList<>();

    public Interpreter(Graph graph) { this(graph, true); }

    /**
     * @param fastPaths whether the machines use their fast paths and add gradients straight into the sums;
     *                  off, only the general closures run (the definition the fast paths are tested against)
     */
    public Interpreter(Graph graph, boolean fastPaths) {
        this.graph = graph;
        this.fastPaths = fastPaths;
        int offset = 0;
        for (Tensor p : graph.params()) {
            gradientOffsets.put(p, offset);
            offset += p.size();
        }
        this.gradientSize = offset;
        if (fastPaths) {
            Set<Tensor> summed = graph.summedDirectly();
            for (var e : graph.gradients().entrySet()) {
                if (summed.contains(e.getValue())) direct.put(e.getValue(), gradientOffsets.get(e.getKey()));
            }
        }
        long w = 0;
        for (Def d : graph.defs()) w += (long) d.tensor().size() * Cost.of(d.body());
        this.work = Math.max(1, w);
        Worker main = new Worker();
        for (Tensor p : graph.params()) params.put(p, main.machine.storage(p));
        workers.add(main);
    }

    public Graph graph() { return graph; }

    /**
     * How many threads {@link #loss}, {@link #lossAndGradients} and {@link #predictAll} use, at least 1; all
     * available processors unless set. The results do not depend on it.
     */
    public Interpreter threads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, not " + n);
        threads = n;
        return this;
    }

    public int threads() { return threads; }

    /**
     * The live values of a parameter, row-major; writes change the model. For another tensor, its values in
     * the sample last run on the calling thread's machine (see above for which that is).
     */
    public double[] values(String tensor) {
        for (Tensor t : graph.params()) if (t.name.equals(tensor)) return values(t);
        for (Def d : graph.defs()) if (d.tensor().name.equals(tensor)) return values(d.tensor());
        for (Tensor t : graph.inputs()) if (t.name.equals(tensor)) return values(t);
        throw new IllegalArgumentException("no tensor named " + tensor);
    }

    public double[] values(Tensor t) { return workers.get(0).machine.storage(t); }

    /** Draws every parameter from its initializer (he, xavier, normal, …) with this seed. */
    public void initialize(long seed) {
        var random = new SplittableRandom(seed);
        for (Tensor p : graph.params()) Init.fill(params.get(p), p, graph.inits().get(p), random);
    }

    /** The mean loss over the batch. */
    public double loss(Batch batch) {
        int chunks = chunks(batch);
        double[] sums = new double[chunks];
        parallel(chunks, batch.size() * work, (w, c) -> sums[c] = w.chunk(batch, c, null));
        double sum = 0;
        for (double s : sums) sum += s;
        return sum / batch.size();
    }

    /** The mean loss over the batch; fills {@code gradients} (by parameter) with the gradient of that mean. */
    public double lossAndGradients(Batch batch, Map<Tensor, double[]> gradients) {
        for (Tensor p : graph.params()) gradients.computeIfAbsent(p, t -> new double[t.size()]);
        for (double[] g : gradients.values()) Arrays.fill(g, 0);
        int chunks = chunks(batch);
        // chunks run in rounds, so that a huge batch needs only a round's worth of sums at a time; the
        // grouping does not change the order of the additions
        int round = Math.max(8, 2 * threads);
        double sum = 0;
        for (int first = 0; first < chunks; first += round) {
            int count = Math.min(round, chunks - first), from = first;
            while (chunkSums.size() < count) chunkSums.add(new double[gradientSize]);
            double[] losses = new double[count];
            parallel(count, (long) Math.min(batch.size() - first * CHUNK, count * CHUNK) * work,
                    (w, c) -> losses[c] = w.chunk(batch, from + c, chunkSums.get(c)));
            for (double l : losses) sum += l;
            combine(count, gradients);
        }
        double n = batch.size();
        for (double[] g : gradients.values()) for (int k = 0; k < g.length; k++) g[k] /= n;
        return sum / n;
    }

    /** Adds the first {@code count} chunk sums, in chunk order, into each parameter's gradient. */
    private void combine(int count, Map<Tensor, double[]> gradients) {
        final int block = 1 << 14;
        List<int[]> pieces = new ArrayList<>(); // parameter number, from, to
        for (int p = 0; p < graph.params().size(); p++) {
            int size = graph.params().get(p).size();
            for (int from = 0; from < size; from += block) pieces.add(new int[] {p, from, Math.min(size, from + block)});
        }
        parallel(pieces.size(), (long) count * gradientSize, (w, i) -> {
            int[] piece = pieces.get(i);
            Tensor p = graph.params().get(piece[0]);
            double[] g = gradients.get(p);
            int off = gradientOffsets.get(p);
            for (int c = 0; c < count; c++) {
                double[] s = chunkSums.get(c);
                for (int k = piece[1]; k < piece[2]; k++) g[k] += s[off + k];
            }
        });
    }

    /** The outputs for one sample of the batch, by name. */
    public Map<String, double[]> predict(Batch batch, int sample) {
        Worker w = workers.get(0);
        w.forward(batch, sample);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Tensor o : graph.outputs()) out.put(o.name, w.machine.storage(o).clone());
        return out;
    }

    /** Every output for every sample of the batch, by name: sample after sample, each as {@link #predict} gives it. */
    public Map<String, double[]> predictAll(Batch batch) {
        Map<String, double[]> out = new LinkedHashMap<>();
        outputs(batch, out, false);
        return out;
    }

    /**
     * The mean loss over the batch, as {@link #loss} gives it, and every output as {@link #predictAll} gives
     * it, from one forward pass: what evaluating a model on labelled data needs.
     */
    public double lossAndOutputs(Batch batch, Map<String, double[]> out) { return outputs(batch, out, true) / batch.size(); }

    private double outputs(Batch batch, Map<String, double[]> out, boolean withLoss) {
        for (Tensor o : graph.outputs()) out.put(o.name, new double[batch.size() * o.size()]);
        int chunks = chunks(batch);
        double[] sums = new double[chunks];
        parallel(chunks, batch.size() * work, (w, c) -> {
            double total = 0;
            double[] loss = w.machine.storage(graph.loss());
            for (int s = c * CHUNK; s < Math.min(batch.size(), (c + 1) * CHUNK); s++) {
                w.forward(batch, s);
                total += loss[0];
                for (Tensor o : graph.outputs()) {
                    System.arraycopy(w.machine.storage(o), 0, out.get(o.name), s * o.size(), o.size());
                }
            }
            sums[c] = total;
        });
        double sum = 0;
        for (double v : sums) sum += v;
        return withLoss ? sum : Double.NaN;
    }

    /**
     * Where the first value that is not finite arises, in words: {@code z_h1[17] in sample 3 of the batch}
     * (subscripts and samples counted from 1, as the source counts). First the parameters ({@code W1[3,5], a
     * parameter}); then sample after sample its inputs and targets, and every def forward then backward, each
     * checked as soon as it is computed; at the end the mean loss and the gradients of the batch
     * ({@code ∂J/∂W1[3,5]}), as {@link #lossAndGradients} computes them. Empty if every value is finite.
     */
    public Optional<String> firstNonFinite(Batch batch) {
        for (Tensor p : graph.params()) {
            int k = nonFinite(params.get(p));
            if (k >= 0) return Optional.of(element(p, k) + ", a parameter");
        }
        Worker w = workers.get(0);
        List<Runnable> backward = w.backwardStored();
        List<Tensor> data = new ArrayList<>(graph.inputs());
        data.addAll(graph.targets());
        for (int s = 0; s < batch.size(); s++) {
            String in = " in sample " + (s + 1) + " of the batch";
            w.load(batch, s);
            for (Tensor t : data) {
                if (!batch.columns().containsKey(t.name)) continue;
                int k = nonFinite(w.machine.storage(t));
                if (k >= 0) return Optional.of(element(t, k) + in);
            }
            for (int d = 0; d < graph.defs().size(); d++) {
                Def def = graph.defs().get(d);
                if (d < graph.forward().size()) w.forward.get(d).run();
                else backward.get(d - graph.forward().size()).run();
                int k = nonFinite(w.machine.storage(def.tensor()));
                if (k >= 0) return Optional.of(element(def.tensor(), k) + in);
            }
        }
        Map<Tensor, double[]> gradients = new LinkedHashMap<>();
        double loss = lossAndGradients(batch, gradients);
        if (!Double.isFinite(loss)) return Optional.of("the mean of " + graph.loss().name + " over the batch");
        return nonFiniteGradient(gradients);
    }

    /** The first element of a batch's gradients that is not finite, named as DIFFERENTIATE names the gradient: {@code ∂J/∂W1[3,5]}. */
    Optional<String> nonFiniteGradient(Map<Tensor, double[]> gradients) {
        for (Tensor p : graph.params()) {
            double[] values = gradients.get(p);
            int k = values == null ? -1 : nonFinite(values);
            Tensor g = graph.gradients().get(p);
            if (k >= 0) return Optional.of(element(g != null ? g : p, k));
        }
        return Optional.empty();
    }

    private static int nonFinite(double[] a) {
        for (int k = 0; k < a.length; k++) if (!Double.isFinite(a[k])) return k;
        return -1;
    }

    /** Element k (row-major) of t as the source writes it: {@code W1[3,5]}, counting from 1. */
    private static String element(Tensor t, int k) { return new TensorInfo(t.name, t.shape).element(k); }

    private static int chunks(Batch batch) { return (batch.size() + CHUNK - 1) / CHUNK; }

    private interface Task {
        void run(Worker w, int i);
    }

    /**
     * Runs tasks 0 … count − 1, each on some worker, on up to {@link #threads} threads (the caller's one of
     * them) when there is enough work: {@code size} element operations in all, roughly.
     */
    private void parallel(int count, long size, Task task) {
        int t = size < PARALLEL_WORK ? 1 : Math.min(threads, count);
        while (workers.size() < t) workers.add(new Worker());
        Pool.run(t, count, (thread, i) -> task.run(workers.get(thread), i));
    }

    /** A machine with the graph compiled on it; the parameters are those of worker 0. */
    private final class Worker {
        final Machine machine = new Machine(fastPaths);
        final List<Runnable> forward = new ArrayList<>();
        final List<Runnable> backward = new ArrayList<>();
        /** The gradients not added straight into the sum: per-sample tensors, and their offsets in it. */
        final List<double[]> stored = new ArrayList<>();
        final List<Integer> storedAt = new ArrayList<>();
        final double[] loss;
        /** The chunk's gradient sum the backward defs add into. */
        double[] sum;
        /** The backward defs each into its own tensor, gradients too: for {@link #firstNonFinite}. */
        private List<Runnable> backwardStored;

        Worker() {
            if (!params.isEmpty()) for (Tensor p : graph.params()) machine.share(p, params.get(p));
            for (Def d : graph.forward()) forward.add(machine.def(d));
            for (Def d : graph.backward()) {
                Integer at = direct.get(d.tensor());
                backward.add(at != null ? machine.accumulate(d, () -> sum, at) : machine.def(d));
            }
            for (var e : graph.gradients().entrySet()) {
                if (direct.containsKey(e.getValue())) continue;
                stored.add(machine.storage(e.getValue()));
                storedAt.add(gradientOffsets.get(e.getKey()));
            }
            loss = machine.storage(graph.loss());
        }

        List<Runnable> backwardStored() {
            if (backwardStored == null) {
                backwardStored = new ArrayList<>();
                for (Def d : graph.backward()) backwardStored.add(machine.def(d));
            }
            return backwardStored;
        }

        void load(Batch batch, int sample) {
            for (List<Tensor> ts : List.of(graph.inputs(), graph.targets())) {
                for (Tensor t : ts) {
                    double[] column = batch.columns().get(t.name);
                    if (column == null) continue; // a prediction needs no targets
                    double[] dest = machine.storage(t);
                    System.arraycopy(column, sample * dest.length, dest, 0, dest.length);
                }
            }
        }

        void forward(Batch batch, int sample) {
            load(batch, sample);
            for (Runnable r : forward) r.run();
        }

        /** The loss summed over chunk c's samples in order; with {@code gradients}, their gradients summed into it. */
        double chunk(Batch batch, int c, double[] gradients) {
            if (gradients != null) Arrays.fill(gradients, 0);
            sum = gradients;
            double total = 0;
            for (int s = c * CHUNK; s < Math.min(batch.size(), (c + 1) * CHUNK); s++) {
                forward(batch, s);
                total += loss[0];
                if (gradients == null) continue;
                for (Runnable r : backward) r.run();
                for (int k = 0; k < stored.size(); k++) {
                    double[] g = stored.get(k);
                    int at = storedAt.get(k);
                    for (int i = 0; i < g.length; i++) gradients[at + i] += g[i];
                }
            }
            sum = null;
            return total;
        }
    }

    /** Parameter initialisation, as docs/language.md §7.2 describes it: the runtime's, so every backend draws the same. */
    static final class Init {
        private Init() {}

        static void fill(double[] a, Tensor p, ParamInit init, SplittableRandom random) { init.runtime().fill(a, p.shape, random); }

        static double gaussian(SplittableRandom random) { return Initializer.gaussian(random); }
    }
}
