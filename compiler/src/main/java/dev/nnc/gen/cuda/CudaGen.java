package dev.nnc.gen.cuda;

import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.DType;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.GpuSchedule.Accumulator;
import dev.nnc.schedule.GpuSchedule.Kernel;
import dev.nnc.schedule.LoopProgram;
import dev.nnc.schedule.Stmt;
import dev.nnc.schedule.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * GENERATE for CUDA: a {@link GpuSchedule.Plan} as one self-contained CUDA C translation unit that nvcc (or
 * NVRTC) compiles on its own, and the launch sequence the runtime runs it by. Every kernel takes one argument,
 * {@code nnc_args}: a pointer per array (by slot), the data the batch's rows are read from, the partial sums,
 * the control block and the optimizer's state — the same for every kernel, so the runtime packs it once. What
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

    /** A kernel launch: its name, its form (for listings), its grid and its threads per CUDA block. */
    public record Launch(String name, String form, Dim x, Dim y, int threads) {}

    /**
     * @param args the fields of {@code nnc_args} in order, each 8 bytes: {@code s3} the array of slot 3,
     *             {@code d2} the data of input slot 2, {@code st0} the first optimizer state, and {@code order},
     *             {@code partials}, {@code ctl}, {@code losses}, {@code rates}
     * @param finish null when the training kernel finishes the step itself, or without an optimizer
     */
    public record Cuda(String source, List<String> args, List<Launch> train, List<Launch> predict, List<Launch> evaluate,
                       Launch finish, Launch step) {
        public Cuda {
            args = List.copyOf(args);
            train = List.copyOf(train);
            predict = List.copyOf(predict);
            evaluate = List.copyOf(evaluate);
        }
    }

    static final int T = GpuSchedule.THREADS;

    /** Accumulators reduced through shared memory at a time. */
    private static final int CHUNK = 256;

    public static Cuda generate(GpuSchedule.Plan plan, DType precision) {
        return new Writer(plan, precision == DType.F32 ? "float" : "double").write();
    }

    private static final class Writer {
        final GpuSchedule.Plan plan;
        final LoopProgram loops;
        final String real;
        final StringBuilder kernels = new StringBuilder();
        final List<String> args = new ArrayList<>();
        final List<String> entries = new ArrayList<>();
        final int params;

        Writer(GpuSchedule.Plan plan, String real) {
            this.plan = plan;
            this.loops = plan.loops();
            this.real = real;
            this.params = plan.parameterCount();
        }

        Cuda write() {
            var argStruct = arguments();
            List<Launch> train = program("train", plan.train(), plan.fusedStep());
            List<Launch> predict = program("predict", plan.predict(), false);
            List<Launch> evaluate = program("evaluate", plan.evaluate(), false);
            Launch finish = null, step = null;
            OptimizerIr o = plan.optimizer();
            var functions = new StringBuilder();
            if (o != null) {
                finishFunctions(functions);
                stepFunction(o, functions);
                if (!plan.fusedStep()) finish = finishKernel();
                step = stepKernel();
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
            return x + y + " blocks of " + l.threads();
        }

        private static String extent(Dim d) {
            String n = d.samples() == 0 ? "" : (d.samples() == 1 ? "count" : d.samples() + "·count");
            if (d.fixed() != 0) n = n.isEmpty() ? Long.toString(d.fixed()) : n + " + " + d.fixed();
            return d.per() == 1 ? n : "⌈" + n + "/" + d.per() + "⌉";
        }

        /** The struct every kernel takes, and the list of its fields for the runtime. */
        private String arguments() {
            var b = new StringBuilder("// every kernel's one argument; every field is 8 bytes\nstruct nnc_args {\n");
            for (int k = 0; k < loops.slots().size(); k++) {
                var s = loops.slots().get(k);
                String what = switch (s.kind()) {
                    case PARAM -> "all parameters";
                    case GRADIENT -> "all gradient sums";
                    case INPUT, TARGET -> s.tensor().name + ": the data the batch's rows are read from";
                    case WORK -> s.tensor().name + ": " + s.size() + " elements a sample";
                };
                boolean data = s.kind() == LoopProgram.SlotKind.INPUT || s.kind() == LoopProgram.SlotKind.TARGET;
                String field = (data ? "d" : "s") + k;
                b.append("    ").append(data ? "const real* " : "real* ").append(field).append(";  // ").append(what).append('\n');
                args.add(field);
            }
            b.append("    const int* order;  // the data's rows in the order the run reads them\n");
            b.append("    real* partials;  // a row per CUDA block of the per-sample kernels, a column per summed value\n");
            b.append("    nnc_ctl* ctl;\n    double* losses;  // each batch's summed loss, by its number in the run\n");
            b.append("    const double* rates;  // each batch's learning rate\n");
            args.addAll(List.of("order", "partials", "ctl", "losses", "rates"));
            OptimizerIr o = plan.optimizer();
            if (o != null) {
                for (int k = 0; k < o.states().size(); k++) {
                    b.append("    real* st").append(k).append(";  // the optimizer's ").append(o.states().get(k).name).append('\n');
                    args.add("st" + k);
                }
            }
            return b.append("};\n").toString();
        }

        // ─── Programs ───────────────────────────────────────────────────────────────────────────────

        private List<Launch> program(String name, GpuSchedule.Program prog, boolean fusedTail) {
            List<Launch> out = new ArrayList<>();
            for (int k = 0; k < prog.kernels().size(); k++) {
                String kernel = name + "_" + k;
                entries.add(kernel);
                var e = new CExpr(prog.storage());
                out.add(switch (prog.kernels().get(k)) {
                    case Kernel.Samples s -> samples(kernel, s, prog, e, fusedTail);
                    case Kernel.Elements el -> elements(kernel, el, e);
                    case Kernel.SampleSums s -> sampleSums(kernel, s, e);
                    case Kernel.Product m -> product(kernel, m.product(), e);
                    case Kernel.Clear c -> clear(kernel, c, e);
                });
            }
            return out;
        }

        private void open(String kernel, int threads) {
            kernels.append("extern \"C\" __global__ void __launch_bounds__(").append(threads).append(") ").append(kernel)
                    .append("(const nnc_args a) {\n    const nnc_ctl c = *a.ctl;\n    if (c.status) return;\n");
        }

        /** A thread per sample; accumulators summed per CUDA block into partial columns. */
        private Launch samples(String kernel, Kernel.Samples s, GpuSchedule.Program prog, CExpr e, boolean fusedTail) {
            List<Accumulator> acc = s.accumulators();
            if (!acc.isEmpty()) {
                kernels.append("__constant__ int ").append(kernel).append("_columns[] = {");
                for (int k = 0; k < acc.size(); k++) kernels.append(k == 0 ? "" : ", ").append(acc.get(k).column());
                kernels.append("};\n__constant__ unsigned char ").append(kernel).append("_first[] = {");
                for (int k = 0; k < acc.size(); k++) kernels.append(k == 0 ? "" : ", ").append(acc.get(k).first() ? 1 : 0);
                kernels.append("};\n");
            }
            open(kernel, T);
            kernels.append("    const int count = (int) c.count;\n    const int r = blockIdx.x * ").append(T).append(" + threadIdx.x;\n");
            for (int k = 0; k < acc.size(); k++) kernels.append("    real acc").append(k).append(" = 0;\n");
            var body = new StringBuilder();
            statements(s.body(), e, body, "        ", acc);
            kernels.append("    if (r < count) {\n");
            if (e.rowUsed()) kernels.append("        const long long nnc_row = a.order[c.from + r];\n");
            kernels.append(body).append("    }\n");
            if (!acc.isEmpty()) partials(kernel, acc, prog.partials().columns());
            if (fusedTail) fusedTail();
            kernels.append("}\n\n");
            return new Launch(kernel, s.unrolled() ? "a thread per sample, unrolled" : "a thread per sample", new Dim(1, 0, T), Dim.ONE, T);
        }

        /** Each accumulator summed over the CUDA block's threads into its partial column of this block's row. */
        private void partials(String kernel, List<Accumulator> acc, int columns) {
            int chunk = Math.min(CHUNK, acc.size()), warps = T / 32;
            kernels.append("    {\n        const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;\n");
            kernels.append("        __shared__ real nnc_red[").append(warps).append("][").append(chunk).append("];\n");
            for (int from = 0; from < acc.size(); from += chunk) {
                int to = Math.min(acc.size(), from + chunk);
                for (int k = from; k < to; k++) {
                    kernels.append("        { real v = nnc_warp_sum(acc").append(k).append("); if (lane == 0) nnc_red[warp][").append(k - from).append("] = v; }\n");
                }
                kernels.append("        __syncthreads();\n");
                kernels.append("        for (int e = threadIdx.x; e < ").append(to - from).append("; e += ").append(T).append(") {\n");
                kernels.append("            real s = 0;\n            for (int w = 0; w < ").append(warps).append("; w++) s += nnc_red[w][e];\n");
                kernels.append("            real* p = &a.partials[(long long) blockIdx.x * ").append(columns).append(" + ").append(kernel).append("_columns[")
                        .append(from).append(" + e]];\n");
                kernels.append("            if (").append(kernel).append("_first[").append(from).append(" + e]) *p = s; else *p += s;\n        }\n");
                kernels.append("        __syncthreads();\n");
            }
            kernels.append("    }\n");
        }

        /** The last CUDA block of the one training kernel: the batch mean, the check, and in a run the step. */
        private void fusedTail() {
            kernels.append("""
                        // the last CUDA block to get here finishes the step
                        if (!nnc_last_block(a.ctl)) return;
                        __shared__ int nnc_bad;
                        if (threadIdx.x == 0) nnc_bad = 0;
                        __syncthreads();
                        const int blocks = (count + %1$d - 1) / %1$d;
                        for (int k = threadIdx.x; k < %2$d; k += %1$d) if (!nnc_finish_element(a, k, count, blocks)) nnc_bad = 1;
                        if (threadIdx.x == 0 && !nnc_finish_loss(a, c.batch, blocks)) nnc_bad = 1;
                        __syncthreads();
                        if (nnc_bad || !c.fuse) {
                            if (threadIdx.x == 0) {
                                if (nnc_bad) nnc_stop(a.ctl);
                                a.ctl->done = 0;
                            }
                            return;
                        }
                        for (int k = threadIdx.x; k < %2$d; k += %1$d) nnc_step_element(a, k, c.t, a.rates[c.batch]);
                        if (threadIdx.x == 0) nnc_advance(a.ctl);
                    """.formatted(T, params));
        }

        /** A thread per sample and element of one nest. */
        private Launch elements(String kernel, Kernel.Elements el, CExpr e) {
            long n = el.elements();
            open(kernel, T);
            kernels.append("    const long long idx = (long long) blockIdx.x * ").append(T).append(" + threadIdx.x;\n");
            kernels.append("    const int r = (int) (idx / ").append(n).append(");\n    if (r >= c.count) return;\n");
            kernels.append("    int e = (int) (idx % ").append(n).append(");\n").append(decompose(el.vars(), e, "    "));
            var body = new StringBuilder();
            for (Stmt.Assign a : el.body()) assign(a, e, body, "    ", List.of());
            if (e.rowUsed()) kernels.append("    const long long nnc_row = a.order[c.from + r];\n");
            kernels.append(body).append("}\n\n");
            return new Launch(kernel, "a thread per sample and element", new Dim(n, 0, T), Dim.ONE, T);
        }

        /** Declarations binding the nest's variables to the digits of {@code e}, the last variable running fastest. */
        private static String decompose(List<IndexVar> vars, CExpr e, String indent) {
            var out = new StringBuilder();
            for (int k = vars.size() - 1; k >= 0; k--) {
                IndexVar v = vars.get(k);
                String name = "x" + k;
                e.bind(v, name);
                out.append(indent).append("const int ").append(name).append(" = e % ").append(v.range()).append(";\n");
                if (k > 0) out.append(indent).append("e /= ").append(v.range()).append(";\n");
            }
            return out.toString();
        }

        /** A thread per element of the nest and lane; each lane sums every L-th sample, then the lanes are added in order. */
        private Launch sampleSums(String kernel, Kernel.SampleSums s, CExpr e) {
            long n = s.elements();
            int perBlock = (int) Math.min(32, n), lanes = T / perBlock, threads = perBlock * lanes;
            open(kernel, threads);
            kernels.append("    const int count = (int) c.count;\n");
            kernels.append("    const int le = threadIdx.x % ").append(perBlock).append(", lane = threadIdx.x / ").append(perBlock).append(";\n");
            kernels.append("    int e = blockIdx.x * ").append(perBlock).append(" + le;\n    const bool live = e < ").append(n).append(";\n");
            kernels.append(decompose(s.vars(), e, "    "));
            for (int k = 0; k < s.adds().size(); k++) kernels.append("    real acc").append(k).append(" = 0;\n");
            e.sample("r", "nnc_row");
            var body = new StringBuilder();
            for (int k = 0; k < s.adds().size(); k++) {
                var pre = new StringBuilder();
                String v = e.expr(s.adds().get(k).value(), pre, "            ");
                body.append(pre).append("            acc").append(k).append(" += ").append(v).append(";\n");
            }
            kernels.append("    if (live) {\n        for (int r = lane; r < count; r += ").append(lanes).append(") {\n");
            if (e.rowUsed()) kernels.append("            const long long nnc_row = a.order[c.from + r];\n");
            kernels.append(body).append("        }\n    }\n");
            kernels.append("    __shared__ real nnc_red[").append(threads).append("];\n");
            for (int k = 0; k < s.adds().size(); k++) {
                Stmt.Assign a = s.adds().get(k);
                String target = e.element(a.t(), a.at());
                kernels.append("    nnc_red[threadIdx.x] = acc").append(k).append(";\n    __syncthreads();\n");
                kernels.append("    if (live && lane == 0) {\n        real s = 0;\n        for (int l = 0; l < ").append(lanes)
                        .append("; l++) s += nnc_red[l * ").append(perBlock).append(" + le];\n");
                kernels.append("        ").append(target).append(s.overwrite().get(k) ? " = s;\n" : " += s;\n").append("    }\n    __syncthreads();\n");
            }
            kernels.append("}\n\n");
            return new Launch(kernel, "a sum over the samples per element", new Dim(0, (n + perBlock - 1) / perBlock, 1), Dim.ONE, threads);
        }

        /** A tiled matrix product: the operands read through their storage, inputs through the batch's order. */
        private Launch product(String kernel, Block.Product m, CExpr e) {
            // a 64×64 tile per CUDA block when that still gives every multiprocessor work, 32×32 otherwise
            long estimate = 256;
            long rows = m.m() == Block.Product.SAMPLES ? estimate : m.m(), cols = m.n() == Block.Product.SAMPLES ? estimate : m.n();
            boolean big = ((rows + 63) / 64) * ((cols + 63) / 64) >= 256;
            int bm = big ? 64 : 32, bn = bm, bk = big ? 16 : 32, tm = big ? 4 : 2, tn = tm;
            open(kernel, T);
            kernels.append("    const int count = (int) c.count;\n");
            String la = operand(m.a(), e, "i", "p", m.m() == Block.Product.SAMPLES, m.k() == Block.Product.SAMPLES);
            String lb = operand(m.b(), e, "p", "j", m.k() == Block.Product.SAMPLES, false);
            String sc = operand(m.c(), e, "i", "j", m.m() == Block.Product.SAMPLES, false);
            boolean aI = m.a().row() == 1, bJ = m.b().col() == 1;
            kernels.append("    nnc_gemm<").append(bm).append(", ").append(bn).append(", ").append(bk).append(", ").append(tm).append(", ").append(tn)
                    .append(", ").append(aI).append(", ").append(bJ).append(">(").append(extent(m.m())).append(", ").append(extent(m.n()))
                    .append(", ").append(extent(m.k())).append(",\n");
            kernels.append("        [&](int i, int p) { return ").append(la).append("; },\n");
            kernels.append("        [&](int p, int j) { return ").append(lb).append("; },\n");
            kernels.append("        [&](int i, int j, real v) { ").append(sc).append(m.accumulate() ? " += v; });\n" : " = v; });\n");
            kernels.append("}\n\n");
            Dim x = m.n() == Block.Product.SAMPLES ? new Dim(1, 0, bn) : new Dim(0, m.n(), bn);
            Dim y = m.m() == Block.Product.SAMPLES ? new Dim(1, 0, bm) : new Dim(0, m.m(), bm);
            return new Launch(kernel, "a " + bm + "×" + bn + " tiled matrix product", x, y, T);
        }

        private static String extent(int n) { return n == Block.Product.SAMPLES ? "count" : Integer.toString(n); }

        /**
         * Element (row, col) of a matrix view. For an input or target the sample's subscript (the row when
         * {@code rowIsSample}, the column when {@code colIsSample}) is looked up in the batch's order.
         */
        private static String operand(Block.Operand o, CExpr e, String row, String col, boolean rowIsSample, boolean colIsSample) {
            Storage s = e.storage(o.t());
            String array = e.array(o.t());
            if (s instanceof Storage.Column) {
                String sample = rowIsSample ? row : col, other = rowIsSample ? col : row;
                int stride = rowIsSample ? o.col() : o.row();
                return array + "[(long long) a.order[c.from + " + sample + "] * " + o.t().size() + " + " + other + (stride == 1 ? "" : " * " + stride) + "]";
            }
            String base = s instanceof Storage.Work ? "" : s.offset() + " + ";
            String index = "(long long) " + row + (o.row() == 1 ? "" : " * " + o.row()) + " + " + col + (o.col() == 1 ? "" : " * " + o.col());
            return array + "[" + base + index + "]";
        }

        /** Sets gradient sums to zero: a thread per element of the largest. */
        private Launch clear(String kernel, Kernel.Clear c, CExpr e) {
            int most = c.tensors().stream().mapToInt(Tensor::size).max().orElse(1);
            open(kernel, T);
            kernels.append("    const int e = blockIdx.x * ").append(T).append(" + threadIdx.x;\n");
            for (Tensor t : c.tensors()) {
                Storage s = e.storage(t);
                kernels.append("    if (e < ").append(t.size()).append(") ").append(e.array(t)).append('[').append(s.offset()).append(" + e] = 0;\n");
            }
            kernels.append("}\n\n");
            return new Launch(kernel, "zeroing gradient sums", new Dim(0, most, T), Dim.ONE, T);
        }

        // ─── Statements ─────────────────────────────────────────────────────────────────────────────

        private void statements(List<Stmt> body, CExpr e, StringBuilder out, String indent, List<Accumulator> acc) {
            for (Stmt s : body) {
                switch (s) {
                    case Stmt.Loop l -> {
                        String i = e.bind(l.v());
                        out.append(indent).append("for (int ").append(i).append(" = 0; ").append(i).append(" < ").append(l.v().range())
                                .append("; ").append(i).append("++) {\n");
                        statements(l.body(), e, out, indent + "    ", acc);
                        out.append(indent).append("}\n");
                    }
                    case Stmt.Assign a -> assign(a, e, out, indent, acc);
                    case Stmt.AddLoss l -> {
                        int k = accumulator(acc, null, 0);
                        out.append(indent).append("acc").append(k).append(" += ").append(e.element(l.loss(), zeros(l.loss()))).append(";\n");
                    }
                }
            }
        }

        private static int accumulator(List<Accumulator> acc, Tensor sum, int element) {
            for (int k = 0; k < acc.size(); k++) {
                Accumulator a = acc.get(k);
                if (a.sum() == sum && (sum == null || a.element() == element)) return k;
            }
            return -1;
        }

        private static List<Idx> zeros(Tensor t) {
            List<Idx> z = new ArrayList<>();
            for (int k = 0; k < t.rank(); k++) z.add(new Idx.Fixed(0));
            return z;
        }

        private void assign(Stmt.Assign a, CExpr e, StringBuilder out, String indent, List<Accumulator> acc) {
            var pre = new StringBuilder();
            String v = e.expr(a.value(), pre, indent);
            out.append(pre);
            if (a.add() && e.storage(a.t()) instanceof Storage.GradientSum) {
                Integer element = GpuSchedule.fixedElement(a.t(), a.at());
                int k = element == null ? -1 : accumulator(acc, a.t(), element);
                if (k >= 0) out.append(indent).append("acc").append(k).append(" += ").append(v).append(";\n");
                else out.append(indent).append("atomicAdd(&").append(e.element(a.t(), a.at())).append(", ").append(v).append(");\n");
                return;
            }
            if (e.inRegisters(a.t())) {
                int element = GpuSchedule.fixedElement(a.t(), a.at());
                boolean declared = e.hasRegister(a.t(), element);
                String r = e.register(a.t(), element);
                out.append(indent).append(declared ? "" : "real ").append(r).append(a.add() ? " += " : " = ").append(v).append(";\n");
                return;
            }
            out.append(indent).append(e.element(a.t(), a.at())).append(a.add() ? " += " : " = ").append(v).append(";\n");
        }

        // ─── Finishing a step, and the optimizer ─────────────────────────────────────────────────────

        /** Element k of the gradient sums made the batch's mean from the sums and partial columns; the loss summed. */
        private void finishFunctions(StringBuilder out) {
            var p = plan.train().partials();
            int columns = Math.max(1, p.columns());
            if (!p.ranges().isEmpty()) {
                out.append("// the partial columns of the gradient sums: at, first column, length, alone (nothing else writes them)\n");
                out.append("__constant__ int nnc_ranges[] = {");
                for (int k = 0; k < p.ranges().size(); k++) {
                    var r = p.ranges().get(k);
                    out.append(k == 0 ? "" : ", ").append(r.at()).append(", ").append(r.column()).append(", ").append(r.length()).append(", ").append(r.alone() ? 1 : 0);
                }
                out.append("};\n\n");
            }
            out.append("// element k of the array of all gradient sums, made the mean over the batch; false if it is not finite\n");
            out.append("__device__ __forceinline__ bool nnc_finish_element(const nnc_args& a, int k, int count, int blocks) {\n");
            out.append("    int column = -1, alone = 0;\n");
            if (!p.ranges().isEmpty()) {
                out.append("    int lo = 0, hi = ").append(p.ranges().size() - 1).append(";\n");
                out.append("""
                            while (lo <= hi) {
                                const int mid = (lo + hi) >> 1, at = nnc_ranges[4 * mid];
                                if (k < at) hi = mid - 1;
                                else if (k >= at + nnc_ranges[4 * mid + 2]) lo = mid + 1;
                                else {
                                    column = nnc_ranges[4 * mid + 1] + k - at;
                                    alone = nnc_ranges[4 * mid + 3];
                                    break;
                                }
                            }
                        """);
            }
            out.append("    real s = column >= 0 && alone ? (real) 0 : a.s").append(LoopProgram.GRADIENTS).append("[k];\n");
            out.append("    if (column >= 0) for (int b = 0; b < blocks; b++) s += __ldcg(&a.partials[(long long) b * ").append(columns).append(" + column]);\n");
            out.append("    s /= (real) count;\n    a.s").append(LoopProgram.GRADIENTS).append("[k] = s;\n    return isfinite(s);\n}\n\n");
            out.append("// the batch's summed loss into losses[batch]; false if it is not finite\n");
            out.append("__device__ __forceinline__ bool nnc_finish_loss(const nnc_args& a, long long batch, int blocks) {\n    double l = 0;\n");
            if (p.lossColumn() >= 0) {
                out.append("    for (int b = 0; b < blocks; b++) l += (double) __ldcg(&a.partials[(long long) b * ").append(columns).append(" + ")
                        .append(p.lossColumn()).append("]);\n");
            }
            out.append("    a.losses[batch] = l;\n    return isfinite(l);\n}\n\n");
        }

        private Launch finishKernel() {
            entries.add("finish");
            kernels.append("extern \"C\" __global__ void __launch_bounds__(").append(T).append(") finish(const nnc_args a) {\n")
                    .append("    const nnc_ctl c = *a.ctl;\n    if (c.status) return;\n");
            kernels.append("    const int count = (int) c.count, blocks = (count + ").append(T - 1).append(") / ").append(T).append(";\n");
            kernels.append("    const int k = blockIdx.x * ").append(T).append(" + threadIdx.x;\n");
            kernels.append("    if (k < ").append(params).append(" && !nnc_finish_element(a, k, count, blocks)) nnc_stop(a.ctl);\n");
            kernels.append("    if (k == 0 && !nnc_finish_loss(a, c.batch, blocks)) nnc_stop(a.ctl);\n}\n\n");
            return new Launch("finish", "the batch mean, checked", new Dim(0, params, T), Dim.ONE, T);
        }

        private Launch stepKernel() {
            entries.add("step");
            kernels.append("extern \"C\" __global__ void __launch_bounds__(").append(T).append(") step(const nnc_args a) {\n")
                    .append("    const nnc_ctl c = *a.ctl;\n    if (c.status) return;\n");
            kernels.append("    const int k = blockIdx.x * ").append(T).append(" + threadIdx.x;\n");
            kernels.append("    if (k < ").append(params).append(") nnc_step_element(a, k, c.t, a.rates[c.batch]);\n");
            kernels.append("    if (nnc_last_block(a.ctl) && threadIdx.x == 0) nnc_advance(a.ctl);\n}\n\n");
            return new Launch("step", "the optimizer, a thread per parameter element", new Dim(0, params, T), Dim.ONE, T);
        }

        /** The optimizer's update of element k: θ, its gradient and the state in registers. */
        private void stepFunction(OptimizerIr o, StringBuilder out) {
            out.append("// ").append(o.describe()).append(" on element k of the array of all parameters\n");
            out.append("__device__ __forceinline__ void nnc_step_element(const nnc_args& a, int k, double t, double rate) {\n");
            var e = new CExpr(Map.of());
            String theta = "a.s" + LoopProgram.PARAMETERS, grad = "a.s" + LoopProgram.GRADIENTS;
            out.append("    real ").append(e.register(o.theta(), 0)).append(" = ").append(theta).append("[k];\n");
            out.append("    real ").append(e.register(o.gradient(), 0)).append(" = ").append(grad).append("[k];\n");
            var read = new java.util.HashSet<Tensor>();
            for (var u : o.updates()) read.addAll(dev.nnc.ir.Exprs.reads(u.value()));
            out.append(read.contains(o.step()) ? "    real " + e.register(o.step(), 0) + " = (real) t;\n" : "    (void) t;\n");
            out.append(o.rate() != null && read.contains(o.rate()) ? "    real " + e.register(o.rate(), 0) + " = (real) rate;\n" : "    (void) rate;\n");
            for (int k = 0; k < o.states().size(); k++) out.append("    real ").append(e.register(o.states().get(k), 0)).append(" = a.st").append(k).append("[k];\n");
            for (var u : o.updates()) {
                var pre = new StringBuilder();
                String v = e.expr(u.value(), pre, "    ");
                out.append(pre).append("    ").append(e.register(u.slot(), 0)).append(" = ").append(v).append(";\n");
            }
            out.append("    ").append(theta).append("[k] = ").append(e.register(o.theta(), 0)).append(";\n");
            for (int k = 0; k < o.states().size(); k++) out.append("    a.st").append(k).append("[k] = ").append(e.register(o.states().get(k), 0)).append(";\n");
            out.append("}\n\n");
        }
    }

    /** The prelude every translation unit begins with (after the typedef of {@code real}). */
    static String prelude() {
        try (InputStream in = CudaGen.class.getResourceAsStream("prelude.cuh")) {
            if (in == null) throw new IllegalStateException("internal: prelude.cuh is missing from nnc's jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("internal: prelude.cuh cannot be read: " + e, e);
        }
    }
}
