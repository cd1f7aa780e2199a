package dev.nnc.ir;

import dev.nnc.ast.Expr.Compare;
import java.util.List;

/**
 * IR expressions: the value of one element of a tensor, in index notation. Only primitive operations
 * remain after EXPAND, except {@link Apply} of a library function that states its derivative and
 * {@link Fused} operations made by the stability rewrites; both carry their own derivatives.
 */
public sealed interface Ex {
    record Num(double value) implements Ex {}

    /** One element of a tensor; as many subscripts as the tensor has dimensions. */
    record Load(Tensor tensor, List<Idx> idx) implements Ex {
        public Load { idx = List.copyOf(idx); }
    }

    record Unary(UnOp op, Ex a) implements Ex {}

    record Binary(BinOp op, Ex a, Ex b) implements Ex {}

    /** An Iverson bracket: 1 where the comparison holds, else 0. Its derivative is 0. */
    record Cmp(Compare op, Ex a, Ex b) implements Ex {}

    /** {@code cond ≠ 0 ? then : otherwise}; only the chosen branch is evaluated, so ∞·0 never arises. */
    record Select(Ex cond, Ex then, Ex otherwise) implements Ex {}

    /** Kronecker's delta on subscripts, [a = b]: how adjoints of constant or repeated subscripts look. */
    record Same(Idx a, Idx b) implements Ex {}

    /** Σ over i = 1 … range. */
    record Sum(IndexVar i, Ex body) implements Ex {}

    /** max over i = 1 … range; only ever under {@link NoGrad} (the max-shift of a softmax). */
    record Max(IndexVar i, Ex body) implements Ex {}

    /** The value of a, treated as a constant by DIFFERENTIATE: shifts whose effect cancels out. */
    record NoGrad(Ex a) implements Ex {}

    /** A library function kept as one operation: evaluated by its body, differentiated by what it states. */
    record Apply(Function f, List<Ex> args) implements Ex {
        public Apply { args = List.copyOf(args); }
    }

    /** The k-th argument, inside a {@link Function}'s body and derivatives. */
    record Arg(int k) implements Ex {}

    /**
     * A value computed stably by a rewrite, with its partial derivatives given: each partial says, for every
     * assignment of its vars, ∂value/∂target = derivative. DIFFERENTIATE uses those, not the value's form.
     */
    record Fused(String rule, Ex value, List<Partial> partials) implements Ex {
        public Fused { partials = List.copyOf(partials); }
    }

    record Partial(List<IndexVar> vars, Load target, Ex derivative) {
        public Partial { vars = List.copyOf(vars); }
    }

    enum UnOp { NEG, EXP, LOG, SQRT, ABS }

    enum BinOp { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    static Ex add(Ex a, Ex b) { return new Binary(BinOp.ADD, a, b); }

    static Ex sub(Ex a, Ex b) { return new Binary(BinOp.SUB, a, b); }

    static Ex mul(Ex a, Ex b) { return new Binary(BinOp.MUL, a, b); }

    static Ex div(Ex a, Ex b) { return new Binary(BinOp.DIV, a, b); }

    static Ex neg(Ex a) { return new Unary(UnOp.NEG, a); }
}
