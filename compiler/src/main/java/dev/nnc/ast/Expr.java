package dev.nnc.ast;

import dev.nnc.source.Span;
import java.util.List;

/**
 * Expressions. Spellings are gone here: {@code ·}, {@code *} and juxtaposition are all {@link Op#MUL};
 * {@code √x} is a call of {@code sqrt}; {@code x²} is a power; {@code xᵢ} is {@code x[i]}.
 */
public sealed interface Expr {
    Span span();

    record Num(double value, Span span) implements Expr {}

    /** A name, possibly qualified ({@code h1.w}) and subscripted ({@code W[j,i]}, {@code x₁}). */
    record Ref(Ident name, List<Index> indices, Span span) implements Expr {
        public Ref { indices = List.copyOf(indices); }
    }

    /** {@code f(args)}, optionally indexed when f is vector-valued: {@code log_softmax(z)[k]}. */
    record Call(Ident callee, List<Arg> args, List<Index> indices, Span span) implements Expr {
        public Call {
            args = List.copyOf(args);
            indices = List.copyOf(indices);
        }
    }

    record Neg(Expr operand, Span span) implements Expr {}

    record Binary(Op op, Expr left, Expr right, Span span) implements Expr {}

    /**
     * {@code Σᵢ body}, or {@code max_{p=1}^{2} body} (a reduction by max, as in max pooling); {@code lower} and
     * {@code upper} are null unless written ({@code Σ_{i=1}^{n}}).
     */
    record Sum(Reduction op, Ident index, Integer lower, Bound upper, Expr body, Span span) implements Expr {}

    /** What a {@link Sum} reduces by. */
    enum Reduction {
        SUM("Σ", "sum"), MAX("max", "max");

        public final String unicode;
        public final String ascii;

        Reduction(String unicode, String ascii) {
            this.unicode = unicode;
            this.ascii = ascii;
        }
    }

    /** {@code ∂J/∂θ} */
    record Derivative(Ident of, Ident wrt, Span span) implements Expr {}

    /** The Iverson bracket {@code [a > b]}: 1 where the comparison holds, else 0. */
    record Iverson(Expr left, Compare op, Expr right, Span span) implements Expr {}

    enum Op { ADD, SUB, MUL, DIV, POW }

    enum Compare {
        LT("<", "<"), LE("≤", "<="), GT(">", ">"), GE("≥", ">="), EQ("==", "=="), NE("≠", "!=");

        public final String unicode;
        public final String ascii;

        Compare(String unicode, String ascii) {
            this.unicode = unicode;
            this.ascii = ascii;
        }

        /** Whether {@code l op r} holds. */
        public boolean holds(double l, double r) {
            return switch (this) {
                case LT -> l < r;
                case LE -> l <= r;
                case GT -> l > r;
                case GE -> l >= r;
                case EQ -> l == r;
                case NE -> l != r;
            };
        }
    }

    /** The upper bound of a written sum range: a number or a name for the inferred range. */
    sealed interface Bound {
        Span span();
    }

    record NumberBound(int value, Span span) implements Bound {}

    record NameBound(Ident name, Span span) implements Bound {}
}
