package dev.nnc.runtime.cuda;

import dev.nnc.runtime.Batch;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.TensorInfo;
import dev.nnc.runtime.compiled.FlatModel;
import dev.nnc.runtime.train.Metrics;
import dev.nnc.runtime.train.ResidentTraining;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A network compiled for CUDA as a {@link Model}: its parameters, gradients and optimizer state in device memory,
 * its kernels launched in the order the {@link CudaPlan} gives. A batch given through the {@link Model} methods
 * is copied to the device and read in order; a training run ({@link ResidentTraining}) reads its batches from
 * data kept on the device, through the epoch's order, and launches step after step without waiting, as CUDA
 * graphs of {@value #GRAPH_STEPS} steps (unless the system property {@code nnc.cuda.graphs} is false), coming
 * back only at the end of the run for the losses.
 *
 * <p>Parameters are drawn on the host by {@link FlatModel}, as the JVM backend draws them, so a seed gives the same
 * network on every backend.
 */
public final class CudaModel extends FlatModel<Long> implements ResidentTraining {
    /** Training steps captured in one CUDA graph. */
    static final int GRAPH_STEPS = 16;

    private final CudaPlan plan;
    private final Gpu gpu = new Gpu();
    private final Map<String, CUfunc_st> functions = new HashMap<>();
    private final boolean graphs = !"false".equals(System.getProperty("nnc.cuda.graphs"));
    /** cuBLAS for the matrix products ({@code nnc.cuda.gemm=cublas}), or null for the generated kernels. */
    private final Cublas cublas;

    private final long params, gradients, ctl;
    private final long[] states;
    private final long[] work;
    /**
     * Per input or target slot: the rows of a batch given to a Model method, the rows a run keeps, and (for cuBLAS)
     * the batch's rows gathered into one block.
     */
    private final long[] batchData, keptData, gathered;
    private long partials, identity, losses, rates, keptOrder;
    private int capacity, runCapacity, keptRows;
    private final BytePointer control = new BytePointer(ControlBlock.BYTES);
    private final BytePointer batchArgs, runArgs;
    private final PointerPointer<BytePointer> batchParams = new PointerPointer<>(1), runParams = new PointerPointer<>(1);
    private final List<Gpu.Graph> captured = new ArrayList<>();
    private Gpu.Graph oneStep, manySteps;
    private int capturedSize;

    private long lastStatus;

    /**
     * @param image the compiled kernels: a fatbin, cubin or PTX (or, for the tests' host emulation, what its
     *              stand-in driver loads)
     */
    public CudaModel(CudaPlan plan, byte[] image) {
        super(plan.layout());
        this.plan = plan;
        gpu.load(image);
        for (var l : all()) functions.put(l.name(), gpu.function(l.name()));
        String gemm = System.getProperty("nnc.cuda.gemm", "kernels");
        if (!gemm.equals("kernels") && !gemm.equals("cublas")) throw new IllegalArgumentException("nnc.cuda.gemm is kernels or cublas, not " + gemm);
        cublas = gemm.equals("cublas") ? gpu.cublas() : null;
        int b = Gpu.bytes(type);
        params = gpu.alloc((long) size * b, "the parameters");
        gradients = gpu.alloc((long) size * b, "the gradients");
        ctl = gpu.alloc(ControlBlock.BYTES, "the control block");
        states = new long[stateCount()];
        for (int s = 0; s < states.length; s++) states[s] = gpu.alloc((long) size * b, "the optimizer's " + layout.optimizer().states().get(s));
        int slots = layout.slots().size();
        work = new long[slots];
        batchData = new long[slots];
        keptData = new long[slots];
        gathered = new long[slots];
        batchArgs = new BytePointer((long) Argument.BYTES * plan.args().size());
        runArgs = new BytePointer((long) Argument.BYTES * plan.args().size());
        batchParams.put(0, batchArgs);
        runParams.put(0, runArgs);
        ensureRun(1);
        ensureCapacity(64);
        resetState();
    }

    private List<CudaPlan.Launch> all() {
        List<CudaPlan.Launch> out = new ArrayList<>(plan.train());
        out.addAll(plan.predict());
        out.addAll(plan.evaluate());
        if (plan.finish() != null) out.add(plan.finish());
        if (plan.step() != null) out.add(plan.step());
        return out;
    }

    @Override public CudaModel withDiagnosis(BiFunction<Model, Batch, Optional<String>> d) {
        super.withDiagnosis(d);
        return this;
    }

    public CudaPlan plan() { return plan; }

    @Override public String backend() { return "cuda"; }

    // ─── Buffers ───────────────────────────────────────────────────────────────────────────────────

    /** Workspace, partial sums and a batch's rows for {@code n} samples. */
    private void ensureCapacity(int n) {
        if (n <= capacity) return;
        int cap = Math.max(n, 2 * capacity);
        int b = Gpu.bytes(type);
        for (int s = 0; s < layout.slots().size(); s++) {
            var slot = layout.slots().get(s);
            switch (slot.kind()) {
                case WORK -> {
                    gpu.free(work[s]);
                    work[s] = gpu.alloc((long) slot.size() * cap * b, slot.tensor());
                }
                case INPUT, TARGET -> {
                    gpu.free(batchData[s]);
                    batchData[s] = gpu.alloc((long) slot.size() * cap * b, "a batch of " + slot.tensor());
                    if (cublas != null && plan.args().contains(Argument.array(s, slot.kind()))) {
                        gpu.free(gathered[s]);
                        gathered[s] = gpu.alloc((long) slot.size() * cap * b, "a gathered batch of " + slot.tensor());
                    }
                }
                default -> { }
            }
        }
        gpu.free(partials);
        int columns = Math.max(1, Math.max(plan.trainColumns(), plan.evaluateColumns()));
        partials = gpu.alloc((long) blocks(cap) * columns * b, "partial sums");
        gpu.free(identity);
        identity = gpu.alloc(4L * cap, "the batch's order");
        int[] in = new int[cap];
        for (int k = 0; k < cap; k++) in[k] = k;
        gpu.uploadInts(identity, in);
        capacity = cap;
        arguments();
    }

    /** Room for the losses and learning rates of a run of {@code n} batches. */
    private void ensureRun(int n) {
        if (n <= runCapacity) return;
        int cap = Math.max(n, 2 * runCapacity);
        gpu.free(losses);
        gpu.free(rates);
        losses = gpu.alloc(8L * cap, "the batches' losses");
        rates = gpu.alloc(8L * cap, "the learning rates");
        runCapacity = cap;
        arguments();
    }

    private int blocks(int n) { return (n + plan.threads() - 1) / plan.threads(); }

    /** Both argument structs, from the buffers as they are now; graphs captured with the old ones are dropped. */
    private void arguments() {
        if (capacity == 0 || runCapacity == 0) return;
        for (int f = 0; f < plan.args().size(); f++) {
            Argument a = plan.args().get(f);
            batchArgs.putLong((long) Argument.BYTES * f, address(a, false));
            runArgs.putLong((long) Argument.BYTES * f, address(a, true));
        }
        dropGraphs();
    }

    /** The device address an argument holds, for a batch given by the caller or for a run on the kept data. */
    private long address(Argument a, boolean run) {
        int k = a.index();
        return switch (a.kind()) {
            case PARAMETERS -> params;
            case GRADIENTS -> gradients;
            case WORK -> work[k];
            case GATHERED -> gathered[k]; // 0 without cuBLAS: the kernels that read it do not run then
            case DATA -> run ? keptData[k] : batchData[k];
            case STATE -> states[k];
            case ORDER -> run ? keptOrder : identity;
            case PARTIALS -> partials;
            case CONTROL -> ctl;
            case LOSSES -> losses;
            case RATES -> rates;
        };
    }

    private void dropGraphs() {
        for (Gpu.Graph g : captured) g.close();
        captured.clear();
        oneStep = manySteps = null;
    }

    /** Writes the control block: the batch, where it starts in the order, and the step that comes next. */
    private void control(int count, long from, int batchSize, long rows, boolean fuse) {
        control.putLong(ControlBlock.COUNT.offset(), count);
        control.putLong(ControlBlock.FROM.offset(), from);
        control.putLong(ControlBlock.BATCH.offset(), 0);
        control.putLong(ControlBlock.STATUS.offset(), 0);
        control.putLong(ControlBlock.DONE.offset(), 0);
        control.putLong(ControlBlock.FUSE.offset(), fuse ? 1 : 0);
        control.putLong(ControlBlock.SIZE.offset(), batchSize);
        control.putLong(ControlBlock.ROWS.offset(), rows);
        control.putDouble(ControlBlock.T.offset(), steps + 1);
        control.putLong(ControlBlock.BAD.offset(), 0);
        gpu.uploadWords(ctl, control, ControlBlock.BYTES);
    }

    /**
     * Whether the run stopped (status, or this step's finish found a value that is not finite and no step has run
     * since), and the batch it is at, after the stream has finished.
     */
    private long[] readControl() {
        gpu.downloadWords(control, ctl, ControlBlock.BYTES);
        return new long[] {control.getLong(ControlBlock.STATUS.offset()) | control.getLong(ControlBlock.BAD.offset()),
                control.getLong(ControlBlock.BATCH.offset())};
    }

    private void upload(Batch batch, boolean targets) {
        int n = batch.size();
        ensureCapacity(n);
        upload(batch, layout.inputs(), signature.inputs(), batchData, n);
        if (targets) upload(batch, layout.targets(), signature.targets(), batchData, n);
    }

    private void upload(Batch batch, List<Integer> slots, List<TensorInfo> infos, long[] into, int n) {
        for (int k = 0; k < slots.size(); k++) {
            double[] c = batch.column(infos.get(k).name());
            int width = infos.get(k).size();
            if (c.length != n * width) {
                throw new IllegalArgumentException(infos.get(k).name() + " has " + c.length + " values for " + n + " samples of " + width);
            }
            gpu.upload(into[slots.get(k)], 0, c, 0, n * width, type);
        }
    }

    private void launch(List<CudaPlan.Launch> ls, int count, PointerPointer<?> args) {
        for (CudaPlan.Launch l : ls) launch(l, count, args);
    }

    /** A kernel; with cuBLAS, a matrix product is cuBLAS's instead, and the gathers it reads run first. */
    private void launch(CudaPlan.Launch l, int count, PointerPointer<?> args) {
        if (l.cublasOnly() && cublas == null) return;
        if (cublas != null && l.gemm() != null) {
            cublas.gemm(type, l.gemm(), count, f -> address(f, false));
            return;
        }
        gpu.launch(functions.get(l.name()), l.gridX(count), l.gridY(count), l.threads(), args, l.name());
    }

    // ─── Parameters and optimizer state ─────────────────────────────────────────────────────────────

    @Override protected Long parameters() { return params; }

    @Override protected Long gradients() { return gradients; }

    @Override protected Long state(int s) { return states[s]; }

    @Override protected double[] read(Long array, int offset, int length) {
        Driver.device();
        return gpu.download(array, offset, length, type);
    }

    @Override protected void write(Long array, int offset, double[] values) {
        Driver.device();
        gpu.upload(array, offset, values, 0, values.length, type);
    }

    @Override protected void fill(Long array, double value) {
        double[] v = new double[size];
        Arrays.fill(v, value);
        write(array, 0, v);
    }

    /** Only after a step whose finish found a value that is not finite: the gradients are read back then alone. */
    @Override protected int firstNonFiniteGradient() {
        if (lastStatus == 0) return -1;
        double[] g = read(gradients, 0, size);
        for (int k = 0; k < g.length; k++) if (!Double.isFinite(g[k])) return k;
        return -1;
    }

    // ─── Batches given by the caller ────────────────────────────────────────────────────────────────

    /** Uploads a caller's batch and launches {@code program} over it, without waiting; returns its samples. */
    private int launchOn(Batch batch, boolean targets, List<CudaPlan.Launch> program) {
        Driver.device();
        int n = batch.size();
        upload(batch, targets);
        control(n, 0, n, n, false);
        launch(program, n, batchParams);
        return n;
    }

    @Override public double lossAndGradients(Batch batch) {
        int n = launchOn(batch, true, plan.train());
        if (plan.finish() != null) launch(plan.finish(), n, batchParams);
        gpu.synchronize();
        lastStatus = readControl()[0];
        haveGradients = true;
        return gpu.downloadDoubles(losses, 1)[0] / n;
    }

    @Override public void step(double rateScale) {
        requireOptimizer();
        Driver.device();
        gpu.uploadDoubles(rates, new double[] {layout.optimizer().rate() * rateScale});
        control(0, 0, 0, 0, false);
        launch(plan.step(), 0, batchParams);
        steps++;
    }

    @Override public Map<String, double[]> predict(Batch batch) {
        int n = launchOn(batch, false, plan.predict());
        gpu.synchronize();
        return outputs(n);
    }

    private Map<String, double[]> outputs(int n) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int k = 0; k < layout.outputs().size(); k++) {
            TensorInfo info = signature.outputs().get(k);
            out.put(info.name(), gpu.download(work[layout.outputs().get(k)], 0, n * info.size(), type));
        }
        return out;
    }

    @Override public double loss(Batch batch) { return evaluate(batch); }

    @Override public double lossAndPredict(Batch batch, Map<String, double[]> outputs) {
        double loss = evaluate(batch);
        outputs.putAll(outputs(batch.size()));
        return loss;
    }

    /** The evaluation program; the mean loss from its partial sums, added on the host in block order. */
    private double evaluate(Batch batch) {
        int n = launchOn(batch, true, plan.evaluate());
        gpu.synchronize();
        int columns = Math.max(1, plan.evaluateColumns()), rows = blocks(n);
        double[] p = gpu.download(partials, 0, rows * columns, type);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += p[r * columns + plan.lossColumn()];
        return sum / n;
    }

    // ─── Runs of steps on kept data ─────────────────────────────────────────────────────────────────

    @Override public void keep(Batch data, Metrics.Task task) { // a GPU run scores no batch: the trainer evaluates again
        Driver.device();
        int n = data.size();
        for (long p : keptData) gpu.free(p);
        Arrays.fill(keptData, 0);
        gpu.free(keptOrder);
        upload(data, layout.inputs(), signature.inputs(), allocateKept(layout.inputs(), n), n);
        upload(data, layout.targets(), signature.targets(), allocateKept(layout.targets(), n), n);
        keptOrder = gpu.alloc(4L * Math.max(1, n), "the epoch's order");
        keptRows = n;
        arguments();
    }

    private long[] allocateKept(List<Integer> slots, int n) {
        for (int s : slots) {
            keptData[s] = gpu.alloc((long) layout.slots().get(s).size() * Math.max(1, n) * Gpu.bytes(type), "the training data's " + layout.slots().get(s).tensor());
        }
        return keptData;
    }

    @Override public Run run(int[] order, int batchSize, int first, int last, double[] factors) {
        requireOptimizer();
        if (order.length != keptRows) throw new IllegalArgumentException("the order has " + order.length + " rows, the kept data " + keptRows);
        Driver.device();
        int n = last - first;
        ensureCapacity(batchSize);
        ensureRun(n);
        gpu.uploadInts(keptOrder, order); // every run: a caller may reuse the array (4 bytes a sample, a twentieth of an epoch's work)
        double[] r = new double[n];
        for (int k = 0; k < n; k++) r[k] = layout.optimizer().rate() * factors[k];
        gpu.uploadDoubles(rates, r);
        long from = (long) first * batchSize;
        control((int) Math.min(batchSize, order.length - from), from, batchSize, order.length, true);
        // cuBLAS's extents are fixed when a product is launched (captured), the kernels read the batch's: with cuBLAS a
        // short last batch runs on its own, outside the graphs
        int lastCount = (int) Math.min(batchSize, order.length - (long) (last - 1) * batchSize);
        int captured = cublas != null && lastCount < batchSize ? n - 1 : n;
        if (graphs) {
            captureFor(batchSize);
            int left = captured;
            for (; left >= GRAPH_STEPS; left -= GRAPH_STEPS) manySteps.launch();
            for (; left > 0; left--) oneStep.launch();
        } else {
            for (int k = 0; k < captured; k++) launchStep(batchSize);
        }
        if (captured < n) launchStep(lastCount);
        gpu.synchronize();
        long[] c = readControl();
        boolean stopped = c[0] != 0;
        if (stopped) { // the gradients of the batch that stopped the run are there, for nonFiniteGradient
            haveGradients = true;
            lastStatus = 1;
        }
        int ran = stopped ? (int) c[1] + 1 : n;
        steps += stopped ? ran - 1 : n;
        return new Run(gpu.downloadDoubles(losses, ran), null, stopped);
    }

    /**
     * One training step's launches, with grids for full batches (the kernels read the batch's count themselves).
     * With a fused step the training kernel also takes the step; the step kernel is for steps the caller asks for.
     */
    private void launchStep(int batchSize) {
        launch(plan.train(), batchSize, runParams);
        if (plan.fusedStep()) return;
        if (plan.finish() != null) launch(plan.finish(), batchSize, runParams);
        launch(plan.step(), batchSize, runParams);
    }

    private void captureFor(int batchSize) {
        if (oneStep != null && capturedSize == batchSize) return;
        dropGraphs();
        oneStep = gpu.new Graph(() -> launchStep(batchSize));
        manySteps = gpu.new Graph(() -> {
            for (int k = 0; k < GRAPH_STEPS; k++) launchStep(batchSize);
        });
        captured.add(oneStep);
        captured.add(manySteps);
        capturedSize = batchSize;
    }

    @Override public void close() {
        Driver.device();
        dropGraphs();
        if (cublas != null) cublas.close();
        for (long g : gathered) gpu.free(g);
        gpu.free(params);
        gpu.free(gradients);
        gpu.free(ctl);
        for (long s : states) gpu.free(s);
        for (long w : work) gpu.free(w);
        for (long d : batchData) gpu.free(d);
        for (long d : keptData) gpu.free(d);
        gpu.free(partials);
        gpu.free(identity);
        gpu.free(losses);
        gpu.free(rates);
        gpu.free(keptOrder);
        gpu.close();
        control.close();
        batchArgs.close();
        runArgs.close();
        batchParams.close();
        runParams.close();
    }
}
