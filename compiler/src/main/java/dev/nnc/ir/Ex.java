package dev.nnc.ir;

import dev.nnc.ast.Expr.Compare;
import dev.nnc.runtime.Primitive;
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

    record Neg(Ex a) implements Ex {}

    record Binary(BinOp op, Ex a, Ex b) implements Ex {
        /**
         * The x of x², else null. Every backend computes a square as x · x — x evaluated once, one multiplication,
         * exact where pow need not be — and the bits of the backends agree because they all decide it here.
         */
        public Ex squared() { return op == BinOp.POW && b instanceof Num n && n.value() == 2 ? a : null; }
    }

    /** A primitive function (exp, max, …) of as many arguments as it takes. */
    record Call(Primitive f, List<Ex> args) implements Ex {
        public Call {
            args = List.copyOf(args);
            if (args.size() != f.arity) throw new IllegalStateException("internal: " + f.spelling + " of " + args.size() + " arguments");
        }

        /** The first argument. */
        public Ex a() { return args.get(0); }

        /** The second argument, of a primitive of two. */
        public Ex b() { return args.get(1); }
    }

    /** An Iverson bracket: 1 where the comparison holds, else 0. Its derivative is 0. */
    record Cmp(Compare op, Ex a, Ex b) implements Ex {}

    /** {@code cond ≠ 0 ? then : otherwise}; only the chosen branch is evaluated, so ∞·0 never arises. */
    record Select(Ex cond, Ex then, Ex otherwise) implements Ex {}

    /** Kronecker's delta on subscripts, [a = b]: how adjoints of constant or repeated subscripts look. */
    record Same(Idx a, Idx b) implements Ex {}

    /**
     * 1 where the subscript lies within a dimension of {@code size} (0 ≤ at < size), else 0: the bounds guard of a
     * solved adjoint ({@code δx[m] = Σₚ [1 ≤ m−p+1 ≤ 24] …}) and of a padded read. Its derivative is 0.
     */
    record InRange(Idx at, int size) implements Ex {
        /** Whether it holds for every value of its variables (true), for none (false), or it depends (null). */
        public Boolean decided() {
            if (Idx.min(at) >= 0 && Idx.max(at) < size) return true;
            if (Idx.max(at) < 0 || Idx.min(at) >= size) return false;
            return null;
        }
    }

    /**
     * The row-major position, counted from 0, of the subscripts {@code at} in a window of this shape, as a number:
     * what a max's subgradient compares with the window's {@link ArgMax}
     * ({@code [(i−2k+2, j−2l+2) = argmax_{p,q} a[c,2k+p−2,2l+q−2]]}); −1 where a subscript lies outside the window,
     * so that no position outside matches. Its derivative is 0.
     */
    record Position(List<Idx> at, List<Integer> shape) implements Ex {
        public Position {
            at = List.copyOf(at);
            shape = List.copyOf(shape);
            if (at.size() != shape.size()) throw new IllegalStateException("internal: " + at.size() + " subscripts in a window of " + shape);
        }
    }

    /**
     * The row-major position, counted from 0, of the first maximum of body over the window its variables span: the
     * subgradient of a max (max pooling) goes there, as PyTorch's goes to the first maximum. Its derivative is 0.
     */
    record ArgMax(List<IndexVar> vars, Ex body) implements Ex {
        public ArgMax { vars = List.copyOf(vars); }

        /** The window's extents, the variables' ranges. */
        public List<Integer> shape() { return vars.stream().map(IndexVar::range).toList(); }

        /** How many positions the window has. */
        public int size() { return vars.stream().mapToInt(IndexVar::range).reduce(1, Math::multiplyExact); }
    }

    /** Σ over i = 1 … range. */
    record Sum(IndexVar i, Ex body) implements Ex {}

    /** max over i = 1 … range: a softmax's shift (under {@link NoGrad}), max pooling. */
    record Max(IndexVar i, Ex body) implements Ex {}

    /**
     * A value with something only DIFFERENTIATE reads ({@link NoGrad}, {@link Fused}): the interpreter, the code
     * generators and the printer compute and show the {@link #value} alone.
     */
    sealed interface Annotated extends Ex {
        Ex value();

        /** e with every annotation around it taken off. */
        static Ex strip(Ex e) {
            while (e instanceof Annotated w) e = w.value();
            return e;
        }
    }

    /** The value of a, treated as a constant by DIFFERENTIATE: shifts whose effect cancels out. */
    record NoGrad(Ex a) implements Annotated {
        public Ex value() { return a; }
    }

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
    record Fused(String rule, Ex value, List<Partial> partials) implements Annotated {
        public Fused { partials = List.copyOf(partials); }
    }

    record Partial(List<IndexVar> vars, Load target, Ex derivative) {
        public Partial { vars = List.copyOf(vars); }
    }

    /** The arithmetic of the language's operators; every function besides is a {@link Call} of a {@link Primitive}. */
    enum BinOp { ADD, SUB, MUL, DIV, POW }

    static Ex add(Ex a, Ex b) { return new Binary(BinOp.ADD, a, b); }

    static Ex sub(Ex a, Ex b) { return new Binary(BinOp.SUB, a, b); }

    static Ex mul(Ex a, Ex b) { return new Binary(BinOp.MUL, a, b); }

    static Ex div(Ex a, Ex b) { return new Binary(BinOp.DIV, a, b); }

    static Ex neg(Ex a) { return new Neg(a); }

    static Ex call(Primitive f, Ex... args) { return new Call(f, List.of(args)); }

    /** Whether e is a call of f. */
    static boolean isCall(Ex e, Primitive f) { return e instanceof Call c && c.f() == f; }
}
