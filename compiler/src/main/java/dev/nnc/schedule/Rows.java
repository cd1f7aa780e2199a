package dev.nnc.schedule;

import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ROWS (training on a CPU): the products that sum a weight's gradient over the samples ({@code Σ_b δ[b,i]·x[b,j]})
 * leave the slices' program and run after it, over every slice's samples, each thread computing a share of the
 * result's rows. A batch split into slices by samples would otherwise have every thread compute the whole gradient
 * for its own samples, and the runtime add the threads' sums: a second copy of every weight's gradient a thread, and
 * a pass over all of them a batch. By rows, each element is summed once, by one thread, from the slices' workspaces
 * in slice order; the gradient is never split.
 *
 * <p>A product moves when it is the only block that touches its gradient sum (nothing per sample adds to it, nothing
 * clears it), it sets the sum whole and row after row ({@code C} is the tensor, {@code m} rows of {@code n}), and no
 * later block of the slice writes what it reads — it reads them after the slice's program has ended.
 */
final class Rows {
    private Rows() {}

    /** The slices' blocks, and the products run afterwards by rows. */
    record Split(List<Block> slices, List<Block.Product> rows) {}

    static Split of(List<Block> blocks, Map<Tensor, Storage> storage) {
        List<Block> slices = new ArrayList<>();
        List<Block.Product> rows = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            if (blocks.get(k) instanceof Block.Product p && moves(p, k, blocks, storage)) rows.add(p);
            else slices.add(blocks.get(k));
        }
        return new Split(slices, rows);
    }

    private static boolean moves(Block.Product p, int at, List<Block> blocks, Map<Tensor, Storage> storage) {
        Tensor c = p.c().t();
        boolean shape = p.k() == Block.Product.SAMPLES && p.m() != Block.Product.SAMPLES && p.n() != Block.Product.SAMPLES
                && !p.accumulate() && storage.get(c) instanceof Storage.GradientSum
                && p.c().row() == p.n() && p.c().col() == 1 && c.size() == p.m() * p.n();
        if (!shape) return false;
        for (int k = 0; k < blocks.size(); k++) {
            if (k == at) continue;
            if (Schedule.touched(blocks.get(k)).contains(c)) return false;
            if (k > at) {
                Set<Tensor> written = written(blocks.get(k));
                if (written.contains(p.a().t()) || written.contains(p.b().t())) return false;
            }
        }
        return true;
    }

    /** The tensors a block writes. */
    private static Set<Tensor> written(Block b) {
        return switch (b) {
            case Block.Product p -> Set.of(p.c().t());
            case Block.Clear c -> Set.copyOf(c.tensors());
            case Block.Broadcast r -> Set.of(r.row());
            case Block.PerSample s -> Schedule.written(s.body());
        };
    }
}
