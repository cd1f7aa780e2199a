package dev.nnc.schedule;

import dev.nnc.ir.Graph;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SCHEDULE for a GPU: the loop programs of {@link Schedule.Options#GPU} (the same blocks as for the CPU, with
 * every sum over the samples in a block of its own), each block mapped onto CUDA threads. The whole batch is one
 * slice. A kernel form says who computes what:
 *
 * <ul>
 *   <li>{@link Kernel.Samples}: a thread per sample runs the block — the notes' network, unrolled, runs entirely in
 *       registers. What a thread adds into fixed elements of gradient sums, and its loss, it keeps in registers;
 *       the threads of each CUDA block then add theirs up (warp shuffles, then shared memory) into a column of
 *       partial sums, one row per CUDA block, which the step's finishing kernel adds up in a fixed order. No
 *       atomics, so a result depends only on the batch.
 *   <li>{@link Kernel.Elements}: a block that is one loop nest writing each element from that element alone (a
 *       bias and activation after a matrix product; a convolution's map, a pool, a solved adjoint — a direct
 *       convolution —, which ELEMENTS APART gives a block of their own) runs a thread per sample and element.
 *   <li>{@link Kernel.SampleSums}: a nest adding per-sample values into a gradient sum (a bias's gradient) runs a
 *       thread per element, the samples split over a few lanes and added in a fixed order.
 *   <li>{@link Kernel.Product}: a tiled matrix product, or cuBLAS, as the runtime is told.
 *   <li>{@link Kernel.Chain}: consecutive products of mid-width layers (weights of at most
 *       {@value #CHAIN_WEIGHTS} elements) and the element-wise work between them, which all compute a sample from
 *       that sample alone, fused into one kernel that takes a tile of {@value #CHAIN_TILE} samples per CUDA block
 *       through every stage — tiny-cuda-nn's fully fused MLP in spirit, for any width, without tensor cores.
 *   <li>{@link Kernel.Clear}: gradient sums that several kernels add into, zeroed first; a sum that one kernel
 *       writes whole is overwritten instead.
 * </ul>
 *
 * A network whose training program is one {@link Kernel.Samples} kernel and whose parameters are few
 * ({@link #FUSED_STEP_LIMIT}) finishes each training step in that kernel: its last CUDA block to finish adds up
 * the partial sums and takes the optimizer's step, so a training step is one launch.
 */
public final class GpuSchedule {
    private GpuSchedule() {}

    /** Threads per CUDA block of the kernels over samples and elements; partial sums are per such block. */
    public static final int THREADS = 256;

    /** The most parameter elements a kernel's last block steps through itself (a thread per element otherwise). */
    public static final int FUSED_STEP_LIMIT = 4096;

    /** The largest weight matrix of a product in a {@link Kernel.Chain} (256 × 256): mid-width layers. */
    public static final int CHAIN_WEIGHTS = 256 * 256;

    /** Samples a CUDA block of a {@link Kernel.Chain} takes through its stages. */
    public static final int CHAIN_TILE = 16;

    /** @param fusedStep whether the training program's one kernel also finishes the step (see the class comment) */
    public record Plan(LoopProgram loops, KernelEntry train, KernelEntry predict, KernelEntry evaluate, boolean fusedStep) {
        public Graph graph() { return loops.graph(); }

        public OptimizerIr optimizer() { return loops.optimizer(); }

        /** Elements of the array of all parameters (and of all gradient sums). */
        public int parameterCount() { return loops.slots().get(LoopProgram.PARAMETERS).size(); }
    }

    /** One entry point (train, predict or evaluate) as kernels in launch order, its partial-sum columns, and where each tensor lives. */
    public record KernelEntry(List<Kernel> kernels, Partials partials, Map<Tensor, Storage> storage) {
        public KernelEntry {
            kernels = List.copyOf(kernels);
            storage = Collections.unmodifiableMap(new LinkedHashMap<>(storage));
        }
    }

    public sealed interface Kernel {
        /**
         * A thread per sample runs {@code body}; {@code accumulators} are the values it sums in registers, each
         * into its partial-sum column. It adds into gradient sums through them alone (checked when the form is chosen).
         */
        record Samples(List<Stmt> body, boolean unrolled, List<Partial> accumulators) implements Kernel {
            public Samples {
                body = List.copyOf(body);
                accumulators = List.copyOf(accumulators);
            }
        }

        /** A thread per sample and element of the nest over {@code vars}: {@code body} writes only that element. */
        record Elements(List<IndexVar> vars, List<Stmt.Assign> body) implements Kernel, Stage, Form {
            public Elements {
                vars = List.copyOf(vars);
                body = List.copyOf(body);
            }

            public long elements() { return Subscripts.count(vars); }
        }

        /**
         * A thread per element of the nest over {@code vars} sums each of {@code adds} over the samples; the
         * {@code overwrite}n ones set their sum rather than add to it (they are its first writer and write it whole).
         */
        record SampleSums(List<IndexVar> vars, List<Stmt.Assign> adds, List<Boolean> overwrite) implements Kernel {
            public SampleSums {
                vars = List.copyOf(vars);
                adds = List.copyOf(adds);
                overwrite = List.copyOf(overwrite);
            }

            public long elements() { return Subscripts.count(vars); }
        }

        record Product(Block.Product product) implements Kernel, Stage, Form {}

        record Clear(List<Tensor> tensors) implements Kernel {
            public Clear { tensors = List.copyOf(tensors); }
        }

        /**
         * Stages that each compute a sample's values from that sample's alone (products over the samples' rows,
         * element-wise nests), run by one kernel: each CUDA block takes {@link #CHAIN_TILE} samples through every
         * stage in turn, with a barrier between stages.
         */
        record Chain(List<Stage> stages) implements Kernel, Form {
            public Chain { stages = List.copyOf(stages); }
        }
    }

    /** What a {@link Kernel.Chain} is made of. */
    public sealed interface Stage permits Kernel.Product, Kernel.Elements {}

    /**
     * A value each thread of a {@link Kernel.Samples} kernel sums in a register, added into partial-sum column
     * {@code column}; {@code first} when no kernel before this one writes that column.
     */
    public record Partial(Accumulator value, int column, boolean first) {}

    /**
     * The partial-sum columns of a program: {@code columns} in all, the loss's {@code lossColumn} (−1 if the
     * program has no loss), and which gradient elements the others belong to.
     */
    public record Partials(int columns, int lossColumn, List<Range> ranges) {
        public Partials { ranges = List.copyOf(ranges); }

        public static final Partials NONE = new Partials(0, -1, List.of());
    }

    /**
     * Elements {@code at} … {@code at + length − 1} of the array of all gradient sums take partial columns
     * {@code column} … {@code column + length − 1}; {@code alone}: nothing else writes them, so their sum is the
     * columns' alone (otherwise the columns are added to what the other kernels wrote).
     */
    public record Range(int at, int column, int length, boolean alone) {}

    public static Plan of(Graph g, OptimizerIr optimizer) { return of(g, optimizer, Schedule.Options.GPU, true); }

    /**
     * SCHEDULE for a GPU as a flat list of passes: SCHEDULE's own on {@link Schedule.Target#GPU} (→ loop programs),
     * then for each program FORMS (blocks → kernel forms, {@link Form}), CHAINS, COLUMNS and CLEARS (→ kernels,
     * {@link PartialSums}); then FUSED STEP for the plan.
     *
     * @param chains whether to fuse mid-width layers into {@link Kernel.Chain}s
     */
    public static Plan of(Graph g, OptimizerIr optimizer, Schedule.Options options, boolean chains) {
        LoopProgram loops = Schedule.of(g, optimizer, options.on(Schedule.Target.GPU));
        KernelEntry train = program(loops, loops.train(), true, chains);
        KernelEntry predict = program(loops, loops.predict(), false, chains);
        KernelEntry evaluate = program(loops, loops.evaluate(), false, chains);
        return new Plan(loops, train, predict, evaluate, fusedStep(loops, train));
    }

    private static KernelEntry program(LoopProgram loops, LoopProgram.Entry p, boolean gradients, boolean chains) {
        List<Form> forms = Form.of(p);
        if (chains) forms = Form.chains(forms, p.storage());
        return PartialSums.of(loops, forms, p.storage(), gradients);
    }

    /** FUSED STEP: the training program is one kernel over samples whose partial columns alone make every gradient. */
    private static boolean fusedStep(LoopProgram loops, KernelEntry train) {
        int parameters = loops.slots().get(LoopProgram.PARAMETERS).size();
        return loops.optimizer() != null && train.kernels().size() == 1 && train.kernels().get(0) instanceof Kernel.Samples
                && parameters <= FUSED_STEP_LIMIT
                && train.partials().ranges().stream().allMatch(Range::alone)
                && train.partials().ranges().stream().mapToInt(Range::length).sum() == parameters;
    }
}
