package dev.nnc.schedule;

import dev.nnc.ir.Idx;
import dev.nnc.ir.Tensor;
import java.util.List;

/**
 * A value a per-sample block adds up over the samples it runs in a register (a JVM local, a CUDA thread's
 * register), written where it belongs once at the end rather than once per sample. {@link Locals} decides which.
 */
public sealed interface Accumulator {
    /** The samples' loss. */
    record Loss() implements Accumulator {}

    /** One element of a parameter's gradient sum, at {@code at} (every subscript fixed). */
    record Element(Tensor sum, List<Idx> at) implements Accumulator {
        public Element { at = List.copyOf(at); }

        /** The element's flat position in its sum. */
        public int element() { return Subscripts.fixedElement(sum, at); }
    }
}
