package dev.nnc.gen.cuda;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Guards;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import dev.nnc.schedule.Storage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * IR expressions and tensor accesses as CUDA C, for one kernel's body. An expression becomes statements that
 * must run first (a Σ's loop, a call's arguments, a select's branches) and a C expression for its value, so
 * every construct of the IR has a plain C form and nothing relies on compiler extensions.
 */
final class CExpr {
    private final Map<Tensor, Storage> storage;
    private final Map<IndexVar, String> vars = new IdentityHashMap<>();
    private final Map<Tensor, Map<Integer, String>> registers = new IdentityHashMap<>();
    private final Map<Tensor, Integer> tensorNumbers = new IdentityHashMap<>();
    private int next;
    private String[] args = new String[0];
    /** The C expressions for the sample's number in the batch and for its row in the data the batch is read from. */
    private String sample = "r", row = "nnc_row";
    private boolean rowUsed;

    CExpr(Map<Tensor, Storage> storage) { this.storage = storage; }

    /** A new one over the same storage, with nothing bound: for another part of the same kernel. */
    CExpr fresh() { return new CExpr(storage); }

    /** From here on the current sample is {@code sample}, its data row {@code row}. */
    void sample(String sample, String row) {
        this.sample = sample;
        this.row = row;
    }

    /** Whether an expression so far read an input or target (so the sample's data row must be looked up). */
    boolean rowUsed() { return rowUsed; }

    String fresh(String prefix) { return prefix + next++; }

    /** A loop variable's C name, bound from here on. */
    String bind(IndexVar v) {
        String n = fresh("i");
        vars.put(v, n);
        return n;
    }

    /** An index variable bound to a C variable the caller declares. */
    void bind(IndexVar v, String name) { vars.put(v, name); }

    /** The local holding element {@code element} of a tensor kept in registers, declared by the caller on first use. */
    String register(Tensor t, int element) {
        // numbered in order of first use, not by the tensor's id, so the same program gives the same source (and cache key)
        int n = tensorNumbers.computeIfAbsent(t, k -> tensorNumbers.size());
        return registers.computeIfAbsent(t, k -> new HashMap<>()).computeIfAbsent(element, k -> "v" + n + "_" + element);
    }

    boolean hasRegister(Tensor t, int element) {
        var m = registers.get(t);
        return m != null && m.containsKey(element);
    }

    boolean inRegisters(Tensor t) {
        Storage s = storage.get(t);
        return s == null || s instanceof Storage.Registers;
    }

    /**
     * {@code a.s3[(long long) r * 784 + i5 + 12]}: an element in its array, fixed subscripts folded into the constant. Workspace is indexed by the sample's number in the
     * batch, an input or target by the sample's row in the data ({@code a.d2[nnc_row * 784 + i5]}).
     */
    String element(Tensor t, List<Idx> at) {
        if (inRegisters(t)) return register(t, Offset.fixed(t, at));
        Storage s = storage.get(t);
        if (s instanceof Storage.Column) rowUsed = true;
        Offset element = Offset.of(t, at);
        int constant = element.constant();
        var terms = new ArrayList<String>();
        switch (s) {
            // first, so that the sum is a long long
            case Storage.Column c -> terms.add("(long long) " + row + " * " + t.size());
            case Storage.Work w -> terms.add("(long long) " + sample + " * " + t.size());
            default -> constant += s.offset();
        }
        for (Offset.Term term : element.terms().reversed()) {
            terms.add(var(term.v()) + (term.stride() == 1 ? "" : " * " + term.stride()));
        }
        if (constant != 0 || terms.isEmpty()) terms.add(Integer.toString(constant));
        return array(t) + "[" + String.join(" + ", terms) + "]";
    }

    /** The argument that holds a tensor's array: {@code a.s3}, or {@code a.d2} for the data of an input or target. */
    String array(Tensor t) {
        Storage s = storage.get(t);
        if (s == null || s.slot() < 0) throw new IllegalStateException("internal: " + t + " has no array");
        return "a." + CudaGen.argument(s).field();
    }

    Storage storage(Tensor t) { return storage.get(t); }

    String index(Idx i) {
        return switch (i) {
            case Idx.Fixed f -> Integer.toString(f.position());
            case Idx.Var v -> var(v.v());
            case Idx.Affine a -> {
                var parts = new ArrayList<String>();
                for (Idx.Term t : a.terms()) parts.add(t.coefficient() == 1 ? var(t.v()) : t.coefficient() + " * " + var(t.v()));
                parts.add(Integer.toString(a.constant()));
                yield "(" + String.join(" + ", parts) + ")";
            }
        };
    }

    private String var(IndexVar v) {
        String n = vars.get(v);
        if (n == null) throw new IllegalStateException("internal: index " + v + " is not bound");
        return n;
    }

    String number(double v) {
        if (Double.isNaN(v)) return "(real) NAN";
        if (Double.isInfinite(v)) return v > 0 ? "(real) INFINITY" : "(real) -INFINITY";
        return "(real) " + v; // Java's shortest round-trip spelling, which C reads back as the same double
    }

    /** Appends to {@code pre} what must run first and returns the value's C expression. */
    String expr(Ex e, StringBuilder pre, String indent) {
        return switch (e) {
            case Ex.Num n -> number(n.value());
            case Ex.Load l -> element(l.tensor(), l.idx());
            case Ex.Arg a -> args[a.k()];
            case Ex.Same s -> "(" + index(s.a()) + " == " + index(s.b()) + " ? (real) 1 : (real) 0)";
            case Ex.InRange r -> {
                String at = index(r.at());
                yield "(" + at + " >= 0 && " + at + " < " + r.size() + " ? (real) 1 : (real) 0)";
            }
            case Ex.Position p -> position(p);
            case Ex.ArgMax m -> argMax(m, pre, indent);
            case Ex.Neg u -> "(-" + expr(u.a(), pre, indent) + ")";
            case Ex.Call c -> {
                var args = new ArrayList<String>();
                for (Ex a : c.args()) args.add(expr(a, pre, indent));
                yield c.f().c + "(" + String.join(", ", args) + ")";
            }
            case Ex.Binary b -> {
                String x = expr(b.a(), pre, indent), y = expr(b.b(), pre, indent);
                yield switch (b.op()) {
                    case ADD -> "(" + x + " + " + y + ")";
                    case SUB -> "(" + x + " - " + y + ")";
                    case MUL -> "(" + x + " * " + y + ")";
                    case DIV -> "(" + x + " / " + y + ")";
                    case POW -> b.squared() != null ? "(" + x + " * " + x + ")" : "pow(" + x + ", " + y + ")";
                };
            }
            case Ex.Cmp c -> {
                String x = expr(c.a(), pre, indent), y = expr(c.b(), pre, indent);
                String op = switch (c.op()) {
                    case LT -> "<";
                    case LE -> "<=";
                    case GT -> ">";
                    case GE -> ">=";
                    case EQ -> "==";
                    case NE -> "!=";
                };
                yield "(" + x + " " + op + " " + y + " ? (real) 1 : (real) 0)";
            }
            case Ex.Select s -> {
                // only the chosen branch is evaluated, as the IR says (∞·0 must not arise)
                String t = fresh("t"), c = expr(s.cond(), pre, indent);
                pre.append(indent).append("real ").append(t).append(";\n");
                pre.append(indent).append("if (").append(c).append(" != 0) {\n");
                var then = new StringBuilder();
                String tv = expr(s.then(), then, indent + "    ");
                pre.append(then).append(indent).append("    ").append(t).append(" = ").append(tv).append(";\n");
                pre.append(indent).append("} else {\n");
                var other = new StringBuilder();
                String ov = expr(s.otherwise(), other, indent + "    ");
                pre.append(other).append(indent).append("    ").append(t).append(" = ").append(ov).append(";\n");
                pre.append(indent).append("}\n");
                yield t;
            }
            case Ex.Sum s -> reduce(s.i(), s.body(), false, pre, indent);
            case Ex.Max m -> reduce(m.i(), m.body(), true, pre, indent);
            case Ex.Annotated w -> expr(w.value(), pre, indent);
            case Ex.Apply a -> {
                String[] frame = new String[a.args().size()];
                for (int k = 0; k < frame.length; k++) {
                    String v = expr(a.args().get(k), pre, indent);
                    frame[k] = fresh("arg");
                    pre.append(indent).append("real ").append(frame[k]).append(" = ").append(v).append(";\n");
                }
                String[] saved = args;
                args = frame;
                String v = expr(a.f().body(), pre, indent);
                args = saved;
                yield v;
            }
        };
    }

    /** The row-major position of the subscripts in their window, or −1 when one lies outside it. */
    private String position(Ex.Position p) {
        List<String> inside = new ArrayList<>();
        String flat = "0";
        for (int k = 0; k < p.at().size(); k++) {
            String at = "(" + index(p.at().get(k)) + ")";
            inside.add("(unsigned) " + at + " < " + p.shape().get(k) + "u");
            flat = k == 0 ? at : "(" + flat + ") * " + p.shape().get(k) + " + " + at;
        }
        return "(" + String.join(" && ", inside) + " ? (real) (" + flat + ") : (real) -1)";
    }

    /** The row-major position of the body's first maximum over the window (a strict > keeps the first). */
    private String argMax(Ex.ArgMax m, StringBuilder pre, String indent) {
        String best = fresh("best"), arg = fresh("arg"), at = fresh("at");
        pre.append(indent).append("real ").append(best).append(" = ").append(number(Double.NEGATIVE_INFINITY)).append(";\n");
        pre.append(indent).append("int ").append(arg).append(" = 0, ").append(at).append(" = 0;\n");
        String in = indent;
        for (IndexVar v : m.vars()) {
            String n = bind(v);
            pre.append(in).append("for (int ").append(n).append(" = 0; ").append(n).append(" < ").append(v.range()).append("; ")
                    .append(n).append("++) {\n");
            in += "    ";
        }
        var inner = new StringBuilder();
        String v = expr(m.body(), inner, in);
        String x = fresh("x");
        pre.append(inner).append(in).append("real ").append(x).append(" = ").append(v).append(";\n");
        pre.append(in).append("if (").append(at).append(" == 0 || ").append(x).append(" > ").append(best).append(") { ")
                .append(best).append(" = ").append(x).append("; ").append(arg).append(" = ").append(at).append("; }\n");
        pre.append(in).append(at).append("++;\n");
        for (int k = m.vars().size() - 1; k >= 0; k--) {
            in = in.substring(4);
            pre.append(in).append("}\n");
        }
        return "((real) " + arg + ")";
    }

    private String reduce(IndexVar i, Ex body, boolean max, StringBuilder pre, String indent) {
        String acc = fresh("sum");
        pre.append(indent).append("real ").append(acc).append(" = ").append(max ? number(Double.NEGATIVE_INFINITY) : "0").append(";\n");
        // a solved adjoint's sum runs over the values its guards allow (ir.Guards), not the whole range
        String from = "0", to = Integer.toString(i.range());
        List<Guards.Bound> bounds = max ? List.of() : Guards.of(i, body);
        for (Guards.Bound b : bounds) {
            String rest = index(b.rest());
            from = "nnc_imax(" + from + ", nnc_lowest(" + b.coefficient() + ", " + b.size() + ", " + rest + "))";
            to = "nnc_imin(" + to + ", nnc_highest(" + b.coefficient() + ", " + b.size() + ", " + rest + ") + 1)";
        }
        String n = bind(i);
        pre.append(indent).append("for (int ").append(n).append(" = ").append(from).append("; ").append(n).append(" < ").append(to).append("; ")
                .append(n).append("++) {\n");
        var inner = new StringBuilder();
        String v = expr(bounds.isEmpty() ? body : Guards.withoutGuards(i, body), inner, indent + "    ");
        pre.append(inner).append(indent).append("    ").append(acc).append(" = ")
                .append(max ? Primitive.MAX.c + "(" + acc + ", " + v + ")" : acc + " + " + v).append(";\n");
        pre.append(indent).append("}\n");
        return acc;
    }
}
