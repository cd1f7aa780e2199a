package dev.nnc.opt;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits an optimizer's updates into what is the same for every element of a step and what is not. The largest
 * subexpressions that read nothing but the step t and the learning rate (Adam's 1 − β1ᵗ, a bare α) become
 * per-step values, each a named scalar slot; the per-element updates read those slots instead, and never t or the
 * rate. A division by a per-step value becomes a product with its reciprocal, the reciprocal per step: so the
 * element loop multiplies (Adam's m · (1/(1 − β1ᵗ))) where it would divide. Every backend takes its step from this
 * split — per-step values once per step, in double, then the elements — so they compute the same values the same
 * way.
 */
public final class StepSplit {
    private final Tensor step, rate;
    /** The per-step values so far by their structural key: a subexpression met twice is one value. */
    private final Map<String, OptimizerIr.Update> perStep = new LinkedHashMap<>();

    private StepSplit(Tensor step, Tensor rate) {
        this.step = step;
        this.rate = rate;
    }

    /** The split of {@code updates}, which read t from {@code step} and the learning rate from {@code rate} (or null). */
    public static Split split(List<OptimizerIr.Update> updates, Tensor step, Tensor rate) {
        var s = new StepSplit(step, rate);
        List<OptimizerIr.Update> perElement = new ArrayList<>();
        for (var u : updates) perElement.add(new OptimizerIr.Update(u.slot(), s.hoist(u.value())));
        return new Split(List.copyOf(s.perStep.values()), perElement);
    }

    /**
     * @param perStep    each a slot and its value, which reads only t and the rate, in order of first use
     * @param perElement the updates, in order, reading θ, ∂J/∂θ, the state and the per-step slots
     */
    public record Split(List<OptimizerIr.Update> perStep, List<OptimizerIr.Update> perElement) {}

    private Ex hoist(Ex e) {
        if (!(e instanceof Ex.Num) && perStepOnly(e)) return value(e);
        // a literal divisor stays: its reciprocal would round, and dividing by it is what the program says
        if (e instanceof Ex.Binary b && b.op() == Ex.BinOp.DIV && !(b.b() instanceof Ex.Num) && perStepOnly(b.b())) {
            return Ex.mul(hoist(b.a()), value(Ex.div(new Ex.Num(1), b.b())));
        }
        return Exprs.mapChildren(e, this::hoist);
    }

    /** A read of the per-step value e, made on first use. */
    private Ex value(Ex e) {
        var u = perStep.computeIfAbsent(Exprs.key(e), k ->
                new OptimizerIr.Update(new Tensor("step value " + perStep.size(), Tensor.Role.SLOT, List.of(), null), e));
        return new Ex.Load(u.slot(), List.of());
    }

    private boolean perStepOnly(Ex e) {
        for (Tensor t : Exprs.reads(e)) if (t != step && t != rate) return false;
        return true;
    }
}
