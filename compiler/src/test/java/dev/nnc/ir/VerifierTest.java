package dev.nnc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verifier accepts a well-formed graph and names what is wrong with a broken one. */
class VerifierTest {
    final Tensor x = new Tensor("x", Tensor.Role.INPUT, List.of(3), null);
    final Tensor w = new Tensor("W", Tensor.Role.PARAM, List.of(2, 3), null);

    Graph graph(List<Def> forward, Tensor loss) {
        return new Graph("N", List.of(x), List.of(), List.of(w), Map.of(), forward, loss, List.of(loss), List.of(),
                Map.of(), List.of(), List.of());
    }

    @Test
    void acceptsIndexNotation() {
        var j = new IndexVar("j", 2);
        var i = new IndexVar("i", 3);
        var h = new Tensor("h", Tensor.Role.VALUE, List.of(2), null);
        var hDef = new Def(h, List.of(j), new Ex.Sum(i, Ex.mul(new Ex.Load(w, List.of(Idx.of(j), Idx.of(i))),
                new Ex.Load(x, List.of(Idx.of(i))))));
        var k = new IndexVar("k", 2);
        var loss = new Tensor("J", Tensor.Role.VALUE, List.of(), null);
        var jDef = new Def(loss, List.of(), new Ex.Sum(k, new Ex.Load(h, List.of(Idx.of(k)))));
        var g = graph(List.of(hDef, jDef), loss);
        assertEquals(g, Verifier.verify(g, "test"));
        assertEquals("h[j] = Σᵢ W[j,i] · x[i]", IrPrinter.def(hDef, IrPrinter.Style.UNICODE));
        assertEquals("h[j] = sum_i W[j,i] * x[i]", IrPrinter.def(hDef, IrPrinter.Style.ASCII));
    }

    @Test
    void rejectsAFreeVariableAWrongRangeAndAnEarlyRead() {
        var j = new IndexVar("j", 2);
        var i = new IndexVar("i", 3);
        var loss = new Tensor("J", Tensor.Role.VALUE, List.of(), null);
        var free = new Def(loss, List.of(), new Ex.Load(x, List.of(Idx.of(i))));
        var e1 = assertThrows(IllegalStateException.class, () -> Verifier.verify(graph(List.of(free), loss), "lower"));
        assertTrue(e1.getMessage().contains("free variable"), e1.getMessage());

        var range = new Def(loss, List.of(), new Ex.Sum(j, new Ex.Load(x, List.of(Idx.of(j)))));
        var e2 = assertThrows(IllegalStateException.class, () -> Verifier.verify(graph(List.of(range), loss), "lower"));
        assertTrue(e2.getMessage().contains("ranges over 2, not 3"), e2.getMessage());

        var later = new Tensor("later", Tensor.Role.VALUE, List.of(), null);
        var early = new Def(loss, List.of(), new Ex.Load(later, List.of()));
        var e3 = assertThrows(IllegalStateException.class,
                () -> Verifier.verify(graph(List.of(early, new Def(later, List.of(), new Ex.Num(1))), loss), "lower"));
        assertTrue(e3.getMessage().contains("before it is defined"), e3.getMessage());

        var fixed = new Def(loss, List.of(), new Ex.Load(x, List.of(new Idx.Fixed(3))));
        var e4 = assertThrows(IllegalStateException.class, () -> Verifier.verify(graph(List.of(fixed), loss), "lower"));
        assertTrue(e4.getMessage().contains("out of range"), e4.getMessage());
    }
}
