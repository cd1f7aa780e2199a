package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Tensor;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LOCALS: what a per-sample block keeps in registers across the samples it runs — the one place this is decided
 * for both backends, which read it from {@link Block.PerSample}.
 *
 * <ul>
 *   <li>Its accumulators: the loss, and each element of a gradient sum it adds into at a fixed place, in the order
 *       they first appear. A GPU's thread per sample keeps all of them (its CUDA block then adds them up through
 *       shared memory, a chunk at a time, so their number is not bounded); the JVM keeps them only in unrolled
 *       blocks, where every place is fixed, and at most {@link #CPU_SUMS}.
 *   <li>On the JVM, the parameter elements an unrolled block reads, loaded into locals once for the slice rather
 *       than once per sample: the JIT cannot hoist those reads itself past the stores into other float arrays,
 *       which might be the same array. All of them, or none when there are more than {@link #CPU_PARAMETERS}.
 * </ul>
 */
final class Locals {
    private Locals() {}

    /**
     * The most gradient elements a JVM block sums in locals. Each costs a load before the samples' loop and a store
     * after it, some twenty bytes of code: well before this many the block's method passes what the optimizing JIT
     * compiles ({@code CodeSize.LIMIT}) and the block is scheduled again with less unrolling. The limit only keeps
     * the locals of such a method bounded, far below a method's 65,535.
     */
    static final int CPU_SUMS = 1024;

    /** The most parameter elements a JVM block reads into locals: as {@link #CPU_SUMS}, for the same reason. */
    static final int CPU_PARAMETERS = 1024;

    /** The block's accumulators, in the order they first appear. */
    static List<Accumulator> accumulators(List<Stmt> body, boolean unrolled, Schedule.Target target, Map<Tensor, Storage> storage) {
        int most = switch (target) {
            case GPU -> Integer.MAX_VALUE;
            case CPU -> unrolled ? CPU_SUMS : 0;
        };
        Set<Accumulator> out = new LinkedHashSet<>();
        collect(body, out, new int[] {0}, most, storage);
        return List.copyOf(out);
    }

    private static void collect(List<Stmt> body, Set<Accumulator> out, int[] elements, int most, Map<Tensor, Storage> storage) {
        for (Stmt st : body) {
            switch (st) {
                case Stmt.Loop l -> collect(l.body(), out, elements, most, storage);
                case Stmt.AddLoss l -> out.add(new Accumulator.Loss());
                case Stmt.Product p -> { } // its C is an array the kernel adds into
                case Stmt.Assign a -> {
                    if (elements[0] < most && a.add() && storage.get(a.t()) instanceof Storage.GradientSum
                            && Subscripts.fixedElement(a.t(), a.at()) != null && out.add(new Accumulator.Element(a.t(), a.at()))) {
                        elements[0]++;
                    }
                }
            }
        }
    }

    /** The distinct parameter elements a JVM block reads into locals before its samples' loop. */
    static List<Ex.Load> parameters(List<Stmt> body, boolean unrolled, Schedule.Target target, Map<Tensor, Storage> storage) {
        if (!unrolled || target != Schedule.Target.CPU) return List.of();
        Map<String, Ex.Load> reads = new LinkedHashMap<>();
        for (Stmt st : body) {
            if (!(st instanceof Stmt.Assign a)) continue;
            Exprs.visit(a.value(), x -> {
                if (x instanceof Ex.Load l && storage.get(l.tensor()) instanceof Storage.Param
                        && l.idx().stream().allMatch(i -> i instanceof Idx.Fixed)) {
                    reads.putIfAbsent(l.tensor().id + ":" + l.idx(), l);
                }
            });
        }
        return reads.size() <= CPU_PARAMETERS ? List.copyOf(reads.values()) : List.of();
    }
}
