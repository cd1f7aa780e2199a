package dev.nnc.opt;

import dev.nnc.ast.Expr.Compare;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Algebraic simplification, bottom-up, to a fixed point per node: constants folded (the numbers of a product or a
 * sum gathered into one, wherever they stand in it), units and zeros of + − · / dropped, signs pulled out of products, selects of known conditions decided. These are exact in
 * real arithmetic; {@code 0 · x → 0} assumes x finite, which the derived expressions are where the forward
 * pass is (a non-finite forward value stops training before any gradient is used).
 */
public final class Simplify {
    /**
     * The terms this simplifier has already brought to their simplest form. A rule that builds a new term around
     * simplified parts (a + −b → a − b) simplifies only what is new: simplifying the parts again made a chain of n
     * terms take n² steps.
     */
    private final Set<Ex> done = Collections.newSetFromMap(new IdentityHashMap<>());

    private Simplify() {}

    public static Ex simplify(Ex e) { return new Simplify().simp(e); }

    private Ex simp(Ex e) {
        if (done.contains(e)) return e;
        Ex r = node(Exprs.mapChildren(e, this::simp));
        done.add(r);
        return r;
    }

    private static boolean num(Ex e, double v) { return Exprs.isNum(e, v); }

    private Ex node(Ex e) {
        return switch (e) {
            case Ex.Neg u -> neg(u);
            case Ex.Binary b -> binary(b);
            case Ex.Call c -> call(c);
            case Ex.Select s -> {
                if (s.cond() instanceof Ex.Num n) yield n.value() != 0 ? s.then() : s.otherwise();
                if (Exprs.key(s.then()).equals(Exprs.key(s.otherwise()))) yield s.then();
                // c ? 0 : g  →  ¬c ? g : 0, which prints as g · [¬c]
                if (num(s.then(), 0) && s.cond() instanceof Ex.Cmp c && negate(c) != null) {
                    yield new Ex.Select(negate(c), s.otherwise(), s.then());
                }
                // c ? −g : 0  →  −(c ? g : 0)
                if (num(s.otherwise(), 0) && s.then() instanceof Ex.Neg u) {
                    yield Ex.neg(new Ex.Select(s.cond(), u.a(), s.otherwise()));
                }
                yield s;
            }
            case Ex.Cmp c -> {
                if (c.a() instanceof Ex.Num x && c.b() instanceof Ex.Num y) yield new Ex.Num(c.op().holds(x.value(), y.value()) ? 1 : 0);
                // 0 < z  →  z > 0: the constant on the right, as people write it
                if (c.a() instanceof Ex.Num && !(c.b() instanceof Ex.Num)) yield new Ex.Cmp(flip(c.op()), c.b(), c.a());
                yield c;
            }
            case Ex.Same s -> s.a() instanceof Idx.Fixed x && s.b() instanceof Idx.Fixed y
                    ? new Ex.Num(x.position() == y.position() ? 1 : 0)
                    : s.a().equals(s.b()) ? new Ex.Num(1) : s;
            case Ex.InRange r -> r.decided() == null ? r : new Ex.Num(r.decided() ? 1 : 0);
            case Ex.Sum s -> num(s.body(), 0) ? s.body() : s;
            default -> e;
        };
    }

    private static Ex neg(Ex.Neg u) {
        if (u.a() instanceof Ex.Num n) return new Ex.Num(-n.value());
        if (u.a() instanceof Ex.Neg inner) return inner.a();
        // −(a − b) → b − a
        if (u.a() instanceof Ex.Binary b && b.op() == Ex.BinOp.SUB) return new Ex.Binary(Ex.BinOp.SUB, b.b(), b.a());
        return u;
    }

    /** A primitive of numbers is a number; its algebra is that of its arguments. */
    private static Ex call(Ex.Call c) {
        double[] args = new double[c.args().size()];
        for (int k = 0; k < args.length; k++) {
            if (!(c.args().get(k) instanceof Ex.Num n)) return c;
            args[k] = n.value();
        }
        return new Ex.Num(c.f().apply(args));
    }

