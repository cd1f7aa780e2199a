package dev.nnc.schedule;

import dev.nnc.ir.Tensor;
import dev.nnc.schedule.LoopProgram.SlotKind;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PLACE: where each tensor of a method lives — parameters and gradient sums in their shared arrays, inputs and
 * targets in their columns, what crosses blocks, feeds a product over the samples or is delivered to the runtime in
 * workspace arrays (a value per sample of the slice), scalars and an unrolled block's small tensors in locals, and on
 * a CPU the rest — what one per-sample block writes and reads, a convolution's adjoints — in scratch, one sample's
 * worth that each sample reuses.
 */
final class Placement {
    private Placement() {}

    /** The most elements a tensor may have to live in locals (an unrolled block's, one local each). */
    static final int REGISTER_LIMIT = 256;

    /** @param cleared gradient sums zeroed before the blocks: placed too, though no block may touch them */
    static Map<Tensor, Storage> of(List<Group> groups, Layout layout, Set<Tensor> delivered, List<Tensor> cleared, Schedule.Target target) {
        Map<Tensor, Set<Integer>> blocksOf = new LinkedHashMap<>(); // in order of first use: slot numbers are reproducible
        Set<Tensor> mustBeArray = Collections.newSetFromMap(new IdentityHashMap<>());
        mustBeArray.addAll(delivered);
        for (int k = 0; k < groups.size(); k++) {
            int block = k;
            Set<Tensor> touched = switch (groups.get(k)) {
                case Block.Product p -> Schedule.touched(p);
                case Group.Unrolled u -> touched(u.nests());
                case Group.Loops l -> touched(l.nests());
            };
            for (Tensor t : touched) blocksOf.computeIfAbsent(t, x -> new LinkedHashSet<>()).add(block);
            if (groups.get(k) instanceof Block.Product) mustBeArray.addAll(touched);
        }
        Map<Tensor, Storage> storage = new LinkedHashMap<>();
        for (var e : blocksOf.entrySet()) {
            Tensor t = e.getKey();
            Storage s = switch (t.role) {
                case PARAM -> new Storage.Param(LoopProgram.PARAMETERS, layout.offsets.get(t));
                case INPUT, TARGET -> new Storage.Column(layout.slotOf(t));
                default -> {
                    if (layout.isSum(t)) yield layout.sumStorage(t);
                    boolean local = !mustBeArray.contains(t) && e.getValue().size() == 1
                            && (t.rank() == 0 || groups.get(e.getValue().iterator().next()) instanceof Group.Unrolled && t.size() <= REGISTER_LIMIT);
                    if (local) yield new Storage.Registers();
                    boolean scratch = target == Schedule.Target.CPU && !mustBeArray.contains(t) && e.getValue().size() == 1;
                    yield scratch ? new Storage.Scratch(layout.slot(t, SlotKind.SCRATCH, t.size()))
                            : new Storage.Work(layout.slot(t, SlotKind.WORK, t.size()));
                }
            };
            storage.put(t, s);
        }
        for (Tensor t : cleared) storage.putIfAbsent(t, layout.sumStorage(t));
        return storage;
    }

    private static Set<Tensor> touched(List<Nest> nests) {
        return Schedule.touched(nests.stream().flatMap(n -> n.body().stream()).toList());
    }
}
