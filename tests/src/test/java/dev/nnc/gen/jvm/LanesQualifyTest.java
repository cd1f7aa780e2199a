package dev.nnc.gen.jvm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.Stmt;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which loops run on vectors, where the answer is about safety rather than speed (LanesTest checks the values): a
 * vector loop reads a value meant for every lane (stride 0) whenever any lane runs, so under a guard on the loop's
 * index such a read must stay inside its tensor by itself; a loop that reads what it writes elsewhere than at the
 * element written does not qualify.
 */
class LanesQualifyTest {
    static final IndexVar J = new IndexVar("j", 16);
    static final Tensor Y = new Tensor("y", Tensor.Role.VALUE, List.of(16), null), X = new Tensor("x", Tensor.Role.VALUE, List.of(4), null);

    /** {@code y[j] = [0 ≤ j − 20 < 4] · x[at]}: the guard fails for every lane of the loop. */
    static Stmt.Loop guarded(int at) {
        Ex guard = new Ex.InRange(Idx.affine(List.of(new Idx.Term(J, 1)), -20), 4);
        Ex value = new Ex.Select(guard, new Ex.Load(X, List.of(new Idx.Fixed(at))), new Ex.Num(0));
        return new Stmt.Loop(J, List.of(new Stmt.Assign(Y, List.of(Idx.of(J)), value, false)));
    }

    @Test
    void aBroadcastUnderAGuardOnTheLoopIndexMustStayInsideByItself() {
        assertTrue(Lanes.applies(guarded(2), 2, t -> false));
        assertFalse(Lanes.applies(guarded(7), 2, t -> false), "x[7] is read only where the guard holds, which is nowhere");
    }

    @Test
    void aLoopThatReadsWhatItWritesElsewhereStaysScalar() {
        assertTrue(Lanes.applies(new Stmt.Loop(J, List.of(new Stmt.Assign(Y, List.of(Idx.of(J)), new Ex.Binary(Ex.BinOp.ADD, new Ex.Load(Y, List.of(Idx.of(J))), new Ex.Num(1)), false))), 2, t -> false));
        var next = new Ex.Load(Y, List.of(new Idx.Fixed(3)));
        assertFalse(Lanes.applies(new Stmt.Loop(J, List.of(new Stmt.Assign(Y, List.of(Idx.of(J)), next, false))), 2, t -> false),
                "y[j] = y[3] reads an element another lane writes");
    }

    @Test
    void shortLoopsAndRegistersStayScalar() {
        assertFalse(Lanes.applies(guarded(2), 17, t -> false), "16 elements, fewer than asked for");
        assertFalse(Lanes.applies(guarded(2), 2, t -> t == Y), "y lives in locals");
    }
}
