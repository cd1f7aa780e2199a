package dev.nnc.lower;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;

/**
 * EXPAND: inlines every function call whose derivatives are not all stated, so that only primitive
 * operations remain — and the library functions that state their derivatives (σ, tanh, softplus,
 * bce_logits), which stay one operation each, evaluated by their body and differentiated as stated.
 */
public final class Expand {
    private Expand() {}

    public static Graph run(Graph g) {
        return g.withForward(g.forward().stream().map(d -> d.withBody(expand(d.body()))).toList());
    }

    public static Ex expand(Ex e) {
        return Exprs.transform(e, x -> x instanceof Ex.Apply a && !a.f().fullyStated()
                ? expand(Exprs.bindArgs(a.f().body(), a.args())) : x);
    }
}
