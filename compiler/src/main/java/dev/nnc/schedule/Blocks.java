package dev.nnc.schedule;

import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BLOCKS: the groups as the blocks generated code runs — a run unrolled ({@link Unroll}) or as fused loops
 * ({@link Fusion}) with what it keeps in locals ({@link Locals}), a product as it is — after zeroing the gradient
 * sums that loops add into.
 */
final class Blocks {
    private Blocks() {}

    /** The gradient sums that per-sample loops add into, which start at zero; a product writes its sum whole. */
    static List<Tensor> cleared(List<Group> groups, Layout layout) {
        Set<Tensor> byProduct = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Group g : groups) if (g instanceof Block.Product p && layout.isSum(p.c().t())) byProduct.add(p.c().t());
        List<Tensor> cleared = new ArrayList<>();
        for (Tensor sum : layout.sums.values()) if (!byProduct.contains(sum)) cleared.add(sum);
        return cleared;
    }

    static List<Block> of(List<Group> groups, List<Tensor> cleared, Map<Tensor, Storage> storage, Schedule.Target target) {
        List<Block> blocks = new ArrayList<>();
        if (!cleared.isEmpty()) blocks.add(new Block.Clear(cleared));
        for (Group g : groups) {
            blocks.add(switch (g) {
                case Block.Product p -> p;
                case Group.Unrolled u -> perSample(Unroll.block(u.nests()), true, storage, target);
                case Group.Loops l -> perSample(Fusion.loops(l.nests()), false, storage, target);
            });
        }
        return blocks;
    }

    static Block.PerSample perSample(List<Stmt> body, boolean unrolled, Map<Tensor, Storage> storage, Schedule.Target target) {
        return new Block.PerSample(body, unrolled, Locals.accumulators(body, unrolled, target, storage),
                Locals.parameters(body, unrolled, target, storage));
    }
}
