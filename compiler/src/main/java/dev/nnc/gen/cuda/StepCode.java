package dev.nnc.gen.cuda;

import dev.nnc.gen.cuda.CudaGen.Dim;
import dev.nnc.gen.cuda.CudaGen.Launch;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.cuda.Argument;
import dev.nnc.schedule.GpuSchedule;
import dev.nnc.schedule.LoopProgram;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The end of a training step as CUDA C: the batch mean of the gradients from the gradient sums and the partial
 * columns (checked for finiteness), the loss, and the optimizer's step (its per-step values, then each element); the kernels
 * {@code finish} and {@code step} that run them over every element (the last CUDA block of {@code step} advancing
 * the control block to the next batch).
 */
final class StepCode {
    private static final int T = GpuSchedule.THREADS;

    private final GpuSchedule.Plan plan;
    private final StringBuilder kernels;
    private final List<String> entries;
    private final int params;

    StepCode(GpuSchedule.Plan plan, StringBuilder kernels, List<String> entries) {
        this.plan = plan;
        this.kernels = kernels;
        this.entries = entries;
        this.params = plan.parameterCount();
    }

    /** Element k of the gradient sums made the batch's mean from the sums and partial columns; the loss summed. */
    void finishFunctions(StringBuilder out) {
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
        String grads = "a." + new Argument(Argument.Kind.GRADIENTS, LoopProgram.GRADIENTS).field();
        String partials = "a." + new Argument(Argument.Kind.PARTIALS).field();
        out.append("    real s = column >= 0 && alone ? (real) 0 : ").append(grads).append("[k];\n");
        out.append("    if (column >= 0) for (int b = 0; b < blocks; b++) s += __ldcg(&").append(partials).append("[(long long) b * ").append(columns).append(" + column]);\n");
        out.append("    s /= (real) count;\n    ").append(grads).append("[k] = s;\n    return isfinite(s);\n}\n\n");
        out.append("// the batch's summed loss into losses[batch]; false if it is not finite\n");
        out.append("__device__ __forceinline__ bool nnc_finish_loss(const nnc_args& a, long long batch, int blocks) {\n    double l = 0;\n");
        if (p.lossColumn() >= 0) {
            out.append("    for (int b = 0; b < blocks; b++) l += (double) __ldcg(&").append(partials).append("[(long long) b * ").append(columns).append(" + ")
                    .append(p.lossColumn()).append("]);\n");
        }
        out.append("    a.").append(new Argument(Argument.Kind.LOSSES).field()).append("[batch] = l;\n    return isfinite(l);\n}\n\n");
    }

    Launch finishKernel() {
        entries.add("finish");
        kernels.append("extern \"C\" __global__ void __launch_bounds__(").append(T).append(") finish(const nnc_args a) {\n")
                .append("    const nnc_ctl c = *a.ctl;\n    if (c.status) return;\n");
        kernels.append("    const int count = (int) c.count, blocks = (count + ").append(T - 1).append(") / ").append(T).append(";\n");
        kernels.append("    const int k = blockIdx.x * ").append(T).append(" + threadIdx.x;\n");
        // not status: blocks that start later would skip their elements; step, after this, stops the run
        kernels.append("    if (k < ").append(params).append(" && !nnc_finish_element(a, k, count, blocks)) a.ctl->bad = 1;\n");
        kernels.append("    if (k == 0 && !nnc_finish_loss(a, c.batch, blocks)) a.ctl->bad = 1;\n}\n\n");
        return new Launch("finish", "the batch mean, checked", new Dim(0, params, T), Dim.ONE, T);
    }

    Launch stepKernel() {
        entries.add("step");
        kernels.append("extern \"C\" __global__ void __launch_bounds__(").append(T).append(") step(const nnc_args a) {\n")
                .append("    const nnc_ctl c = *a.ctl;\n    if (c.status) return;\n");
        // this step's finish found a value that is not finite: no update, and the run stops here
        kernels.append("    if (c.bad) {\n        if (blockIdx.x == 0 && threadIdx.x == 0) a.ctl->status = 1;\n        return;\n    }\n");
        kernels.append("    nnc_step(a, c, blockIdx.x * ").append(T).append(" + threadIdx.x, gridDim.x * ").append(T).append(");\n");
        kernels.append("    if (nnc_last_block(a.ctl) && threadIdx.x == 0) nnc_advance(a.ctl);\n}\n\n");
        return new Launch("step", "the optimizer, a thread per parameter element", new Dim(0, params, T), Dim.ONE, T);
    }

