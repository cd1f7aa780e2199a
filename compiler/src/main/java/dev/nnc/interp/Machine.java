package dev.nnc.interp;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Function;
import dev.nnc.ir.Guards;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;

/**
 * The interpreter's engine: storage for every tensor (row-major doubles), a register per index variable,
 * and IR expressions compiled once into closures that read both — a tree of lambdas is several times
 * faster than walking the records on every element, and just as easy to check against the IR.
 *
 * <p>A few shapes that dominate dense networks also get a fast path, a loop written out for that special
 * case of the general closure: a Σ of a read or of a product of two reads ({@code Σᵢ W[j,i]·x[i]}), and a
 * def whose element is a read or one arithmetic operation on two reads ({@code ∂J/∂W[j,i] = δ[j]·x[i]}),
 * run as a strided loop over its last index. A fast path performs the same floating-point operations in the
 * same order as the general closure, so results are bit-identical (tested against a machine made with
 * {@code fast} off). One machine is used by one thread at a time.
 */
final class Machine {
    /** A compiled expression: the value of one element, given the index registers. */
    interface Node {
        double eval();
    }

    private final boolean fast;
    private final Map<Tensor, double[]> storage = new IdentityHashMap<>();
    private final Map<IndexVar, Integer> registers = new IdentityHashMap<>();
    private final Map<Function, Node> bodies = new IdentityHashMap<>();
    int[] idx = new int[16];
    /** The arguments of the function body being evaluated. */
    double[] args = new double[0];

    Machine() { this(true); }

    /** @param fast whether to use the fast paths; off, only the general closures run */
    Machine(boolean fast) { this.fast = fast; }

    double[] storage(Tensor t) { return storage.computeIfAbsent(t, x -> new double[x.size()]); }

    /** Makes {@code data} the storage of {@code t} (a parameter shared between machines); before anything reads t. */
    void share(Tensor t, double[] data) {
        if (data.length != t.size()) throw new IllegalStateException("internal: " + t + " shared with the wrong size");
        if (storage.putIfAbsent(t, data) != null) throw new IllegalStateException("internal: " + t + " already has storage");
    }

    private int register(IndexVar v) {
        return registers.computeIfAbsent(v, x -> {
            int r = registers.size();
            if (r >= idx.length) idx = Arrays.copyOf(idx, idx.length * 2);
            return r;
        });
    }

    /** Evaluates a def for every element of its tensor, into its storage. */
    Runnable def(Def d) {
        double[] dest = storage(d.tensor());
        return def(d, () -> dest, 0, false);
    }

    /**
     * Evaluates a def for every element of its tensor and adds element k to {@code sum.get()[offset + k]}
     * (the array is fetched once per run): a per-sample gradient added straight into a batch's sum.
     */
    Runnable accumulate(Def d, Supplier<double[]> sum, int offset) { return def(d, sum, offset, true); }

    private Runnable def(Def d, Supplier<double[]> into, int offset, boolean add) {
        int rank = d.vars().size();
        int[] regs = new int[rank];
        int[] ranges = new int[rank];
        for (int k = 0; k < rank; k++) {
            regs[k] = register(d.vars().get(k));
            ranges[k] = d.vars().get(k).range();
        }
        if (rank == 0) {
            Node body = compile(d.body());
            return add ? () -> into.get()[offset] += body.eval() : () -> into.get()[offset] = body.eval();
        }
        int last = rank - 1, n = ranges[last];
        Row row = fast ? fastRow(d.body(), regs[last], n, add) : null;
        if (row == null) row = generalRow(compile(d.body()), regs[last], n, add);
        int rows = d.tensor().size() / n;
        Row r = row;
        int[] at = new int[last]; // the odometer over all but the last index (row-major: the last runs fastest)
        return () -> {
            double[] dest = into.get();
            for (int k = 0; k < last; k++) {
                at[k] = 0;
                idx[regs[k]] = 0;
            }
            for (int i = 0, off = offset; i < rows; i++, off += n) {
                r.run(dest, off);
                for (int k = last - 1; k >= 0; k--) {
                    if (++at[k] < ranges[k]) {
                        idx[regs[k]] = at[k];
                        break;
                    }
                    at[k] = 0;
                    idx[regs[k]] = 0;
                }
            }
        };
    }

