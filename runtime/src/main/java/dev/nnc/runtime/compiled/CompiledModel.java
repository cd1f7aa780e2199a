package dev.nnc.runtime.compiled;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.ResidentTraining;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * A generated network as a {@link Model}: owns its parameters, gradients and optimizer state, and runs the
 * generated methods over pieces of a batch ({@link Pieces}), which its threads take as they come. All parameters lie
 * in one array, their gradients in another and each optimizer state in one more, so zeroing, averaging and stepping
 * are a few passes over long arrays whether a network has three matrices or thirty scalars. Each piece has its own
 * workspace and gradient sums, added in piece order, and each thread its own scratch; a weight's gradient is summed by
 * rows instead, over the pieces in order ({@link GeneratedNetwork#rows}); all divided by the batch size, so the result
 * depends only on how the batch is cut, which depends only on the batch size and the machine's processors. (The
 * pieces' workspaces are arrays of their own, not rows of one: the kernels and loops on vectors may store past a
 * sample's last element into the next sample's row before that row is computed, harmless in one thread's order of
 * samples and a race between two pieces run at once.)
 */
public final class CompiledModel extends FlatModel<Object> implements ResidentTraining {
    /** Operations per thread's share of a batch below which another thread costs more than it saves. */
    private static final long SLICE_WORK = 400_000;
    private final long sliceWork;

    private final GeneratedNetwork net;
    private final Object params;
    private final Object[] state;
    private final int threads;
    /** Each piece's buffers: the shared parameters and batch columns, its own workspace and gradient sums; the scratch of the thread that runs it. */
    private final List<Piece> pieceBufs = new ArrayList<>();
    /** Each thread's scratch, per slot (null but for scratch slots). */
    private final List<Object[]> scratch = new ArrayList<>();
    /** The last {@link #load}'s pieces ({@link Pieces#cut}) and the threads it runs them on. */
    private int[] cuts = {0, 0};
    private int used = 1;
    private final Object[] columns;
    /** Values a sample of each input and target, as {@code layout.inputs()} and {@code layout.targets()} list them; of the first output. */
    private final int[] inputWidths, targetWidths;
    private final int outputWidth;
    /** What the last {@link #load} was asked for: a batch of the same size needs nothing done again. */
    private int loadedRows = -1;
    private boolean loadedTargets;
    /** The optimizer's arrays as the generated step takes them: parameters, gradients, then each state. */
    private final Object[] stepArrays;
    /** Per-batch scratch, kept so a batch allocates nothing: each piece's result, each part's first non-finite mean. */
    private double[] pieceResults = new double[1];
    private int[] pieceRight = new int[1];
    private final int[] partNonFinite;
    /** For each number of parts, each part's ranges of the gradient ({@link #ranges(Layout, int, int)}), made when first asked for. */
    private final int[][][] ranges;
    /** How many parts the last mean was cut into: the step cuts the same, so each part steps what it computed. */
    private int parts = 1;
    /** The gradient sums the mean adds to the first piece's, for {@link #othersPieces} pieces. */
    private Object[] others = new Object[0];
    private int othersPieces = 1;
    /** The training data a run reads its batches from, per input and target slot, in the network's precision. */
    private Object[] kept;
    private int keptRows;
    private Metrics.Task keptTask;

    /** On as many threads as the machine has processors, or as the system property {@code nnc.threads} says. */
    public CompiledModel(GeneratedNetwork net) { this(net, Integer.getInteger("nnc.threads", Runtime.getRuntime().availableProcessors())); }

    /** @param threads the most threads a batch is split over */
    public CompiledModel(GeneratedNetwork net, int threads) { this(net, threads, SLICE_WORK); }

    /** @param sliceWork the fewest operations a thread's share of a batch has (tests split small batches with 1) */
    public CompiledModel(GeneratedNetwork net, int threads, long sliceWork) {
        super(Layout.parse(net.layout()));
        this.sliceWork = Math.max(1, sliceWork);
        this.net = net;
        this.threads = Math.max(1, threads);
        params = Arrays.allocate(type, size);
        state = new Object[stateCount()];
        for (int s = 0; s < state.length; s++) state[s] = Arrays.allocate(type, size);
        columns = new Object[layout.slots().size()];
        resetState();
        pieceBufs.add(new Piece());
        inputWidths = signature.inputs().stream().mapToInt(TensorInfo::size).toArray();
        targetWidths = signature.targets().stream().mapToInt(TensorInfo::size).toArray();
        outputWidth = signature.outputs().get(0).size();
        stepArrays = new Object[2 + state.length];
        stepArrays[0] = params;
        stepArrays[1] = pieceBufs.get(0).gradients();
        System.arraycopy(state, 0, stepArrays, 2, state.length);
        partNonFinite = new int[this.threads];
        ranges = new int[this.threads + 1][][];
    }

    /** A model of the generated class {@code className}, found by {@code loader}. */
    public static CompiledModel load(ClassLoader loader, String className) throws ReflectiveOperationException {
        var c = Class.forName(className, true, loader).asSubclass(GeneratedNetwork.class);
        return new CompiledModel(c.getDeclaredConstructor().newInstance());
    }

    @Override public CompiledModel withDiagnosis(BiFunction<Model, Batch, Optional<String>> d) {
        super.withDiagnosis(d);
        return this;
    }

    /** A piece's buffers. */
    private final class Piece {
        final Object[] buf = new Object[layout.slots().size()];
        /** As buf, with the first piece's gradient sums: what the row products read of this piece and write to. */
        Object[] rows;
        int capacity;

        Piece() {
            buf[layout.parameters()] = params;
            buf[layout.gradients()] = Arrays.allocate(type, size + Arrays.SLACK);
        }

        /** Workspace for {@code n} samples; the batch's inputs and targets. */
        void prepare(int n) {
            if (n > capacity) {
                capacity = Math.max(n, 2 * capacity);
                for (int s = 0; s < buf.length; s++) {
                    if (layout.slots().get(s).kind() == Layout.Kind.WORK) buf[s] = Arrays.allocate(type, layout.slots().get(s).size() * capacity + Arrays.SLACK);
                }
            }
            for (int s : layout.inputs()) buf[s] = columns[s];
            for (int s : layout.targets()) buf[s] = columns[s];
            rows = buf.clone();
            rows[layout.gradients()] = pieceBufs.get(0).gradients();
        }

        Object gradients() { return buf[layout.gradients()]; }

        /** The buffers, with thread h's scratch (made by {@link #load}, before the threads start). */
        Object[] on(int h) {
            Object[] own = scratch.get(h);
            for (int s = 0; s < buf.length; s++) if (own[s] != null) buf[s] = own[s];
            return buf;
        }
    }

    @Override public String backend() { return "jvm"; }

    @Override protected Object parameters() { return params; }

    @Override protected Object gradients() { return pieceBufs.get(0).gradients(); }

    @Override protected Object state(int s) { return state[s]; }

    @Override protected double[] read(Object array, int offset, int length) {
        double[] v = new double[length];
        Arrays.get(array, offset, v, 0, length);
        return v;
    }

    @Override protected void write(Object array, int offset, double[] values) { Arrays.set(array, offset, values, values.length); }

    @Override protected void fill(Object array, double value) { Arrays.fill(array, value); }

    @Override protected int firstNonFiniteGradient() { return Arrays.nonFinite(gradients()); }

    // ─── Running the generated methods over pieces of a batch ──────────────────────────────────────

    /**
     * Makes room for a batch of {@code n} samples' columns in the network's precision, and cuts it into pieces for as
     * many threads as it is worth ({@link #sliceWork} operations each at least), each with room for its samples.
     */
    private void load(int n, boolean targets) {
        if (n == loadedRows && targets == loadedTargets) return;
        allocate(n, layout.inputs(), inputWidths);
        if (targets) allocate(n, layout.targets(), targetWidths);
        used = (int) Math.max(1, Math.min(Math.min(threads, n), (long) n * layout.work() / sliceWork));
        cuts = Pieces.cut(n, used);
        int pieces = cuts.length - 1;
        while (pieceBufs.size() < pieces) pieceBufs.add(new Piece());
        while (scratch.size() < used) {
            Object[] own = new Object[layout.slots().size()];
            for (int s = 0; s < own.length; s++) {
                if (layout.slots().get(s).kind() == Layout.Kind.SCRATCH) own[s] = Arrays.allocate(type, layout.slots().get(s).size() + Arrays.SLACK);
            }
            scratch.add(own);
        }
        for (int p = 0; p < pieces; p++) pieceBufs.get(p).prepare(cuts[p + 1] - cuts[p]);
        if (pieceResults.length < pieces) {
            pieceResults = new double[pieces];
            pieceRight = new int[pieces];
        }
        loadedRows = n;
        loadedTargets = targets;
    }

    private void allocate(int n, List<Integer> slots, int[] widths) {
        for (int k = 0; k < slots.size(); k++) {
            int s = slots.get(k), length = n * widths[k];
            if (columns[s] == null || Arrays.length(columns[s]) < length) columns[s] = Arrays.allocate(type, length + Arrays.SLACK);
        }
    }

    /** Converts rows from … to − 1 of the batch's columns: each piece its own rows, on the thread that runs it. */
    private void convert(Batch batch, boolean targets, int from, int to) {
        convert(batch, layout.inputs(), signature.inputs(), from, to);
        if (targets) convert(batch, layout.targets(), signature.targets(), from, to);
    }

    private void convert(Batch batch, List<Integer> slots, List<TensorInfo> infos, int from, int to) {
        for (int k = 0; k < slots.size(); k++) {
            int width = infos.get(k).size();
            double[] c = batch.column(infos.get(k).name());
            Arrays.set(columns[slots.get(k)], from * width, c, from * width, (to - from) * width);
        }
    }

    private interface PieceTask {
        /** Runs on piece {@code p}, samples {@code from} … {@code to} − 1 of the batch, with the piece's buffers and the running thread's scratch. */
        double run(int p, Object[] buf, int from, int to);
    }

    /** Runs the task on every piece of the loaded batch, the threads taking them as they come; the sum of the results, in piece order. */
    private double pieces(PieceTask task) {
        int pieces = cuts.length - 1;
        if (pieces == 1) return task.run(0, pieceBufs.get(0).on(0), cuts[0], cuts[1]);
        Pool.run(used, pieces, (thread, p) -> pieceResults[p] = task.run(p, pieceBufs.get(p).on(thread), cuts[p], cuts[p + 1]));
        double sum = 0;
        for (int p = 0; p < pieces; p++) sum += pieceResults[p];
        return sum;
    }

    /** As {@link #pieces(PieceTask)}, each piece's rows of {@code batch} converted first. */
    private double pieces(Batch batch, boolean targets, PieceTask task) {
        return pieces((p, buf, from, to) -> {
            convert(batch, targets, from, to);
            return task.run(p, buf, from, to);
        });
    }

    @Override public double loss(Batch batch) {
        load(batch.size(), true);
        return pieces(batch, true, (p, buf, from, to) -> net.evaluate(buf, from, to)) / batch.size();
    }

    @Override public double lossAndGradients(Batch batch) {
        load(batch.size(), true);
        double sum = pieces(batch, true, (p, buf, from, to) -> net.train(buf, from, to));
        mean(batch.size());
        return sum / batch.size();
    }

    /**
     * The batch's mean gradient, into the first piece's gradient sums, each part of the gradient on its own thread (see
     * {@link #ranges}): its rows of the row products over every piece's samples, piece after piece, and its share of
     * the pieces' own sums added; all over n. Returns the first element of the mean that is not finite, or −1.
     */
    private int mean(int n) {
        int pieces = cuts.length - 1;
        if (othersPieces != pieces) {
            others = new Object[pieces - 1];
            for (int p = 1; p < pieces; p++) others[p - 1] = pieceBufs.get(p).gradients();
            othersPieces = pieces;
        }
        haveGradients = true;
        // as many parts as threads: a batch worth that many threads for its samples is worth as many for its gradient
        parts = used;
        int[][] cut = ranges(parts); // made here, before the hand-off publishes it to the helpers
        if (parts == 1) return mean(n, pieces, 0, cut[0]);
        Pool.run(parts, part -> partNonFinite[part] = mean(n, pieces, part, cut[part]));
        return first(partNonFinite, parts);
    }

    /** Part {@code part} of {@link #parts} of the mean, whose ranges are r. */
    private int mean(int n, int pieces, int part, int[] r) {
        Object mean = pieceBufs.get(0).gradients();
        for (int p = 0; p < pieces; p++) net.rows(pieceBufs.get(p).rows, cuts[p], cuts[p + 1], part, parts, p > 0);
        int first = -1;
        for (int k = 0; k < r.length; k += 3) first = earlier(first, Arrays.mean(mean, others, r[k + 2] == ROWS ? 0 : pieces - 1, n, r[k], r[k + 1]));
        return first;
    }

    private static int earlier(int a, int b) { return a < 0 ? b : b < 0 ? a : Math.min(a, b); }

    private static int first(int[] nonFinite, int count) {
        int first = -1;
        for (int k = 0; k < count; k++) first = earlier(first, nonFinite[k]);
        return first;
    }

    /** What a range of {@link #ranges} holds: rows of a row product's sum, or sums each piece has of its own. */
    private static final int ROWS = 0, SLICES = 1;

    /**
     * Each part's ranges of the gradient sums, as triples (from, to, {@link #ROWS} or {@link #SLICES}). Part p has rows {@link GeneratedNetwork#rowFrom}{@code (m, p,
     * parts)} … of each row product, and its share of the elements the row products do not set (biases, say), by
     * count. The same part computes a range's mean and then steps it, so the gradient it reads is still in its core's
     * cache, and the step needs no other partition.
     */
    private int[][] ranges(int parts) {
        if (ranges[parts] == null) ranges[parts] = ranges(layout, size, parts);
        return ranges[parts];
    }

    private static int[][] ranges(Layout layout, int size, int parts) {
        List<Layout.Rows> rows = layout.rows().stream().sorted(Comparator.comparingInt(Layout.Rows::offset)).toList();
        List<int[]> rest = new ArrayList<>();
        int at = 0;
        long total = 0;
        for (Layout.Rows r : rows) {
            if (r.offset() > at) rest.add(new int[] {at, r.offset()});
            at = r.offset() + r.rows() * r.width();
        }
        if (size > at) rest.add(new int[] {at, size});
        for (int[] run : rest) total += run[1] - run[0];
        int[][] out = new int[parts][];
        for (int part = 0; part < parts; part++) {
            List<Integer> triples = new ArrayList<>();
            for (Layout.Rows r : rows) {
                int from = GeneratedNetwork.rowFrom(r.rows(), part, parts), to = GeneratedNetwork.rowFrom(r.rows(), part + 1, parts);
                if (from < to) triples.addAll(List.of(r.offset() + from * r.width(), r.offset() + to * r.width(), ROWS));
            }
            long share = total * part / parts, end = total * (part + 1) / parts, seen = 0;
            for (int[] run : rest) {
                long from = Math.max(share, seen), to = Math.min(end, seen + run[1] - run[0]);
                if (from < to) triples.addAll(List.of(run[0] + (int) (from - seen), run[0] + (int) (to - seen), SLICES));
                seen += run[1] - run[0];
            }
            out[part] = triples.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    @Override public void step(double rateScale) {
        requireOptimizer();
        steps++;
        double t = steps, rate = layout.optimizer().rate() * rateScale;
        int[][] cut = ranges(parts);
        if (parts == 1) step(cut[0], t, rate);
        else Pool.run(parts, part -> step(cut[part], t, rate));
    }

    /** The step over one part's ranges. */
    private void step(int[] r, double t, double rate) {
        for (int k = 0; k < r.length; k += 3) net.step(stepArrays, r[k], r[k + 1], t, rate);
    }

    // ─── Training on kept data ──────────────────────────────────────────────────────────────────────

    @Override public void warmUp(int batch, BooleanSupplier enough) { WarmUp.run(net, size, threads, batch, enough); }

    @Override public void keep(Batch data, Metrics.Task task) {
        kept = new Object[layout.slots().size()];
        keep(data, layout.inputs(), signature.inputs());
        keep(data, layout.targets(), signature.targets());
        keptRows = data.size();
        keptTask = Metrics.scored(task, signature);
    }

    private void keep(Batch data, List<Integer> slots, List<TensorInfo> infos) {
        for (int k = 0; k < slots.size(); k++) {
            double[] c = data.column(infos.get(k).name());
            Object a = Arrays.allocate(type, Math.max(1, c.length));
            // Fashion-MNIST's 47M values take a core a tenth of a second, before the first epoch
            Pool.ranges(c.length, (from, to) -> Arrays.set(a, from, c, from, to - from));
            kept[slots.get(k)] = a;
        }
    }

    /**
     * Each batch's rows are copied from the kept data (already in the network's precision) straight into the batch
     * columns, each piece its own rows on the thread that runs it; the same conversion {@link #lossAndGradients} makes from a
     * {@link Batch}, done once, so the two give the same bits.
     */
    @Override public Run run(int[] order, int size, int first, int last, double[] factors) {
        requireOptimizer();
        if (kept == null || order.length != keptRows) throw new IllegalArgumentException("the order has " + order.length + " rows, the kept data " + keptRows);
        double[] losses = new double[last - first];
        int[] right = new int[last - first];
        for (int b = first; b < last; b++) {
            int start = b * size, n = Math.min(order.length, start + size) - start;
            load(n, true);
            double loss = pieces((p, buf, from, to) -> trainKept(p, buf, order, start, from, to));
            int nonFinite = mean(n);
            losses[b - first] = loss;
            for (int p = 0; p < cuts.length - 1; p++) right[b - first] += pieceRight[p];
            if (!Double.isFinite(loss) || nonFinite >= 0) {
                int ran = b - first + 1;
                return new Run(java.util.Arrays.copyOf(losses, ran), java.util.Arrays.copyOf(right, ran), true);
            }
            step(factors[b - first]);
        }
        return new Run(losses, right, false);
    }

    /** Piece p of a batch from the kept data: its rows gathered, trained on and scored (into {@link #pieceRight}); its summed loss. */
    private double trainKept(int p, Object[] buf, int[] order, int start, int from, int to) {
        gather(order, start, from, to, layout.inputs(), inputWidths);
        gather(order, start, from, to, layout.targets(), targetWidths);
        double loss = net.train(buf, from, to);
        pieceRight[p] = keptTask == Metrics.Task.OTHER ? 0
                : Arrays.right(buf[layout.outputs().get(0)], buf[layout.targets().get(0)], from, to, outputWidth);
        return loss;
    }

    /** Rows order[start + from] … order[start + to − 1] of the kept data into rows from … to − 1 of the batch columns. */
    private void gather(int[] order, int start, int from, int to, List<Integer> slots, int[] widths) {
        for (int k = 0; k < slots.size(); k++) {
            int s = slots.get(k);
            Arrays.gather(kept[s], columns[s], widths[k], order, start, from, to);
        }
    }

    @Override public Map<String, double[]> predict(Batch batch) {
        Map<String, double[]> out = new LinkedHashMap<>();
        load(batch.size(), false);
        pieces(batch, false, (p, buf, from, to) -> {
            net.predict(buf, from, to);
            return 0;
        });
        collect(batch.size(), out);
        return out;
    }

    @Override public double lossAndPredict(Batch batch, Map<String, double[]> out) {
        load(batch.size(), true);
        double loss = pieces(batch, true, (p, buf, from, to) -> net.evaluate(buf, from, to)) / batch.size();
        collect(batch.size(), out);
        return loss;
    }

    /** Every output from the pieces' workspaces, batch-major. */
    private void collect(int n, Map<String, double[]> out) {
        for (int k = 0; k < layout.outputs().size(); k++) {
            TensorInfo info = signature.outputs().get(k);
            int s = layout.outputs().get(k), width = info.size();
            double[] values = new double[n * width];
            for (int p = 0; p < cuts.length - 1; p++) Arrays.get(pieceBufs.get(p).buf[s], 0, values, cuts[p] * width, (cuts[p + 1] - cuts[p]) * width);
            out.put(info.name(), values);
        }
    }
}
