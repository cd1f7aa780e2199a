package dev.nnc.check;

import dev.nnc.ast.Expr;
import dev.nnc.diag.Key;
import dev.nnc.resolve.Builtins;

/**
 * Evaluates the expressions that must be known before training starts: initial values, defaults,
 * hyperparameters, settings. Numbers, arithmetic, π and the elementary builtins only.
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

    /** The value, or null after reporting why it is not a constant. */
    static Double eval(Expr e, Reporter reporter, String what) {
        try {
            return value(e);
        } catch (NotConstant nc) {
            reporter.error(Key.NOT_CONSTANT, nc.where.span(), what + " must be a constant, but it uses " + nc.reason,
                    "use numbers, arithmetic, π and exp/log/sqrt/abs/max/min");
            return null;
        }
    }

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
            case Expr.Binary b -> {
                double l = value(b.left()), r = value(b.right());
                yield switch (b.op()) {
                    case ADD -> l + r;
                    case SUB -> l - r;
                    case MUL -> l * r;
                    case DIV -> l / r;
                    case POW -> Math.pow(l, r);
                };
            }
            case Expr.Ref r when r.indices().isEmpty() && Builtins.CONSTANTS.containsKey(r.name().name()) ->
                    Builtins.CONSTANTS.get(r.name().name());
            case Expr.Ref r -> throw new NotConstant(e, "the name " + r.name().name());
            case Expr.Call c when Builtins.FUNCTIONS.containsKey(c.callee().name())
                    && c.args().size() == Builtins.FUNCTIONS.get(c.callee().name()).arity()
                    && c.indices().isEmpty() && c.args().stream().allMatch(a -> a.name() == null) -> {
                double a = value(c.args().get(0).value());
                yield switch (c.callee().name()) {
                    case "exp" -> Math.exp(a);
                    case "log" -> Math.log(a);
                    case "sqrt" -> Math.sqrt(a);
                    case "abs" -> Math.abs(a);
                    case "max" -> Math.max(a, value(c.args().get(1).value()));
                    default -> Math.min(a, value(c.args().get(1).value()));
                };
            }
            case Expr.Call c -> throw new NotConstant(e, "a call of " + c.callee().name());
            case Expr.Sum s -> throw new NotConstant(e, "a sum");
            case Expr.Derivative d -> throw new NotConstant(e, "a derivative");
            case Expr.Iverson i -> {
                double l = value(i.left()), r = value(i.right());
                yield i.op().holds(l, r) ? 1 : 0;
            }
        };
    }
}