    /**
     * The optimizer as three functions: its per-step values, in double as on every backend; its update of element
     * k, θ, its gradient and the state in registers, reading those values; and {@code nnc_step}, which runs the
     * update over the elements k, k + stride, … of the array of all parameters with the values computed once per
     * CUDA block, by its first thread. Every thread of the block must call it.
     */
    void stepFunctions(OptimizerIr o, StringBuilder out) {
        int values = o.perStep().size();
        out.append("// the per-step values of ").append(o.describe()).append(" at step t and this learning rate\n");
        out.append("__device__ __forceinline__ void nnc_step_values(double t, double rate, real* v) {\n");
        if (values == 0) {
            out.append("    (void) t;\n    (void) rate;\n    (void) v;\n}\n\n");
        } else {
            out.append("    typedef real element;\n    {\n        typedef double real; // in double, whatever the element type\n");
            var d = new CExpr(Map.of());
            var read = new HashSet<Tensor>();
            for (var u : o.perStep()) read.addAll(Exprs.reads(u.value()));
            out.append(read.contains(o.step()) ? "        real " + d.register(o.step(), 0) + " = t;\n" : "        (void) t;\n");
            out.append(o.rate() != null && read.contains(o.rate()) ? "        real " + d.register(o.rate(), 0) + " = rate;\n" : "        (void) rate;\n");
            for (int k = 0; k < values; k++) {
                var pre = new StringBuilder();
                String v = d.expr(o.perStep().get(k).value(), pre, "        ");
                out.append(pre).append("        v[").append(k).append("] = (element) ").append(v).append(";\n");
            }
            out.append("    }\n}\n\n");
        }

        out.append("// ").append(o.describe()).append(" on element k of the array of all parameters, with this step's values v\n");
        out.append("__device__ __forceinline__ void nnc_step_element(const nnc_args& a, int k, const real* v) {\n");
        var e = new CExpr(Map.of());
        String theta = "a." + new Argument(Argument.Kind.PARAMETERS, LoopProgram.PARAMETERS).field(),
                grad = "a." + new Argument(Argument.Kind.GRADIENTS, LoopProgram.GRADIENTS).field();
        out.append("    real ").append(e.register(o.theta(), 0)).append(" = ").append(theta).append("[k];\n");
        out.append("    real ").append(e.register(o.gradient(), 0)).append(" = ").append(grad).append("[k];\n");
        out.append(values == 0 ? "    (void) v;\n" : "");
        for (int k = 0; k < values; k++) out.append("    const real ").append(e.register(o.perStep().get(k).slot(), 0)).append(" = v[").append(k).append("];\n");
        for (int k = 0; k < o.states().size(); k++) out.append("    real ").append(e.register(o.states().get(k), 0)).append(" = a.").append(Argument.state(k).field()).append("[k];\n");
        for (var u : o.updates()) {
            var pre = new StringBuilder();
            String v = e.expr(u.value(), pre, "    ");
            out.append(pre).append("    ").append(e.register(u.slot(), 0)).append(" = ").append(v).append(";\n");
        }
        out.append("    ").append(theta).append("[k] = ").append(e.register(o.theta(), 0)).append(";\n");
        for (int k = 0; k < o.states().size(); k++) out.append("    a.").append(Argument.state(k).field()).append("[k] = ").append(e.register(o.states().get(k), 0)).append(";\n");
        out.append("}\n\n");

        out.append("// the step over elements k, k + stride, …: this step's values once per CUDA block, then each element\n");
        out.append("__device__ __forceinline__ void nnc_step(const nnc_args& a, const nnc_ctl& c, int k, int stride) {\n");
        out.append("    __shared__ real v[").append(Math.max(1, values)).append("];\n");
        out.append("    if (threadIdx.x == 0) nnc_step_values(c.t, a.rates[c.batch], v);\n    __syncthreads();\n");
        out.append("    for (; k < ").append(params).append("; k += stride) nnc_step_element(a, k, v);\n}\n\n");
    }
}
