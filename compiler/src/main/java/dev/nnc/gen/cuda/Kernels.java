package dev.nnc.gen.cuda;

import dev.nnc.gen.cuda.CudaGen.Dim;
import dev.nnc.gen.cuda.CudaGen.Launch;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.Accumulator;
import dev.nnc.runtime.cuda.Argument;
import dev.nnc.runtime.cuda.CudaPlan.Gemm;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.GpuSchedule.Kernel;
import dev.nnc.schedule.GpuSchedule.Partial;
import dev.nnc.schedule.Stmt;
import dev.nnc.schedule.Storage;
import dev.nnc.schedule.Subscripts;
import java.util.ArrayList;
import java.util.List;

/**
 * Each kernel form of {@link GpuSchedule.Kernel} as CUDA C: the kernel, appended to the translation unit, and its
 * launch. Every kernel starts by reading the control block and returns at once once a run has stopped.
 */
final class Kernels {
    static final int T = GpuSchedule.THREADS;

    /** Accumulators reduced through shared memory at a time. */
    private static final int CHUNK = 256;

    private final StringBuilder kernels;
    /** Elements of the array of all parameters. */
    private final int params;

    Kernels(StringBuilder kernels, int params) {
        this.kernels = kernels;
        this.params = params;
    }

    private void open(String kernel, int threads) {
        kernels.append("extern \"C\" __global__ void __launch_bounds__(").append(threads).append(") ").append(kernel)
                .append("(const nnc_args a) {\n    const nnc_ctl c = *a.ctl;\n    if (c.status) return;\n");
    }

