package dev.nnc.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.ir.Ex;
import dev.nnc.ir.IrPrinter;
import dev.nnc.ir.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Simplification keeps the value of an expression (a property checked on thousands of random expressions, each at
 * random points), and folds the numbers of a product or a sum wherever they stand: explain shows δa = a - y for
 * ½(a - y)², not 0.5 · 2 · (a - y).
 */
class SimplifyTest {
    static final List<Tensor> VARS = List.of(scalar("a"), scalar("b"), scalar("c"));

    static Tensor scalar(String name) { return new Tensor(name, Tensor.Role.INPUT, List.of(), null); }

    static Ex load(int k) { return new Ex.Load(VARS.get(k), List.of()); }

    /** A random expression of + − · / and powers over a, b, c and small numbers (some 0, 1, -1), division only by 1 + x². */
    static Ex random(SplittableRandom r, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return switch (r.nextInt(3)) {
                case 0 -> load(r.nextInt(VARS.size()));
                case 1 -> new Ex.Num(new double[] {0, 1, -1, 2, 0.5, 3, 0.1, -2.5}[r.nextInt(8)]);
                default -> new Ex.Num(Math.round(r.nextDouble(-10, 10) * 100) / 100.0);
            };
        }
        Ex x = random(r, depth - 1), y = random(r, depth - 1);
        return switch (r.nextInt(7)) {
            case 0 -> Ex.add(x, y);
            case 1 -> Ex.sub(x, y);
            case 2, 3 -> Ex.mul(x, y);
            case 4 -> Ex.div(x, Ex.add(new Ex.Num(1), new Ex.Binary(Ex.BinOp.POW, y, new Ex.Num(2))));
            case 5 -> Ex.neg(x);
            default -> new Ex.Binary(Ex.BinOp.POW, x, new Ex.Num(r.nextInt(3)));
        };
    }

    static double eval(Ex e, Map<Tensor, Double> at) {
        return switch (e) {
            case Ex.Num n -> n.value();
            case Ex.Load l -> at.get(l.tensor());
            case Ex.Neg u -> -eval(u.a(), at);
            case Ex.Binary b -> {
                double l = eval(b.a(), at), r = eval(b.b(), at);
                yield switch (b.op()) {
                    case ADD -> l + r;
                    case SUB -> l - r;
                    case MUL -> l * r;
                    case DIV -> l / r;
                    case POW -> Math.pow(l, r);
                };
            }
            default -> throw new IllegalArgumentException("not generated: " + e);
        };
    }

    /** The largest magnitude of any value computed on the way, the scale rounding errors are relative to. */
    static double scale(Ex e, Map<Tensor, Double> at) {
        double own = Math.abs(eval(e, at));
        return switch (e) {
            case Ex.Neg u -> Math.max(own, scale(u.a(), at));
            case Ex.Binary b -> Math.max(own, Math.max(scale(b.a(), at), scale(b.b(), at)));
            default -> own;
        };
    }

    @Test
    void simplificationKeepsTheValue() {
        var r = new SplittableRandom(15);
        for (int n = 0; n < 5000; n++) {
            Ex e = random(r, 1 + r.nextInt(6));
            Ex s = Simplify.simplify(e);
            for (int p = 0; p < 5; p++) {
                Map<Tensor, Double> at = Map.of(VARS.get(0), r.nextDouble(-3, 3), VARS.get(1), r.nextDouble(-3, 3), VARS.get(2), r.nextDouble(-3, 3));
                double want = eval(e, at), got = eval(s, at);
                double tolerance = 1e-12 * Math.max(1, scale(e, at));
                assertEquals(want, got, tolerance, () -> show(e) + "\n  simplified to "
                        + show(s) + "\n  at " + at);
            }
        }
    }

    @Test
    void theNumbersOfAProductOrASumAreGatheredWhereverTheyStand() {
        Ex a = load(0), b = load(1);
        Ex two = new Ex.Num(2), half = new Ex.Num(0.5), three = new Ex.Num(3);
        assertSimplifies("a", Ex.mul(half, Ex.mul(two, a)));                 // 0.5 · (2 · a)
        assertSimplifies("a", Ex.mul(Ex.mul(a, two), half));                 // (a · 2) · 0.5
        assertSimplifies("6 * a * b", Ex.mul(Ex.mul(two, a), Ex.mul(three, b)));
        assertSimplifies("6 * a * b", Ex.mul(Ex.mul(a, two), Ex.mul(b, three)));
        assertSimplifies("0.25 * a", Ex.div(Ex.mul(half, a), two));          // 0.5 · a / 2
        assertSimplifies("0.02 * a", Ex.mul(new Ex.Num(0.1), Ex.mul(new Ex.Num(0.2), a))); // as written, not 0.020000000000000004
        assertSimplifies("a + 3", Ex.add(Ex.add(a, new Ex.Num(1)), two));    // a + 1 + 2
        assertSimplifies("a + 3", Ex.add(Ex.add(new Ex.Num(1), a), two));    // 1 + a + 2
        assertSimplifies("a - 2", Ex.sub(Ex.add(new Ex.Num(1), a), three));  // 1 + a - 3
        assertSimplifies("a + 2", Ex.add(two, a));
        assertSimplifies("a", Ex.add(new Ex.Num(0), a));
        assertSimplifies("a", Ex.mul(a, new Ex.Num(1)));
        assertSimplifies("a - b - 1", Ex.sub(a, Ex.add(b, new Ex.Num(1))));
        assertSimplifies("1", Ex.mul(half, two));
    }

    static void assertSimplifies(String want, Ex e) {
        String got = show(Simplify.simplify(e));
        assertEquals(want, got, show(e));
    }

    /** An expression as the IR printer writes it, in ASCII. */
    static String show(Ex e) { return IrPrinter.assignment(scalar("r"), List.of(), e, false, IrPrinter.Style.ASCII).substring(4); }
}