    /** One row of a def: the elements dest[off … off + n − 1], for every value of its last index. */
    private interface Row {
        void run(double[] dest, int off);
    }

    private Row generalRow(Node body, int r, int n, boolean add) {
        if (add) {
            return (dest, off) -> {
                for (int v = 0; v < n; v++) {
                    idx[r] = v;
                    dest[off + v] += body.eval();
                }
            };
        }
        return (dest, off) -> {
            for (int v = 0; v < n; v++) {
                idx[r] = v;
                dest[off + v] = body.eval();
            }
        };
    }

    Node compile(Ex e) {
        return switch (e) {
            case Ex.Num n -> {
                double v = n.value();
                yield () -> v;
            }
            case Ex.Load l -> load(l);
            case Ex.Arg a -> {
                int k = a.k();
                yield () -> args[k];
            }
            case Ex.Same s -> {
                Node a = index(s.a()), b = index(s.b());
                yield () -> a.eval() == b.eval() ? 1 : 0;
            }
            case Ex.InRange g -> {
                Node at = index(g.at());
                int size = g.size();
                yield () -> {
                    double v = at.eval();
                    return v >= 0 && v < size ? 1 : 0;
                };
            }
            case Ex.Position p -> {
                Node[] at = p.at().stream().map(this::index).toArray(Node[]::new);
                int[] shape = p.shape().stream().mapToInt(Integer::intValue).toArray();
                yield () -> {
                    int flat = 0;
                    for (int k = 0; k < at.length; k++) {
                        int a = (int) at[k].eval();
                        if (a < 0 || a >= shape[k]) return -1; // outside the window: no position of it
                        flat = flat * shape[k] + a;
                    }
                    return flat;
                };
            }
            case Ex.ArgMax m -> {
                int[] regs = m.vars().stream().mapToInt(this::register).toArray();
                int[] shape = m.shape().stream().mapToInt(Integer::intValue).toArray();
                int size = m.size();
                Node body = compile(m.body());
                yield () -> {
                    double best = Double.NEGATIVE_INFINITY;
                    int arg = 0;
                    for (int at = 0; at < size; at++) {
                        for (int k = regs.length - 1, rest = at; k >= 0; rest /= shape[k], k--) idx[regs[k]] = rest % shape[k];
                        double x = body.eval();
                        if (at == 0 || x > best) { // strictly greater: the first maximum, in row-major order
                            best = x;
                            arg = at;
                        }
                    }
                    return arg;
                };
            }
            case Ex.Neg u -> {
                Node a = compile(u.a());
                yield () -> -a.eval();
            }
            case Ex.Call c -> call(c);
            case Ex.Binary b -> {
                Node x = compile(b.a()), y = compile(b.b());
                yield switch (b.op()) {
                    case ADD -> () -> x.eval() + y.eval();
                    case SUB -> () -> x.eval() - y.eval();
                    case MUL -> () -> x.eval() * y.eval();
                    case DIV -> () -> x.eval() / y.eval();
                    case POW -> b.squared() != null ? () -> {
                        double v = x.eval();
                        return v * v;
                    } : () -> Math.pow(x.eval(), y.eval());
                };
            }
            case Ex.Cmp c -> {
                Node x = compile(c.a()), y = compile(c.b());
                yield switch (c.op()) {
                    case LT -> () -> x.eval() < y.eval() ? 1 : 0;
                    case LE -> () -> x.eval() <= y.eval() ? 1 : 0;
                    case GT -> () -> x.eval() > y.eval() ? 1 : 0;
                    case GE -> () -> x.eval() >= y.eval() ? 1 : 0;
                    case EQ -> () -> x.eval() == y.eval() ? 1 : 0;
                    case NE -> () -> x.eval() != y.eval() ? 1 : 0;
                };
            }
            case Ex.Select s -> {
                Node c = compile(s.cond()), t = compile(s.then()), o = compile(s.otherwise());
                yield () -> c.eval() != 0 ? t.eval() : o.eval();
            }
            case Ex.Sum s -> {
                int r = register(s.i()), n = s.i().range();
                Node quick = fast ? fastSum(s.body(), r, n) : null;
                if (quick != null) yield quick;
                var bounds = Guards.of(s.i(), s.body());
                if (!bounds.isEmpty()) yield guardedSum(r, n, bounds, compile(s.body()));
                Node body = compile(s.body());
                yield () -> {
                    double acc = 0;
                    for (int v = 0; v < n; v++) {
                        idx[r] = v;
                        acc += body.eval();
                    }
                    return acc;
                };
            }
            case Ex.Max m -> {
                int r = register(m.i()), n = m.i().range();
                Node body = compile(m.body());
                yield () -> {
                    double acc = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < n; v++) {
                        idx[r] = v;
                        acc = Math.max(acc, body.eval());
                    }
                    return acc;
                };
            }
            case Ex.Annotated w -> compile(w.value());
            case Ex.Apply a -> apply(a);
        };
    }

    /** A Σ over only the values its guards let through ({@link Guards}); the same terms, the zero ones left out. */
    private Node guardedSum(int r, int n, List<Guards.Bound> bounds, Node body) {
        Guards.Bound[] bs = bounds.toArray(Guards.Bound[]::new);
        Node[] rests = bounds.stream().map(b -> index(b.rest())).toArray(Node[]::new);
        return () -> {
            int lo = 0, hi = n - 1;
            for (int k = 0; k < bs.length; k++) {
                int rest = (int) rests[k].eval();
                lo = Math.max(lo, Guards.lowest(bs[k], rest));
                hi = Math.min(hi, Guards.highest(bs[k], rest));
            }
            double acc = 0;
            for (int v = lo; v <= hi; v++) {
                idx[r] = v;
                acc += body.eval();
            }
            idx[r] = n - 1;
            return acc;
        };
    }

    private Node call(Ex.Call c) {
        Node x = compile(c.a());
        return switch (c.f().arity) {
            case 1 -> {
                DoubleUnaryOperator f = c.f().unary();
                yield () -> f.applyAsDouble(x.eval());
            }
            case 2 -> {
                Node y = compile(c.b());
                DoubleBinaryOperator f = c.f().binary();
                yield () -> f.applyAsDouble(x.eval(), y.eval());
            }
            default -> throw new IllegalStateException("internal: " + c.f().spelling + " takes " + c.f().arity + " arguments");
        };
    }

    private Node apply(Ex.Apply a) {
        Node[] argNodes = a.args().stream().map(this::compile).toArray(Node[]::new);
        Function f = a.f();
        Node b = bodies.get(f);
        if (b == null) {
            bodies.put(f, () -> { throw new IllegalStateException("internal: " + f + " calls itself"); });
            b = compile(f.body());
            bodies.put(f, b);
        }
        Node body = b;
        int n = argNodes.length;
        // this call's own frame: no call can be inside itself (no recursion), so it is free whenever the call runs
        double[] frame = new double[n];
        return () -> {
            for (int k = 0; k < n; k++) frame[k] = argNodes[k].eval();
            double[] saved = args;
            args = frame;
            double v = body.eval();
            args = saved;
            return v;
        };
    }

    private Node index(Idx i) {
        return switch (i) {
            case Idx.Fixed f -> {
                int p = f.position();
                yield () -> p;
            }
            case Idx.Var v -> {
                int r = register(v.v());
                yield () -> idx[r];
            }
            case Idx.Affine a -> {
                int n = a.terms().size(), constant = a.constant();
                int[] regs = new int[n], coefficients = new int[n];
                for (int k = 0; k < n; k++) {
                    regs[k] = register(a.terms().get(k).v());
                    coefficients[k] = a.terms().get(k).coefficient();
                }
                yield () -> {
                    int value = constant;
                    for (int k = 0; k < n; k++) value += idx[regs[k]] * coefficients[k];
                    return value;
                };
            }
        };
    }

    private Node load(Ex.Load l) {
        Access a = access(l);
        double[] data = a.data;
        int base = a.base;
        int[] regs = a.regs, mult = a.mult;
        return switch (regs.length) {
            case 0 -> () -> data[base];
            case 1 -> {
                int r0 = regs[0], m0 = mult[0];
                yield () -> data[base + idx[r0] * m0];
            }
            case 2 -> {
                int r0 = regs[0], m0 = mult[0], r1 = regs[1], m1 = mult[1];
                yield () -> data[base + idx[r0] * m0 + idx[r1] * m1];
            }
            default -> () -> {
                int off = base;
                for (int k = 0; k < regs.length; k++) off += idx[regs[k]] * mult[k];
                return data[off];
            };
        };
    }

    // ─── Fast paths ───────────────────────────────────────────────────────────────────────────────

    /** Where a read finds its element: data[base + Σₖ idx[regs[k]]·mult[k]]. */
    private record Access(double[] data, int base, int[] regs, int[] mult) {
        /** The same read along register r: the offset without r's terms, and r's stride. */
        Strided along(int r) {
            int stride = 0, kept = 0;
            for (int k = 0; k < regs.length; k++) {
                if (regs[k] == r) stride += mult[k];
                else kept++;
            }
            int[] rs = new int[kept], ms = new int[kept];
            for (int k = 0, j = 0; k < regs.length; k++) {
                if (regs[k] != r) {
                    rs[j] = regs[k];
                    ms[j++] = mult[k];
                }
            }
            return new Strided(data, base, rs, ms, stride);
        }
    }

    /** A read as a function of one register v: data[offset(idx) + v·stride]. */
    private record Strided(double[] data, int base, int[] regs, int[] mult, int stride) {
        int offset(int[] idx) {
            int off = base;
            for (int k = 0; k < regs.length; k++) off += idx[regs[k]] * mult[k];
            return off;
        }
    }

    private Access access(Ex.Load l) {
        Offset element = Offset.of(l.tensor(), l.idx());
        int n = element.terms().size();
        int[] regs = new int[n], mult = new int[n];
        for (int k = 0; k < n; k++) {
            regs[k] = register(element.terms().get(k).v());
            mult[k] = element.terms().get(k).stride();
        }
        return new Access(storage(l.tensor()), element.constant(), regs, mult);
    }

    /** A read or a number (a one-element array, stride 0) as an operand of a fast path; null for anything else. */
    private Access operand(Ex e) {
        return switch (Ex.Annotated.strip(e)) {
            case Ex.Load l -> access(l);
            case Ex.Num n -> new Access(new double[] {n.value()}, 0, new int[0], new int[0]);
            default -> null;
        };
    }


    /** Σ over register r of a read, or of a product of two reads: one loop, offsets computed once. */
    private Node fastSum(Ex body, int r, int n) {
        Ex b = Ex.Annotated.strip(body);
        if (b instanceof Ex.Binary m && m.op() == Ex.BinOp.MUL) {
            Access x = operand(m.a()), y = operand(m.b());
            if (x == null || y == null) return null;
            Strided sx = x.along(r), sy = y.along(r);
            double[] dx = sx.data, dy = sy.data;
            int tx = sx.stride, ty = sy.stride;
            return () -> {
                int ox = sx.offset(idx), oy = sy.offset(idx);
                double acc = 0;
                for (int v = 0; v < n; v++) acc += dx[ox + v * tx] * dy[oy + v * ty];
                idx[r] = n - 1; // where the general loop leaves the register
                return acc;
            };
        }
        Access x = operand(b);
        if (x == null) return null;
        Strided sx = x.along(r);
        double[] dx = sx.data;
        int tx = sx.stride;
        return () -> {
            int ox = sx.offset(idx);
            double acc = 0;
            for (int v = 0; v < n; v++) acc += dx[ox + v * tx];
            idx[r] = n - 1;
            return acc;
        };
    }

    /**
     * A row of a def whose element is a read, or one of + − · / max min of two reads, as one loop over the
     * last index (register r): {@code ∂J/∂W[j,i] = δ[j]·x[i]} is a scaled copy of x per row. Null for other bodies.
     */
    private Row fastRow(Ex body, int r, int n, boolean add) {
        Ex b = Ex.Annotated.strip(body);
        RowBody two = RowBody.of(b);
        RowOp op;
        Access x, y;
        if (two != null) {
            op = two.op;
            x = operand(two.a);
            y = operand(two.b);
            if (x == null || y == null) return null;
        } else {
            op = null;
            x = operand(b);
            y = x;
            if (x == null) return null;
        }
        Strided sx = x.along(r), sy = y.along(r);
        return (dest, off) -> Rows.run(op, add, dest, off, sx.data, sx.offset(idx), sx.stride, sy.data, sy.offset(idx),
                sy.stride, n);
    }

    /** The operations of two operands a fast row runs. */
    private enum RowOp { ADD, SUB, MUL, DIV, MAX, MIN }

    /** A body that is one of them; null for any other. */
    private record RowBody(RowOp op, Ex a, Ex b) {
        static RowBody of(Ex e) {
            if (e instanceof Ex.Binary bin) {
                RowOp op = switch (bin.op()) {
                    case ADD -> RowOp.ADD;
                    case SUB -> RowOp.SUB;
                    case MUL -> RowOp.MUL;
                    case DIV -> RowOp.DIV;
                    case POW -> null;
                };
                return op == null ? null : new RowBody(op, bin.a(), bin.b());
            }
            // max(z, 0) is ReLU, common enough for a loop of its own; other primitives run the general closure
            if (!(e instanceof Ex.Call c)) return null;
            if (c.f() == Primitive.MAX) return new RowBody(RowOp.MAX, c.a(), c.b());
            if (c.f() == Primitive.MIN) return new RowBody(RowOp.MIN, c.a(), c.b());
            return null;
        }
    }

    /** The loops of {@link #fastRow}; each element is exactly what the general closure computes. */
    private static final class Rows {
        private Rows() {}

        static void run(RowOp op, boolean add, double[] d, int od, double[] a, int oa, int sa, double[] b, int ob,
                        int sb, int n) {
            if (op == null) {
                if (add) for (int v = 0; v < n; v++) d[od + v] += a[oa + v * sa];
                else for (int v = 0; v < n; v++) d[od + v] = a[oa + v * sa];
                return;
            }
            if (op == RowOp.MUL && sa == 0 && sb == 1) { // the outer product δ[j]·x[i], in a loop the JIT vectorizes
                double s = a[oa];
                if (add) for (int v = 0; v < n; v++) d[od + v] += s * b[ob + v];
                else for (int v = 0; v < n; v++) d[od + v] = s * b[ob + v];
                return;
            }
            switch (op) {
                case ADD -> {
                    if (add) for (int v = 0; v < n; v++) d[od + v] += a[oa + v * sa] + b[ob + v * sb];
                    else for (int v = 0; v < n; v++) d[od + v] = a[oa + v * sa] + b[ob + v * sb];
                }
                case SUB -> {
                    if (add) for (int v = 0; v < n; v++) d[od + v] += a[oa + v * sa] - b[ob + v * sb];
                    else for (int v = 0; v < n; v++) d[od + v] = a[oa + v * sa] - b[ob + v * sb];
                }
                case MUL -> {
                    if (add) for (int v = 0; v < n; v++) d[od + v] += a[oa + v * sa] * b[ob + v * sb];
                    else for (int v = 0; v < n; v++) d[od + v] = a[oa + v * sa] * b[ob + v * sb];
                }
                case DIV -> {
                    if (add) for (int v = 0; v < n; v++) d[od + v] += a[oa + v * sa] / b[ob + v * sb];
                    else for (int v = 0; v < n; v++) d[od + v] = a[oa + v * sa] / b[ob + v * sb];
                }
                case MAX -> {
                    if (add) for (int v = 0; v < n; v++) d[od + v] += Math.max(a[oa + v * sa], b[ob + v * sb]);
                    else for (int v = 0; v < n; v++) d[od + v] = Math.max(a[oa + v * sa], b[ob + v * sb]);
                }
                case MIN -> {
                    if (add) for (int v = 0; v < n; v++) d[od + v] += Math.min(a[oa + v * sa], b[ob + v * sb]);
                    else for (int v = 0; v < n; v++) d[od + v] = Math.min(a[oa + v * sa], b[ob + v * sb]);
                }
            }
        }
    }
}
