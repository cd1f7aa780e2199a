package dev.nnc.schedule;

import dev.nnc.ir.Graph;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.LoopProgram.Slot;
import dev.nnc.schedule.LoopProgram.SlotKind;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LAYOUT: the arrays the three programs of a network share — all parameters in one, all gradient sums in another,
 * a column per input and target — and, as each program's storage is decided, its workspace arrays, numbered in
 * order of first use so that slot numbers are reproducible.
 */
final class Layout {
    final List<Slot> slots = new ArrayList<>();
    private final Map<Tensor, Integer> slotOf = new IdentityHashMap<>();
    /** For each parameter, the tensor its gradient is summed into. */
    final Map<Tensor, Tensor> sums = new LinkedHashMap<>();
    private final Map<Tensor, Tensor> paramOf = new IdentityHashMap<>();
    /** Where each parameter starts in the array of all parameters (and its sum in the array of all sums). */
    final Map<Tensor, Integer> offsets = new LinkedHashMap<>();
    /** Gradient tensors summed straight into their parameter's sum as their def computes them. */
    final Map<Tensor, Tensor> direct = new IdentityHashMap<>();
    /** For each output no def computes (an input, a parameter): the workspace copy it is delivered in. */
    private final Map<Tensor, Tensor> copies = new IdentityHashMap<>();

    Layout(Graph g) {
        int total = 0;
        for (Tensor p : g.params()) {
            offsets.put(p, total);
            total += p.size();
            Tensor sum = new Tensor("Σ∂" + g.loss().name + "/∂" + p.name, Tensor.Role.GRADIENT, p.shape, null);
            sums.put(p, sum);
            paramOf.put(sum, p);
        }
        slot(new Tensor("parameters", Tensor.Role.PARAM, List.of(total), null), SlotKind.PARAM, total);
        slot(new Tensor("gradients", Tensor.Role.GRADIENT, List.of(total), null), SlotKind.GRADIENT, total);
        for (Tensor t : g.inputs()) slot(t, SlotKind.INPUT, t.size());
        for (Tensor t : g.targets()) slot(t, SlotKind.TARGET, t.size());
        for (Tensor t : g.summedDirectly()) {
            for (var e : g.gradients().entrySet()) if (e.getValue() == t) direct.put(t, sums.get(e.getKey()));
        }
    }

    /** The tensor's slot, a new one of this kind and size at its first use. */
    int slot(Tensor t, SlotKind kind, int size) {
        return slotOf.computeIfAbsent(t, x -> {
            slots.add(new Slot(kind, t, size));
            return slots.size() - 1;
        });
    }

    int slotOf(Tensor t) { return slotOf.get(t); }

    boolean isSum(Tensor t) { return paramOf.containsKey(t); }

    /** Where a gradient sum lies in the array of all of them. */
    Storage.GradientSum sumStorage(Tensor sum) { return new Storage.GradientSum(LoopProgram.GRADIENTS, offsets.get(paramOf.get(sum))); }

    /** The workspace copy an output no def computes is delivered in. */
    Tensor copy(Tensor output) {
        return copies.computeIfAbsent(output, x -> new Tensor(x.name + " (output)", Tensor.Role.VALUE, x.shape, x.span));
    }
}
