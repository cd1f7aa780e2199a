package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.List;

/** A statement of a per-sample block: what one sample runs. */
public sealed interface Stmt {
    /** {@code for v in 0 … range − 1}. */
    record Loop(IndexVar v, List<Stmt> body) implements Stmt {
        public Loop { body = List.copyOf(body); }
    }

    /** {@code t[at] = value}, or {@code t[at] += value} (a gradient summed over the samples). */
    record Assign(Tensor t, List<Idx> at, Ex value, boolean add) implements Stmt {
        public Assign { at = List.copyOf(at); }
    }

    /** Adds the sample's loss to the sum the method returns. */
    record AddLoss(Tensor loss) implements Stmt {}

    /**
     * One sample's matrix product {@code C[i,j] (+)= Σ_p A[i,p]·B[p,j]} by the runtime's kernel, each operand a matrix
     * view from the sample's element 0 of its tensor (a parameter's from its start): a convolution's weighted sum and
     * its gradients after IM2COL ({@link Contractions#perSample}). CPU only.
     */
    record Product(Block.Operand c, Block.Operand a, Block.Operand b, int m, int n, int k, boolean accumulate) implements Stmt {}
}
