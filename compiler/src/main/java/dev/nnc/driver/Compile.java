package dev.nnc.driver;

import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.CheckedProgram;
import dev.nnc.grad.Differentiate;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Verifier;
import dev.nnc.lower.Expand;
import dev.nnc.lower.Lower;
import dev.nnc.opt.Im2col;
import dev.nnc.opt.Optimize;
import dev.nnc.opt.Pool;
import dev.nnc.opt.Recompute;
import dev.nnc.opt.Stability;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The middle end as a flat list of named stages: LOWER → EXPAND → REWRITE → (POOL → IM2COL, for the CPU's kernels) →
 * DIFFERENTIATE → OPTIMIZE (→ RECOMPUTE, for the CPU's kernels), with the verifier after each and a dump hook
 * ({@code nnc emit ir --after STAGE}).
 */
public final class Compile {
    private Compile() {}

    public static final List<String> STAGES = List.of("lower", "expand", "rewrite", "pool", "im2col", "differentiate", "optimize", "recompute");
    /** The stages only the JVM backend's own graph goes through ({@link Options#kernels}). */
    public static final Set<String> KERNEL_STAGES = Set.of("pool", "im2col", "recompute");

    /**
     * @param noRewrite     stability rewrites turned off by name
     * @param inputAdjoints also derive δx for inputs
     * @param kernels       the graph the JVM backend's kernels want: a ReLU fused into the max pool after it ({@link Pool}),
     *                      a convolution's windows as a tensor of their own for the matrix kernel ({@link Im2col}), copied
     *                      again in the backward pass rather than kept ({@link Recompute})
     */
    public record Options(Set<String> noRewrite, boolean inputAdjoints, boolean kernels) {
        public static final Options DEFAULT = new Options(Set.of(), false);

        public Options { noRewrite = Set.copyOf(noRewrite); }

        public Options(Set<String> noRewrite, boolean inputAdjoints) { this(noRewrite, inputAdjoints, false); }

        public Options forKernels() { return new Options(noRewrite, inputAdjoints, true); }
    }

    public static Graph graph(CheckedProgram program, CheckedNetwork network, Options options) {
        return graph(program, network, options, (stage, g) -> { });
    }

    /** The middle end, on a deep stack (DeepStack) whoever calls: every stage recurses over expressions. */
    public static Graph graph(CheckedProgram program, CheckedNetwork network, Options options, BiConsumer<String, Graph> dump) {
        return DeepStack.call(() -> graphHere(program, network, options, dump));
    }

    private static Graph graphHere(CheckedProgram program, CheckedNetwork network, Options options, BiConsumer<String, Graph> dump) {
        var lowered = Lower.lower(program, network);
        Graph g = step("lower", lowered.graph(), dump);
        g = Stability.beforeExpand(g, lowered.library(), options.noRewrite());
        g = step("expand", Expand.run(g), dump);
        g = step("rewrite", Stability.afterExpand(g, lowered.library(), options.noRewrite()), dump);
        if (options.kernels()) {
            g = step("pool", Pool.run(g), dump);
            g = step("im2col", Im2col.run(g), dump);
        }
        g = step("differentiate", Differentiate.run(g, options.inputAdjoints()), dump);
        g = step("optimize", Optimize.run(g), dump);
        return options.kernels() ? step("recompute", Recompute.run(g), dump) : g;
    }

    private static Graph step(String stage, Graph g, BiConsumer<String, Graph> dump) {
        Verifier.verify(g, stage);
        dump.accept(stage, g);
        return g;
    }

    /** The network of that name, or the first. */
    public static CheckedNetwork network(CheckedProgram program, String name) {
        for (var n : program.networks()) if (name == null || n.name().equals(name)) return n;
        return null;
    }
}
