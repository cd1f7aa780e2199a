package dev.nnc.interp;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Function;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The interpreter's engine: storage for every tensor (row-major doubles), a register per index variable,
 * and IR expressions compiled once into closures that read both — a tree of lambdas is several times
 * faster than walking the records on every element, and just as easy to check against the IR.
 */
final class Machine {
    /** A compiled expression: the value of one element, given the index registers. */
    interface Node {
        double eval();
    }

    private final Map<Tensor, double[]> storage = new IdentityHashMap<>();
    private final Map<IndexVar, Integer> registers = new IdentityHashMap<>();
    private final Map<Function, Node> bodies = new IdentityHashMap<>();
    private final Map<Function, double[][]> frames = new HashMap<>();
    int[] idx = new int[16];
    /** The arguments of the function body being evaluated. */
    double[] args = new double[0];

    double[] storage(Tensor t) { return storage.computeIfAbsent(t, x -> new double[x.size()]); }

    private int register(IndexVar v) {
        return registers.computeIfAbsent(v, x -> {
            int r = registers.size();
            if (r >= idx.length) idx = java.util.Arrays.copyOf(idx, idx.length * 2);
            return r;
        });
    }

    /** Evaluates a def for every element of its tensor. */
    Runnable def(Def d) {
        double[] dest = storage(d.tensor());
        int rank = d.vars().size();
        int[] regs = new int[rank];
        int[] ranges = new int[rank];
        for (int k = 0; k < rank; k++) {
            regs[k] = register(d.vars().get(k));
            ranges[k] = d.vars().get(k).range();
        }
        Node body = compile(d.body());
        if (rank == 0) return () -> dest[0] = body.eval();
        if (rank == 1) {
            int r = regs[0], n = ranges[0];
            return () -> {
                for (int v = 0; v < n; v++) {
                    idx[r] = v;
                    dest[v] = body.eval();
                }
            };
        }
        return () -> {
            int[] at = new int[rank];
            for (int k = 0; k < rank; k++) idx[regs[k]] = 0;
            for (int off = 0; off < dest.length; off++) {
                dest[off] = body.eval();
                for (int k = rank - 1; k >= 0; k--) { // odometer, last index fastest (row-major)
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
            case Ex.Unary u -> {
                Node a = compile(u.a());
                yield switch (u.op()) {
                    case NEG -> () -> -a.eval();
                    case EXP -> () -> Math.exp(a.eval());
                    case LOG -> () -> Math.log(a.eval());
                    case SQRT -> () -> Math.sqrt(a.eval());
                    case ABS -> () -> Math.abs(a.eval());
                };
            }
            case Ex.Binary b -> {
                Node x = compile(b.a()), y = compile(b.b());
                yield switch (b.op()) {
                    case ADD -> () -> x.eval() + y.eval();
                    case SUB -> () -> x.eval() - y.eval();
                    case MUL -> () -> x.eval() * y.eval();
                    case DIV -> () -> x.eval() / y.eval();
                    case POW -> b.b() instanceof Ex.Num n && n.value() == 2 ? () -> {
                        double v = x.eval();
                        return v * v;
                    } : () -> Math.pow(x.eval(), y.eval());
                    case MAX -> () -> Math.max(x.eval(), y.eval());
                    case MIN -> () -> Math.min(x.eval(), y.eval());
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
            case Ex.NoGrad n -> compile(n.a());
            case Ex.Fused f -> compile(f.value());
            case Ex.Apply a -> apply(a);
        };
    }

    private Node apply(Ex.Apply a) {
        Node[] argNodes = a.args().stream().map(this::compile).toArray(Node[]::new);
        Function f = a.f();
        Node[] body = {bodies.get(f)};
        if (body[0] == null) {
            bodies.put(f, () -> { throw new IllegalStateException("internal: " + f + " calls itself"); });
            body[0] = compile(f.body());
            bodies.put(f, body[0]);
        }
        Node b = body[0];
        int n = argNodes.length;
        return () -> {
            double[] values = new double[n];
            for (int k = 0; k < n; k++) values[k] = argNodes[k].eval();
            double[] saved = args;
            args = values;
            double v = b.eval();
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
        };
    }

    private Node load(Ex.Load l) {
        double[] data = storage(l.tensor());
        int rank = l.idx().size();
        int[] strides = new int[rank];
        int stride = 1;
        for (int k = rank - 1; k >= 0; k--) {
            strides[k] = stride;
            stride *= l.tensor().shape.get(k);
        }
        int fixed = 0;
        int vars = 0;
        for (int k = 0; k < rank; k++) {
            if (l.idx().get(k) instanceof Idx.Fixed f) fixed += f.position() * strides[k];
            else vars++;
        }
        int[] regs = new int[vars];
        int[] mult = new int[vars];
        int j = 0;
        for (int k = 0; k < rank; k++) {
            if (l.idx().get(k) instanceof Idx.Var v) {
                regs[j] = register(v.v());
                mult[j++] = strides[k];
            }
        }
        int base = fixed;
        return switch (vars) {
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
}
