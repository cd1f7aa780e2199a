package dev.nnc.check;

import dev.nnc.ast.Expr;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Builtins;
import dev.nnc.runtime.Primitive;
import java.util.Arrays;

/**
 * Evaluates the expressions that must be known before training starts: initial values, defaults,
 * hyperparameters, settings. Numbers, arithmetic, π and the elementary builtins only. A constant, or a constant
 * part of a body, whose value is not a finite number (1/0, exp(1000), log(-1), 0/0) is an error at the operation
 * that made it so: LOWER folds constants, and an infinity or NaN there would only surface as a NaN loss in training.
 */
public final class Constants {
    private Constants() {}

    /** The value of an expression the checker has already accepted as a constant. */
    public static double of(Expr e) {
        try {
            return value(e);
        } catch (NotConstant nc) {
            throw new IllegalStateException("internal: not a constant after checking: " + nc.reason);
        }
    }

    /** The value, or null after reporting why it is not a constant, or which operation in it is not a finite number. */
    static Double eval(Expr e, Reporter reporter, String what) {
        double v;
        try {
            v = value(e);
        } catch (NotConstant nc) {
            reporter.error(Key.NOT_CONSTANT, nc.where.span(), what + " must be a constant, but it uses " + nc.reason,
                    "use numbers, arithmetic, π and " + Builtins.functionNames());
            return null;
        }
        // Every operation, not only the result: min(1, exp(1000)) is 1, but exp(1000) is still a mistake.
        boolean[] reported = {false};
        fold(e, d -> {
            reported[0] = true;
            reporter.report(d);
        }, what);
        if (!reported[0] && !Double.isFinite(v)) report(e, reporter, what, "is " + v, null); // no operation to blame: cannot happen
        return reported[0] || !Double.isFinite(v) ? null : v;
    }

    /** Reports every constant part of a body (an equation's, a function's) whose value is not a finite number. */
    static void checkFinite(Expr body, Reporter reporter) { fold(body, reporter, "this constant"); }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static final class NotConstant extends RuntimeException {
        final Expr where;
        final String reason;

        NotConstant(Expr where, String reason) {
            super(null, null, false, false);
            this.where = where;
            this.reason = reason;
        }
    }

    private static double value(Expr e) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Neg n -> -value(n.operand());
            case Expr.Binary b -> binary(b.op(), value(b.left()), value(b.right()));
            case Expr.Ref r when isConstant(r) -> Builtins.CONSTANTS.get(r.name().name());
            case Expr.Ref r -> throw new NotConstant(e, "the name " + r.name().name());
            case Expr.Call c when builtin(c) != null -> {
                double[] args = new double[c.args().size()];
                for (int k = 0; k < args.length; k++) args[k] = value(c.args().get(k).value());
                yield builtin(c).apply(args);
            }
            case Expr.Call c -> throw new NotConstant(e, "a call of " + c.callee().name());
            case Expr.Sum s -> throw new NotConstant(e, "a sum");
            case Expr.Derivative d -> throw new NotConstant(e, "a derivative");
            case Expr.Iverson i -> i.op().holds(value(i.left()), value(i.right())) ? 1 : 0;
        };
    }

    private static boolean isConstant(Expr.Ref r) {
        return r.indices().isEmpty() && Builtins.CONSTANTS.containsKey(r.name().name());
    }

    /** The primitive a call calls with its arguments in order, else null. */
    private static Primitive builtin(Expr.Call c) {
        var b = Builtins.FUNCTIONS.get(c.callee().name());
        return b != null && c.args().size() == b.arity() && c.indices().isEmpty() && c.args().stream().allMatch(a -> a.name() == null)
                ? b.primitive() : null;
    }

    private static double binary(Expr.Op op, double l, double r) {
        return switch (op) {
            case ADD -> l + r;
            case SUB -> l - r;
            case MUL -> l * r;
            case DIV -> l / r;
            case POW -> Math.pow(l, r);
        };
    }

    /**
     * The value of e when it is a constant, else null; reports each operation whose operands are finite numbers but
     * whose result is not (the first place a constant goes wrong; what it spoils above it is not reported again).
     */
    private static Double fold(Expr e, Reporter reporter, String what) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Neg n -> {
                Double v = fold(n.operand(), reporter, what);
                yield v == null ? null : -v;
            }
            case Expr.Binary b -> {
                Double l = fold(b.left(), reporter, what), r = fold(b.right(), reporter, what);
                if (l == null || r == null) yield null;
                double v = binary(b.op(), l, r);
                if (!Double.isFinite(v) && Double.isFinite(l) && Double.isFinite(r)) {
                    report(e, reporter, what, binaryReason(b.op(), l, r), binaryHint(b.op(), l, r));
                }
                yield v;
            }
            case Expr.Ref r -> isConstant(r) ? Builtins.CONSTANTS.get(r.name().name()) : null;
            case Expr.Call c -> {
                Double[] folded = new Double[c.args().size()];
                for (int k = 0; k < folded.length; k++) folded[k] = fold(c.args().get(k).value(), reporter, what);
                Primitive f = builtin(c);
                if (f == null) yield null;
                double[] args = new double[folded.length];
                for (int k = 0; k < args.length; k++) {
                    if (folded[k] == null) yield null;
                    args[k] = folded[k];
                }
                double v = f.apply(args);
                if (!Double.isFinite(v) && Arrays.stream(args).allMatch(Double::isFinite)) {
                    report(e, reporter, what, f.notFinite(args[0]), f.hint);
                }
                yield v;
            }
            case Expr.Sum s -> {
                fold(s.body(), reporter, what);
                yield null;
            }
            case Expr.Derivative d -> null;
            case Expr.Iverson i -> {
                Double l = fold(i.left(), reporter, what), r = fold(i.right(), reporter, what);
                yield l == null || r == null ? null : i.op().holds(l, r) ? 1.0 : 0.0;
            }
        };
    }

    private static void report(Expr at, Reporter reporter, String what, String reason, String hint) {
        String text = at.span().text();
        if (text.codePointCount(0, text.length()) > 40) text = "this";
        reporter.error(Key.NOT_FINITE, at.span(), what + " is not a finite number: " + text + " " + reason, hint);
    }

    private static String binaryReason(Expr.Op op, double l, double r) {
        return switch (op) {
            case DIV -> l == 0 ? "is undefined" : "divides by zero";
            case POW -> l == 0 && r < 0 ? "raises 0 to a negative power, a division by zero"
                    : l < 0 ? "raises a negative number to a fractional power" : "is larger than the largest double (about 1.8e308)";
            default -> "is larger than the largest double (about 1.8e308)";
        };
    }

    private static String binaryHint(Expr.Op op, double l, double r) {
        return switch (op) {
            case DIV -> "divide by a number other than 0";
            case POW -> l == 0 ? "a power of 0 needs a positive exponent" : l < 0 ? "a negative base needs a whole exponent"
                    : "use a smaller number";
            default -> "use a smaller number";
        };
    }
}