    private Ex binary(Ex.Binary b) {
        Ex x = b.a(), y = b.b();
        if (x instanceof Ex.Num p && y instanceof Ex.Num q) {
            double l = p.value(), r = q.value();
            return new Ex.Num(b.op() == Ex.BinOp.POW ? Math.pow(l, r) : fold(b.op(), l, r));
        }
        return switch (b.op()) {
            case ADD -> {
                if (num(x, 0)) yield y;
                if (num(y, 0)) yield x;
                Ex folded = sumConstants(b);
                if (folded != null) yield folded;
                if (y instanceof Ex.Neg u) yield simp(Ex.sub(x, u.a()));
                if (x instanceof Ex.Neg u) yield simp(Ex.sub(y, u.a()));
                yield b;
            }
            case SUB -> {
                if (num(y, 0)) yield x;
                Ex folded = sumConstants(b);
                if (folded != null) yield folded;
                if (num(x, 0)) yield simp(Ex.neg(y));
                if (y instanceof Ex.Neg u) yield simp(Ex.add(x, u.a()));
                yield b;
            }
            case MUL -> {
                if (num(x, 0) || num(y, 0)) yield new Ex.Num(0);
                if (num(x, 1)) yield y;
                if (num(y, 1)) yield x;
                if (num(x, -1)) yield simp(Ex.neg(y));
                if (num(y, -1)) yield simp(Ex.neg(x));
                if (x instanceof Ex.Neg u) yield simp(Ex.neg(Ex.mul(u.a(), y)));
                if (y instanceof Ex.Neg u) yield simp(Ex.neg(Ex.mul(x, u.a())));
                // the number first: 2 · a, as people write it
                if (y instanceof Ex.Num && !(x instanceof Ex.Num)) yield simp(new Ex.Binary(Ex.BinOp.MUL, y, x));
                // the numbers of a product gathered into one: 0.5 · (2 · g) → g, (2 · a) · (3 · b) → 6 · (a · b)
                if (x instanceof Ex.Num c && y instanceof Ex.Binary q && q.op() == Ex.BinOp.MUL && q.a() instanceof Ex.Num d) {
                    yield simp(Ex.mul(new Ex.Num(fold(Ex.BinOp.MUL, c.value(), d.value())), q.b()));
                }
                if (x instanceof Ex.Num c && y instanceof Ex.Binary q && q.op() == Ex.BinOp.DIV && q.b() instanceof Ex.Num d) {
                    yield simp(Ex.mul(new Ex.Num(over(c.value(), d.value())), q.a()));
                }
                if (x instanceof Ex.Binary p && p.op() == Ex.BinOp.MUL && p.a() instanceof Ex.Num c) yield simp(Ex.mul(c, Ex.mul(p.b(), y)));
                if (!(x instanceof Ex.Num) && y instanceof Ex.Binary q && q.op() == Ex.BinOp.MUL && q.a() instanceof Ex.Num c) {
                    yield simp(Ex.mul(c, Ex.mul(x, q.b())));
                }
                // g · (c ? 1 : 0) and friends: keep selects outermost so they print as g · [c]
                if (y instanceof Ex.Select s && num(s.otherwise(), 0)) yield simp(new Ex.Select(s.cond(), Ex.mul(x, s.then()), s.otherwise()));
                if (x instanceof Ex.Select s && num(s.otherwise(), 0)) yield simp(new Ex.Select(s.cond(), Ex.mul(s.then(), y), s.otherwise()));
                yield b;
            }
            case DIV -> {
                if (num(y, 1)) yield x;
                if (num(x, 0)) yield new Ex.Num(0);
                // (c · a) / d → (c / d) · a
                if (y instanceof Ex.Num d && x instanceof Ex.Binary p && p.op() == Ex.BinOp.MUL && p.a() instanceof Ex.Num c) {
                    yield simp(Ex.mul(new Ex.Num(over(c.value(), d.value())), p.b()));
                }
                if (x instanceof Ex.Neg u) yield simp(Ex.neg(Ex.div(u.a(), y)));
                yield b;
            }
            case POW -> {
                if (num(y, 1)) yield x;
                if (num(y, 0)) yield new Ex.Num(1);
                yield b;
            }
        };
    }

