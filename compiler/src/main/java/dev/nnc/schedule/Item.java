package dev.nnc.schedule;

import dev.nnc.ir.IndexVar;
import java.util.List;

/**
 * What SCHEDULE orders before it forms blocks: a def's loop nest or a matrix product, and then runs of
 * consecutive nests, which become per-sample blocks (unrolled or fused into loops) while products stand alone.
 */
sealed interface Item {
    /** Loops over {@code vars} (none for a scalar, or for adding the loss) around these statements. */
    record Nest(List<IndexVar> vars, List<Stmt> body) implements Item {
        public Nest {
            vars = List.copyOf(vars);
            body = List.copyOf(body);
        }

        /** How many times the body runs. */
        long elements() {
            long n = 1;
            for (IndexVar v : vars) n *= v.range();
            return n;
        }
    }

    record Product(Block.Product product) implements Item {}

    /** Consecutive nests: one per-sample block. */
    record Run(List<Nest> nests) implements Item {
        public Run { nests = List.copyOf(nests); }

        /** Operations written out in full: every element of every nest, every Σ expanded. */
        long unrolledCost() {
            long total = 0;
            for (Nest n : nests) {
                for (Stmt s : n.body()) total += s instanceof Stmt.Assign a ? n.elements() * dev.nnc.ir.Cost.of(a.value()) : 1;
            }
            return total;
        }
    }
}
