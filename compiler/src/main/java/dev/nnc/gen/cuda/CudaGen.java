package dev.nnc.gen.cuda;

import dev.nnc.ir.OptimizerIr;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.cuda.Argument;
import dev.nnc.runtime.cuda.ControlBlock;
import dev.nnc.runtime.cuda.CudaPlan.Gemm;
import dev.nnc.schedule.GpuSchedule.Kernel;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.LoopProgram;
import dev.nnc.schedule.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * GENERATE for CUDA: a {@link GpuSchedule.Plan} as one self-contained CUDA C translation unit that nvcc (or
 * NVRTC) compiles on its own, and the launch sequence the runtime runs it by. Every kernel takes one argument,
 * {@code nnc_args}: a pointer per array (by slot), the data the batch's rows are read from, the partial sums,
 * the control block and the optimizer's state — the same for every kernel, so the runtime packs it once (its
 * fields are {@link Argument}s, the control block's layout is {@link ControlBlock}: the runtime's). What
 * changes between steps (the batch, the step number) is read from the control block in device memory, so a
 * captured launch sequence can run step after step.
 *
 * <p>The kernels of a program run in order on one stream; after the training program, {@code finish} turns
 * the gradient sums and partial sums into the batch mean (and stops the run if one is not finite), and
 * {@code step} takes the optimizer's step, its last CUDA block advancing the control block to the next batch.
 * With {@link GpuSchedule.Plan#fusedStep} the training program's one kernel does both in its last block.
 */
public final class CudaGen {
    private CudaGen() {}

    /** One grid extent: ⌈(samples · count + fixed) / per⌉ CUDA blocks, count being the batch's samples. */
    public record Dim(long samples, long fixed, long per) {
        public static final Dim ONE = new Dim(0, 1, 1);

        public long of(int count) { return Math.max(1, (samples * count + fixed + per - 1) / per); }
    }

    /**
     * A kernel launch: its name, its form (for listings), its grid and its threads per CUDA block. A matrix
     * product says what it computes ({@code gemm}), so that the runtime can have cuBLAS compute it instead; a
     * gather runs only then ({@code cublasOnly}).
     */
    public record Launch(String name, String form, Dim x, Dim y, int threads, Gemm gemm, boolean cublasOnly) {
        Launch(String name, String form, Dim x, Dim y, int threads) { this(name, form, x, y, threads, null, false); }
    }

    /**
     * @param args the fields of {@code nnc_args} in order
     * @param finish null when the training kernel finishes the step itself, or without an optimizer
     */
    public record Cuda(String source, List<Argument> args, List<Launch> train, List<Launch> predict, List<Launch> evaluate,
                       Launch finish, Launch step) {
        public Cuda {
            args = List.copyOf(args);
            train = List.copyOf(train);
            predict = List.copyOf(predict);
            evaluate = List.copyOf(evaluate);
        }
    }

    public static Cuda generate(GpuSchedule.Plan plan, DType precision) {
        return new Writer(plan, precision == DType.F32 ? "float" : "double").write();
    }

    private static final class Writer {
        final GpuSchedule.Plan plan;
        final LoopProgram loops;
        final String real;
        final StringBuilder kernels = new StringBuilder();
        final List<Argument> args = new ArrayList<>();
        final List<String> entries = new ArrayList<>();
        final Kernels forms;
        /** Input and target slots with a gathered copy of the batch (for cuBLAS): their {@code s} argument. */
        final Set<Integer> gathered = new TreeSet<>();

        Writer(GpuSchedule.Plan plan, String real) {
            this.plan = plan;
            this.loops = plan.loops();
            this.real = real;
            this.forms = new Kernels(kernels, plan.parameterCount());
        }

        Cuda write() {
            List<Launch> train = program("train", plan.train(), plan.fusedStep());
            List<Launch> predict = program("predict", plan.predict(), false);
            List<Launch> evaluate = program("evaluate", plan.evaluate(), false);
            var argStruct = arguments();
            Launch finish = null, step = null;
            OptimizerIr o = plan.optimizer();
            var functions = new StringBuilder();
            if (o != null) {
                var end = new StepCode(plan, kernels, entries);
                end.finishFunctions(functions);
                end.stepFunctions(o, functions);
                if (!plan.fusedStep()) finish = end.finishKernel();
                step = end.stepKernel();
            }
            var out = new StringBuilder();
            header(out, train, predict, evaluate, finish, step);
            out.append("typedef ").append(real).append(" real;\n\n").append(prelude()).append('\n').append(argStruct).append('\n');
            out.append(functions).append(kernels);
            out.append("#ifdef NNC_HOST\n// entry points for nnc's host emulation of CUDA (the tests' stand-in for a GPU)\n");
            for (String e : entries) out.append("NNC_HOST_KERNEL(").append(e).append(")\n");
            out.append("NNC_HOST_ARGS\n#endif\n");
            return new Cuda(out.toString(), args, train, predict, evaluate, finish, step);
        }

        private void header(StringBuilder out, List<Launch> train, List<Launch> predict, List<Launch> evaluate, Launch finish, Launch step) {
            out.append("// ").append(plan.graph().name()).append(": generated by nnc, ").append(real).append('\n');
            out.append("// arrays by slot: ");
            for (int k = 0; k < loops.slots().size(); k++) {
                var s = loops.slots().get(k);
                out.append(k == 0 ? "" : ", ").append(k).append(' ').append(s.tensor().name).append(" (").append(s.kind().name().toLowerCase()).append(')');
            }
            out.append("\n// kernels in launch order, with their threads (count: the batch's samples):\n");
            launches(out, "train", train);
            if (finish != null || step != null) {
                List<Launch> rest = new ArrayList<>();
                if (finish != null) rest.add(finish);
                if (step != null) rest.add(step);
                launches(out, "then", rest);
            }
            if (plan.fusedStep()) out.append("//   (train_0's last CUDA block finishes the step: the batch mean, the finiteness check, the optimizer)\n");
            launches(out, "predict", predict);
            launches(out, "evaluate", evaluate);
            out.append('\n');
        }

        private static void launches(StringBuilder out, String name, List<Launch> ls) {
            out.append("//   ").append(name).append(":\n");
            for (Launch l : ls) out.append("//     ").append(l.name()).append(": ").append(l.form()).append("; ").append(threads(l)).append('\n');
        }

        private static String threads(Launch l) {
            String x = extent(l.x()), y = l.y().equals(Dim.ONE) ? "" : " × " + extent(l.y());
            return x + y + (x.equals("1") && y.isEmpty() ? " block of " : " blocks of ") + l.threads();
        }

        private static String extent(Dim d) {
            String n = d.samples() == 0 ? "" : (d.samples() == 1 ? "count" : d.samples() + "·count");
            if (d.fixed() != 0) n = n.isEmpty() ? Long.toString(d.fixed()) : n + " + " + d.fixed();
            return d.per() == 1 ? n : "⌈" + n + "/" + d.per() + "⌉";
        }

        /** The struct every kernel takes, and the list of its fields for the runtime. */
        private String arguments() {
            for (int k = 0; k < loops.slots().size(); k++) {
                args.add(switch (loops.slots().get(k).kind()) {
                    case PARAM -> new Argument(Argument.Kind.PARAMETERS, k);
                    case GRADIENT -> new Argument(Argument.Kind.GRADIENTS, k);
                    case WORK -> new Argument(Argument.Kind.WORK, k);
                    case INPUT, TARGET -> Argument.data(k);
                    case SCRATCH -> throw new IllegalStateException("internal: a GPU's schedule has no scratch (its samples run at once)");
                });
                if (gathered.contains(k)) args.add(new Argument(Argument.Kind.GATHERED, k));
            }
            for (var k : List.of(Argument.Kind.ORDER, Argument.Kind.PARTIALS, Argument.Kind.CONTROL, Argument.Kind.LOSSES, Argument.Kind.RATES)) {
                args.add(new Argument(k));
            }
            OptimizerIr o = plan.optimizer();
            for (int k = 0; o != null && k < o.states().size(); k++) args.add(Argument.state(k));
            var b = new StringBuilder("// every kernel's one argument; every field is " + Argument.BYTES + " bytes\nstruct nnc_args {\n");
            for (Argument a : args) {
                String what = comment(a);
                b.append("    ").append(a.declaration()).append(';').append(what.isEmpty() ? "" : "  // " + what).append('\n');
            }
            return b.append("};\n").toString();
        }

        /** What an argument holds, for the reader of the generated code. */
        private String comment(Argument a) {
            var slot = a.kind().slotted() ? loops.slots().get(a.index()) : null;
            return switch (a.kind()) {
                case PARAMETERS -> "all parameters";
                case GRADIENTS -> "all gradient sums";
                case WORK -> slot.tensor().name + ": " + slot.size() + " elements a sample";
                case DATA -> slot.tensor().name + ": the data the batch's rows are read from";
                case GATHERED -> slot.tensor().name + ": the batch's rows, gathered (for cuBLAS)";
                case STATE -> "the optimizer's " + plan.optimizer().states().get(a.index()).name;
                case ORDER -> "the data's rows in the order the run reads them";
                case PARTIALS -> "a row per CUDA block of the per-sample kernels, a column per summed value";
                case CONTROL -> "";
                case LOSSES -> "each batch's summed loss, by its number in the run";
                case RATES -> "each batch's learning rate";
            };
        }

        // ─── Programs ───────────────────────────────────────────────────────────────────────────────

        /**
         * For cuBLAS, which reads a matrix where it lies: the batch's rows of each input or target a product of this
         * program reads, gathered into a contiguous copy first (a thread per element).
         */
        private List<Launch> gathers(String name, GpuSchedule.KernelEntry prog) {
            TreeSet<Integer> slots = new TreeSet<>();
            for (Kernel k : prog.kernels()) {
                if (!(k instanceof Kernel.Product m)) continue;
                for (var o : List.of(m.product().a(), m.product().b(), m.product().c())) {
                    if (prog.storage().get(o.t()) instanceof Storage.Column c) slots.add(c.slot());
                }
            }
            List<Launch> out = new ArrayList<>();
            for (int slot : slots) out.add(forms.gather(name + "_gather_" + slot, slot, loops.slots().get(slot).size()));
            entries.addAll(out.stream().map(Launch::name).toList());
            gathered.addAll(slots);
            return out;
        }

        private List<Launch> program(String name, GpuSchedule.KernelEntry prog, boolean fusedTail) {
            List<Launch> out = new ArrayList<>(gathers(name, prog));
            for (int k = 0; k < prog.kernels().size(); k++) {
                String kernel = name + "_" + k;
                entries.add(kernel);
                var e = new CExpr(prog.storage());
                out.add(switch (prog.kernels().get(k)) {
                    case Kernel.Samples s -> forms.samples(kernel, s, prog, e, fusedTail);
                    case Kernel.Elements el -> forms.elements(kernel, el, e);
                    case Kernel.SampleSums s -> forms.sampleSums(kernel, s, e);
                    case Kernel.Product m -> forms.product(kernel, m.product(), e);
                    case Kernel.Clear c -> forms.clear(kernel, c, e);
                    case Kernel.Chain ch -> forms.chain(kernel, ch, e);
                });
            }
            return out;
        }

    }

    /** The argument that holds the array a tensor is stored in: the data of an input or target, not its gathered rows. */
    static Argument argument(Storage s) {
        return switch (s) {
            case Storage.Param p -> new Argument(Argument.Kind.PARAMETERS, p.slot());
            case Storage.GradientSum g -> new Argument(Argument.Kind.GRADIENTS, g.slot());
            case Storage.Work w -> new Argument(Argument.Kind.WORK, w.slot());
            case Storage.Column c -> Argument.data(c.slot());
            case Storage.Registers r -> throw new IllegalStateException("internal: registers are no kernel argument");
            case Storage.Scratch x -> throw new IllegalStateException("internal: a GPU's schedule has no scratch (its samples run at once)");
        };
    }

    /** The line of prelude.cuh that the declaration of {@code nnc_ctl} replaces. */
    private static final String CONTROL_BLOCK = "// struct nnc_ctl: printed here from dev.nnc.runtime.cuda.ControlBlock, the one definition of its layout\n";

    /** The prelude every translation unit begins with (after the typedef of {@code real}). */
    static String prelude() {
        String text;
        try (InputStream in = CudaGen.class.getResourceAsStream("prelude.cuh")) {
            if (in == null) throw new IllegalStateException("internal: prelude.cuh is missing from nnc's jar");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("internal: prelude.cuh cannot be read: " + e, e);
        }
        if (!text.contains(CONTROL_BLOCK)) throw new IllegalStateException("internal: prelude.cuh has no place for struct nnc_ctl");
        return text.replace(CONTROL_BLOCK, ControlBlock.declaration());
    }
}