    /**
     * The numbers of a sum gathered into one, written last, as people write them: (a + 1) + 2 → a + 3,
     * (1 + a) - 3 → a - 2, 2 + a → a + 2, a + -3 → a - 3. Null when there is nothing to gather.
     */
    private Ex sumConstants(Ex.Binary b) {
        Ex x = b.a(), y = b.b();
        double sign = b.op() == Ex.BinOp.ADD ? 1 : -1;
        if (y instanceof Ex.Num d) {
            if (d.value() < 0) return simp(new Ex.Binary(b.op() == Ex.BinOp.ADD ? Ex.BinOp.SUB : Ex.BinOp.ADD, x, new Ex.Num(-d.value())));
            // (p ± c) ± d → p + (±c ± d)
            if (x instanceof Ex.Binary p && (p.op() == Ex.BinOp.ADD || p.op() == Ex.BinOp.SUB) && p.b() instanceof Ex.Num c) {
                double k = sum(p.op() == Ex.BinOp.ADD ? c.value() : -c.value(), sign * d.value());
                return simp(Ex.add(p.a(), new Ex.Num(k)));
            }
            // (c ± p) ± d → ±p + (c ± d)
            if (x instanceof Ex.Binary p && (p.op() == Ex.BinOp.ADD || p.op() == Ex.BinOp.SUB) && p.a() instanceof Ex.Num c) {
                Ex rest = p.op() == Ex.BinOp.ADD ? p.b() : Ex.neg(p.b());
                return simp(Ex.add(rest, new Ex.Num(sum(c.value(), sign * d.value()))));
            }
            return null;
        }
        // c ± (p ± d) → (±p) + (c ± ±d); c + p → p + c
        if (x instanceof Ex.Num c) {
            if (y instanceof Ex.Binary q && (q.op() == Ex.BinOp.ADD || q.op() == Ex.BinOp.SUB) && q.b() instanceof Ex.Num d) {
                double k = sum(c.value(), sign * (q.op() == Ex.BinOp.ADD ? d.value() : -d.value()));
                Ex rest = sign > 0 ? q.a() : Ex.neg(q.a());
                return simp(Ex.add(rest, new Ex.Num(k)));
            }
            if (b.op() == Ex.BinOp.ADD) return simp(Ex.add(y, x));
            return null;
        }
        // p ± (q ± d) → (p ± q) ± d
        if (y instanceof Ex.Binary q && (q.op() == Ex.BinOp.ADD || q.op() == Ex.BinOp.SUB) && q.b() instanceof Ex.Num d) {
            Ex inner = new Ex.Binary(b.op(), x, q.a());
            double k = sign * (q.op() == Ex.BinOp.ADD ? d.value() : -d.value());
            return simp(Ex.add(inner, new Ex.Num(k)));
        }
        return null;
    }

    /**
     * Arithmetic on the numbers as written: 0.1 · 0.2 is 0.02, not 0.020000000000000004, so that a folded constant
     * reads as the user would fold it; within an ulp of the double result. Non-finite operands, and division by
     * zero, are left to doubles.
     */
    private static double fold(Ex.BinOp op, double l, double r) {
        boolean exact = Double.isFinite(l) && Double.isFinite(r) && !(op == Ex.BinOp.DIV && r == 0);
        if (!exact) {
            return switch (op) {
                case ADD -> l + r;
                case SUB -> l - r;
                case MUL -> l * r;
                default -> l / r;
            };
        }
        BigDecimal a = new BigDecimal(Double.toString(l)), b = new BigDecimal(Double.toString(r));
        BigDecimal v = switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.subtract(b);
            case MUL -> a.multiply(b);
            default -> a.divide(b, MathContext.DECIMAL128);
        };
        return v.doubleValue();
    }

    private static double sum(double l, double r) { return fold(Ex.BinOp.ADD, l, r); }

    private static double over(double l, double r) { return fold(Ex.BinOp.DIV, l, r); }

    private static Compare flip(Compare op) {
        return switch (op) {
            case LT -> Compare.GT;
            case LE -> Compare.GE;
            case GT -> Compare.LT;
            case GE -> Compare.LE;
            case EQ -> Compare.EQ;
            case NE -> Compare.NE;
        };
    }

    /** The opposite comparison (exact, NaN aside), or null. */
    static Ex.Cmp negate(Ex.Cmp c) {
        Compare op = switch (c.op()) {
            case LT -> Compare.GE;
            case LE -> Compare.GT;
            case GT -> Compare.LE;
            case GE -> Compare.LT;
            case EQ -> Compare.NE;
            case NE -> Compare.EQ;
        };
        return new Ex.Cmp(op, c.a(), c.b());
    }
}
