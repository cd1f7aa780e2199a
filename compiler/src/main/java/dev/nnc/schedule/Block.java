package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Tensor;
import java.util.List;

/** A step of a loop program: a loop over the slice's samples, or a matrix product over all of them at once. */
public sealed interface Block {
    /**
     * For every sample of the slice, in order: these statements. Unrolled: no loops, every subscript fixed.
     * {@code accumulators} are summed in registers over the samples and written once at the end; the
     * {@code parameters}' elements are read into registers once, before the samples ({@link Locals}).
     */
    record PerSample(List<Stmt> body, boolean unrolled, List<Accumulator> accumulators, List<Ex.Load> parameters) implements Block {
        public PerSample {
            body = List.copyOf(body);
            accumulators = List.copyOf(accumulators);
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * {@code C[i,j] (+)= Σ_p A[i,p]·B[p,j]} for i &lt; m, j &lt; n, p &lt; k, by the runtime's matrix kernel;
     * an extent of {@link #SAMPLES} is the slice's sample count. A product is the same before grouping
     * ({@link Item}), after it ({@link Group}) and as a block.
     */
    record Product(Operand c, Operand a, Operand b, int m, int n, int k, boolean accumulate) implements Block, Item, Group {
        public static final int SAMPLES = -1;
    }

    /**
     * Every sample's {@code row} (a workspace tensor of one row) set to the parameter {@code from}, of as many elements:
     * the rows a product then adds into ({@link Bias}).
     */
    record Broadcast(Tensor row, Tensor from) implements Block {}

    /** Sets these tensors (gradient sums that per-sample loops add into) to zero, before anything adds to them. */
    record Clear(List<Tensor> tensors) implements Block {
        public Clear { tensors = List.copyOf(tensors); }
    }

    /**
     * A matrix view of a tensor's array: element (i, j) at {@code i·row + j·col} from where the tensor's
     * storage starts (for inputs, the slice's first sample).
     */
    record Operand(Tensor t, int row, int col) {}
}
