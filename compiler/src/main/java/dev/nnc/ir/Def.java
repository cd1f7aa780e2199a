package dev.nnc.ir;

import java.util.List;

/** {@code tensor[vars] = body}: defines every element of a tensor. */
public record Def(Tensor tensor, List<IndexVar> vars, Ex body) {
    public Def {
        vars = List.copyOf(vars);
        if (vars.size() != tensor.rank()) {
            throw new IllegalStateException("internal: " + tensor.name + " has rank " + tensor.rank()
                    + " but is defined with " + vars.size() + " indices");
        }
    }

    public Def withBody(Ex b) { return new Def(tensor, vars, b); }
}