    /** A thread per sample; accumulators summed per CUDA block into partial columns. */
    Launch samples(String kernel, Kernel.Samples s, GpuSchedule.KernelEntry prog, CExpr e, boolean fusedTail) {
        List<Partial> acc = s.accumulators();
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
    private void partials(String kernel, List<Partial> acc, int columns) {
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
                    nnc_step(a, c, threadIdx.x, %1$d);
                    if (threadIdx.x == 0) nnc_advance(a.ctl);
                """.formatted(T, params));
    }

    /** A thread per sample and element of one nest. */
    Launch elements(String kernel, Kernel.Elements el, CExpr e) {
        long n = el.elements();
        open(kernel, T);
        // 32-bit arithmetic, which divides by a constant fast (the runtime refuses grids of 2³² threads or more)
        kernels.append("    const unsigned idx = blockIdx.x * ").append(T).append("u + threadIdx.x;\n");
        kernels.append("    const int r = (int) (idx / ").append(n).append("u);\n    if (r >= c.count) return;\n");
        kernels.append("    int e = (int) (idx % ").append(n).append("u);\n").append(decompose(el.vars(), e, "    "));
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
    Launch sampleSums(String kernel, Kernel.SampleSums s, CExpr e) {
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
    Launch product(String kernel, Block.Product m, CExpr e) {
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
        var gemm = new Gemm(m.m(), m.n(), m.k(), gemmOperand(m.a(), e), gemmOperand(m.b(), e), gemmOperand(m.c(), e), m.accumulate());
        return new Launch(kernel, "a " + bm + "×" + bn + " tiled matrix product", x, y, T, gemm, false);
    }

    /** An operand as cuBLAS takes it: an input or target from its gathered copy, whose rows are the batch's. */
    private static Gemm.Operand gemmOperand(Block.Operand o, CExpr e) {
        Storage s = e.storage(o.t());
        var field = s instanceof Storage.Column ? new Argument(Argument.Kind.GATHERED, s.slot()) : CudaGen.argument(s);
        return new Gemm.Operand(field, s.offset(), o.row(), o.col());
    }

    /**
     * A fused chain: each CUDA block takes {@link GpuSchedule#CHAIN_TILE} samples through every stage, a barrier
     * between stages (each reads only what earlier stages wrote for the same samples). A product stage gives each
     * thread a column of the result for all the tile's samples, its weights read once for all of them; an
     * element-wise stage spreads the tile's elements over the threads.
     */
    Launch chain(String kernel, Kernel.Chain ch, CExpr e) {
        int tile = GpuSchedule.CHAIN_TILE;
        open(kernel, T);
        kernels.append("    const int count = (int) c.count, r0 = blockIdx.x * ").append(tile).append(";\n");
        kernels.append("    const int rows = count - r0 < ").append(tile).append(" ? count - r0 : ").append(tile).append(";\n");
        kernels.append("    if (rows <= 0) return;\n");
        for (int k = 0; k < ch.stages().size(); k++) {
            if (k > 0) kernels.append("    __syncthreads();\n");
            CExpr stage = e.fresh();
            switch (ch.stages().get(k)) {
                case Kernel.Product m -> chainProduct(m.product(), stage, tile);
                case Kernel.Elements el -> chainElements(el, stage);
            }
        }
        kernels.append("}\n\n");
        return new Launch(kernel, "a fused chain of " + ch.stages().size() + " stages, " + tile + " samples a CUDA block",
                new Dim(1, 0, tile), Dim.ONE, T);
    }

    /** C[r0 + t, j] = Σ_p A[r0 + t, p]·B[p, j] for the tile's rows t: a thread per column j, the rows in registers. */
    private void chainProduct(Block.Product m, CExpr e, int tile) {
        // a row past the batch's end reads row r0 instead (and is not written): every read stays in the arrays
        String a = operand(m.a(), e, "(r0 + (t < rows ? t : 0))", "p", true, false);
        String b = operand(m.b(), e, "p", "j", false, false);
        String c = operand(m.c(), e, "(r0 + t)", "j", true, false);
        kernels.append("    for (int j = threadIdx.x; j < ").append(m.n()).append("; j += ").append(T).append(") {\n");
        kernels.append("        real acc[").append(tile).append("];\n        for (int t = 0; t < ").append(tile).append("; t++) acc[t] = 0;\n");
        kernels.append("        for (int p = 0; p < ").append(m.k()).append("; p++) {\n            const real w = ").append(b).append(";\n");
        kernels.append("#pragma unroll\n            for (int t = 0; t < ").append(tile).append("; t++) acc[t] += ").append(a).append(" * w;\n        }\n");
        kernels.append("        for (int t = 0; t < rows; t++) ").append(c).append(" = acc[t];\n    }\n");
    }

    /** The nest's elements of the tile's samples, spread over the block's threads. */
    private void chainElements(Kernel.Elements el, CExpr e) {
        long n = el.elements();
        kernels.append("    for (int idx = threadIdx.x; idx < rows * ").append(n).append("; idx += ").append(T).append(") {\n");
        kernels.append("        const int r = r0 + idx / ").append(n).append(";\n        int e = idx % ").append(n).append(";\n");
        kernels.append(decompose(el.vars(), e, "        "));
        var body = new StringBuilder();
        for (Stmt.Assign a : el.body()) assign(a, e, body, "        ", List.of());
        if (e.rowUsed()) kernels.append("        const long long nnc_row = a.order[c.from + r];\n");
        kernels.append(body).append("    }\n");
    }

    /** The batch's rows of an input or target slot, read through the order, into its gathered copy. */
    Launch gather(String kernel, int slot, int width) {
        open(kernel, T);
        kernels.append("    const unsigned idx = blockIdx.x * ").append(T).append("u + threadIdx.x;\n");
        kernels.append("    const int r = (int) (idx / ").append(width).append("u);\n    if (r >= c.count) return;\n");
        kernels.append("    const int e = (int) (idx % ").append(width).append("u);\n");
        kernels.append("    a.").append(new Argument(Argument.Kind.GATHERED, slot).field()).append("[(long long) r * ").append(width)
                .append(" + e] = a.").append(Argument.data(slot).field())
                .append("[(long long) a.order[c.from + r] * ").append(width).append(" + e];\n}\n\n");
        return new Launch(kernel, "the batch's rows gathered (only when cuBLAS computes the products)", new Dim(width, 0, T), Dim.ONE, T, null, true);
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
            return array + "[(long long) a.order[c.from + " + sample + "] * " + o.t().size() + " + " + term(other, stride) + "]";
        }
        // every term in 64 bits: a sample's subscript times a row's width passes 2³¹ on large batches
        String base = s instanceof Storage.Work ? "" : s.offset() + " + ";
        String index = term(row, o.row()) + " + " + term(col, o.col());
        return array + "[" + base + index + "]";
    }

    private static String term(String index, int stride) {
        return "(long long) " + index + (stride == 1 ? "" : " * " + stride);
    }

    /** Sets gradient sums to zero: a thread per element of the largest. */
    Launch clear(String kernel, Kernel.Clear c, CExpr e) {
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

    private void statements(List<Stmt> body, CExpr e, StringBuilder out, String indent, List<Partial> acc) {
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
                case Stmt.Product p -> throw new IllegalStateException("internal: a per-sample product in a GPU schedule");
                case Stmt.AddLoss l -> {
                    int k = accumulator(acc, new Accumulator.Loss());
                    out.append(indent).append("acc").append(k).append(" += ").append(e.element(l.loss(), zeros(l.loss()))).append(";\n");
                }
            }
        }
    }

    /** The number of the register that sums {@code value}: GpuSchedule gives a thread per sample one for each sum it adds into. */
    private static int accumulator(List<Partial> acc, Accumulator value) {
        for (int k = 0; k < acc.size(); k++) if (acc.get(k).value().equals(value)) return k;
        throw new IllegalStateException("internal: a thread per sample adds into " + value + ", which is none of its accumulators");
    }

    private static List<Idx> zeros(Tensor t) {
        List<Idx> z = new ArrayList<>();
        for (int k = 0; k < t.rank(); k++) z.add(new Idx.Fixed(0));
        return z;
    }

    private void assign(Stmt.Assign a, CExpr e, StringBuilder out, String indent, List<Partial> acc) {
        var pre = new StringBuilder();
        String v = e.expr(a.value(), pre, indent);
        out.append(pre);
        if (a.add() && e.storage(a.t()) instanceof Storage.GradientSum) {
            int k = accumulator(acc, new Accumulator.Element(a.t(), a.at()));
            out.append(indent).append("acc").append(k).append(" += ").append(v).append(";\n");
            return;
        }
        if (e.inRegisters(a.t())) {
            int element = Subscripts.fixedElement(a.t(), a.at());
            boolean declared = e.hasRegister(a.t(), element);
            String r = e.register(a.t(), element);
            out.append(indent).append(declared ? "" : "real ").append(r).append(a.add() ? " += " : " = ").append(v).append(";\n");
            return;
        }
        out.append(indent).append(e.element(a.t(), a.at())).append(a.add() ? " += " : " = ").append(v).append(";\n");
    }

    // ─── Finishing a step, and the optimizer ─────────────────────────────────────────────────────
}
