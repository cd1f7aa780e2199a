package dev.nnc.schedule;

import dev.nnc.ir.Cost;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The items after grouping: consecutive nests form a run, one per-sample block, written out in full
 * ({@link Unrolled}) or kept as loops ({@link Loops}); a product stands alone. Passes after grouping may cut a
 * run of loops into several.
 */
sealed interface Group permits Block.Product, Group.Unrolled, Group.Loops {
    /** A run written out in full ({@link Unroll}): every subscript fixed, every value a local. */
    record Unrolled(List<Nest> nests) implements Group {
        public Unrolled { nests = List.copyOf(nests); }
    }

    /** A run kept as loops, consecutive nests over the same elements fused ({@link Fusion}). */
    record Loops(List<Nest> nests) implements Group {
        public Loops { nests = List.copyOf(nests); }
    }

    /** The most elements a nest of an unrolled block may have. */
    int UNROLL_NEST = 32;

    /**
     * GROUP: consecutive nests as runs between the products; a run unrolled when it is small (at most
     * {@code unrollBudget} operations written out) and none of its nests is a vector loop (over more than
     * {@value #UNROLL_NEST} elements) that the JIT would rather vectorise than see written out.
     */
    static List<Group> of(List<Item> items, long unrollBudget) {
        List<Group> groups = new ArrayList<>();
        List<Nest> run = new ArrayList<>();
        for (Item item : items) {
            switch (item) {
                case Nest n -> run.add(n);
                case Block.Product p -> {
                    close(run, groups, unrollBudget);
                    groups.add(p);
                }
            }
        }
        close(run, groups, unrollBudget);
        return groups;
    }

    private static void close(List<Nest> run, List<Group> groups, long unrollBudget) {
        if (run.isEmpty()) return;
        // a sample's product calls the kernel with its operands' arrays: never unrolled into locals
        boolean unroll = unrolledCost(run) <= unrollBudget && run.stream().allMatch(n -> n.elements() <= UNROLL_NEST)
                && run.stream().noneMatch(n -> n.body().stream().anyMatch(Stmt.Product.class::isInstance));
        groups.add(unroll ? new Unrolled(run) : new Loops(run));
        run.clear();
    }

    /** Operations written out in full: every element of every nest, every Σ expanded. */
    private static long unrolledCost(List<Nest> run) {
        long total = 0;
        for (Nest n : run) {
            for (Stmt s : n.body()) {
                total += switch (s) {
                    case Stmt.Assign a -> n.elements() * Cost.of(a.value());
                    case Stmt.Product p -> (long) p.m() * p.n() * p.k(); // a kernel call is never written out
                    default -> 1;
                };
            }
        }
        return total;
    }

    /** The fewest elements a nest has for a GPU to give it a thread per element ({@link #elementsApart}). */
    int GPU_ELEMENTS = 256;

    /**
     * ELEMENTS APART (for a GPU): a nest of at least {@value #GPU_ELEMENTS} elements whose statements each set their own
     * element (a convolution's map, its bias and activation, a pool, a solved adjoint) is a run of its own, with the
     * nests after it that fuse with it, so that a GPU runs it as a thread per sample and element rather than one
     * thread doing a sample's whole map. Smaller nests stay together, a thread per sample: for them a kernel's launch
     * costs more than the threads it spreads the work over.
     */
    static List<Group> elementsApart(List<Group> groups) {
        return cut(groups, (before, n) -> apart(before) == apart(n) && (!apart(n) || Fusion.fusable(before, n)));
    }

    private static boolean apart(Nest n) {
        return n.elements() >= GPU_ELEMENTS
                && n.body().stream().allMatch(s -> s instanceof Stmt.Assign a && !a.add() && Subscripts.own(n.vars(), a.at()));
    }

    /**
     * SUMS APART (for a GPU): each run of loops cut before and after every nest that adds into a gradient sum, so
     * that a GPU runs it as a thread per element adding up the samples in a fixed order, rather than every sample's
     * thread adding into the same elements at once.
     */
    static List<Group> sumsApart(List<Group> groups, Layout layout) {
        BiPredicate<Nest, Nest> neitherSums = (before, n) -> !sums(before, layout) && !sums(n, layout);
        return cut(groups, neitherSums);
    }

    private static boolean sums(Nest n, Layout layout) {
        return n.body().stream().allMatch(s -> s instanceof Stmt.Assign a && a.add() && layout.isSum(a.t()));
    }

    /** Each run of loops cut between consecutive nests that may not share a run. */
    private static List<Group> cut(List<Group> groups, BiPredicate<Nest, Nest> together) {
        List<Group> out = new ArrayList<>();
        for (Group g : groups) {
            if (!(g instanceof Loops l)) {
                out.add(g);
                continue;
            }
            List<Nest> part = new ArrayList<>();
            for (Nest n : l.nests()) {
                if (!part.isEmpty() && !together.test(part.getLast(), n)) {
                    out.add(new Loops(part));
                    part = new ArrayList<>();
                }
                part.add(n);
            }
            if (!part.isEmpty()) out.add(new Loops(part));
        }
        return out;
    }
}
