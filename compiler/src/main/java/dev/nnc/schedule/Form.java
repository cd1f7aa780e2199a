package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.GpuSchedule.Kernel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A block's kernel form before partial-sum columns and clears are decided ({@link PartialSums}), which make it a
 * {@link Kernel}: a thread per sample, a thread per element summing the samples, or the forms that are kernels as
 * they are (element-wise nests, products, chains of those).
 */
sealed interface Form permits Form.Samples, Form.Sums, Kernel.Elements, Kernel.Product, Kernel.Chain {
    /** A thread per sample runs the block, its accumulators in registers. */
    record Samples(Block.PerSample block) implements Form {}

    /** A thread per element of the nest over {@code vars} sums each of {@code adds} over the samples. */
    record Sums(List<IndexVar> vars, List<Stmt.Assign> adds) implements Form {}

    /** FORMS: each block's kernel form; the clears are left to {@link PartialSums}, which knows who writes each sum. */
    static List<Form> of(LoopProgram.Entry p) {
        List<Form> forms = new ArrayList<>();
        for (Block b : p.blocks()) {
            switch (b) {
                case Block.Clear c -> { }
                case Block.Broadcast r -> throw new IllegalStateException("internal: BIAS runs on a CPU's schedule only");
                case Block.Product m -> forms.add(new Kernel.Product(m));
                case Block.PerSample s -> forms.add(perSample(s, p.storage()));
            }
        }
        return forms;
    }

    private static Form perSample(Block.PerSample s, Map<Tensor, Storage> storage) {
        if (!s.unrolled() && s.body().size() == 1) {
            List<IndexVar> vars = new ArrayList<>();
            List<Stmt> body = s.body();
            while (body.size() == 1 && body.get(0) instanceof Stmt.Loop l) {
                vars.add(l.v());
                body = l.body();
            }
            List<Stmt.Assign> assigns = new ArrayList<>();
            for (Stmt st : body) if (st instanceof Stmt.Assign a) assigns.add(a);
            if (assigns.size() == body.size() && !assigns.isEmpty()) {
                boolean sums = assigns.stream().allMatch(a -> a.add() && storage.get(a.t()) instanceof Storage.GradientSum && Subscripts.own(vars, a.at()));
                if (sums) return new Sums(vars, assigns);
                if (!vars.isEmpty() && elementwise(vars, assigns, storage)) return new Kernel.Elements(vars, assigns);
            }
        }
        adds(s.body(), Set.copyOf(s.accumulators()));
        return new Samples(s);
    }

    /**
     * Checks the promise that makes a thread per sample safe: it adds into gradient sums only through its
     * accumulators (SCHEDULE puts every other sum over the samples in a block of its own, a {@link Sums}).
     */
    private static void adds(List<Stmt> body, Set<Accumulator> accumulators) {
        for (Stmt st : body) {
            switch (st) {
                case Stmt.Loop l -> adds(l.body(), accumulators);
                case Stmt.Assign a -> {
                    if (a.add() && !accumulators.contains(new Accumulator.Element(a.t(), a.at()))) {
                        throw new IllegalStateException("internal: a thread per sample would add into " + a.t() + " outside its accumulators");
                    }
                }
                case Stmt.AddLoss l -> { }
                case Stmt.Product p -> throw new IllegalStateException("internal: a per-sample product in a GPU schedule");
            }
        }
    }

    /** Every statement sets its own element, in arrays, and reads what the nest writes only at that element. */
    private static boolean elementwise(List<IndexVar> vars, List<Stmt.Assign> body, Map<Tensor, Storage> storage) {
        Set<Tensor> written = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Stmt.Assign a : body) {
            if (a.add() || !Subscripts.own(vars, a.at())) return false;
            Storage st = storage.get(a.t());
            if (st == null || st instanceof Storage.Registers) return false;
            written.add(a.t());
        }
        List<Idx> own = Subscripts.of(vars);
        boolean[] ok = {true};
        for (Stmt.Assign a : body) {
            Exprs.visit(a.value(), e -> {
                if (e instanceof Ex.Load l && written.contains(l.tensor()) && !l.idx().equals(own)) ok[0] = false;
                if (e instanceof Ex.Load l && storage.get(l.tensor()) instanceof Storage.Registers) ok[0] = false;
            });
        }
        return ok[0];
    }

    /** CHAINS: maximal runs of consecutive chainable forms with a product among them, each become one chain. */
    static List<Form> chains(List<Form> forms, Map<Tensor, Storage> storage) {
        List<Form> out = new ArrayList<>();
        List<GpuSchedule.Stage> run = new ArrayList<>();
        for (Form f : forms) {
            if (f instanceof GpuSchedule.Stage s && chainable(s, storage)) {
                run.add(s);
                continue;
            }
            close(run, out);
            out.add(f);
        }
        close(run, out);
        return out;
    }

    private static void close(List<GpuSchedule.Stage> run, List<Form> out) {
        if (run.size() >= 2 && run.stream().anyMatch(k -> k instanceof Kernel.Product)) {
            out.add(new Kernel.Chain(run));
        } else {
            for (GpuSchedule.Stage s : run) out.add((Form) s);
        }
        run.clear();
    }

    /**
     * A product over the samples' rows (row i of the result from row i of A alone) with weights of a mid-width
     * layer, its result in workspace; or an element-wise nest as wide as such a layer at most — a wider one (a
     * convolution's map) keeps its thread per sample and element, where a chain would give it a CUDA block per
     * {@value GpuSchedule#CHAIN_TILE} samples.
     */
    private static boolean chainable(GpuSchedule.Stage k, Map<Tensor, Storage> storage) {
        return switch (k) {
            case Kernel.Product m -> {
                var b = m.product();
                yield b.m() == Block.Product.SAMPLES && b.n() != Block.Product.SAMPLES && b.k() != Block.Product.SAMPLES
                        && (long) b.n() * b.k() <= GpuSchedule.CHAIN_WEIGHTS && !b.accumulate() && storage.get(b.c().t()) instanceof Storage.Work
                        && b.b().t().role == Tensor.Role.PARAM;
            }
            case Kernel.Elements e -> Subscripts.count(e.vars()) <= Group.GPU_ELEMENTS;
        };
    }
}
