package dev.nnc.ir;

import dev.nnc.ast.Expr.Compare;
import dev.nnc.ast.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints IR in the notation of the notes: {@code δh1[j] = (Σₖ W2[k,j] · δh2[k]) · [h1[j] > 0]}. Three
 * spellings: Unicode .nn, ASCII .nn, and LaTeX. Index variables that share a name within one def get
 * distinct names here (i, i2, …); the IR itself tells them apart by identity.
 */
public final class IrPrinter {
    public enum Style { UNICODE, ASCII, LATEX }

    private final Style style;
    private final Map<IndexVar, String> names = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    private IrPrinter(Style style) { this.style = style; }

    public static String def(Def d, Style style) {
        var p = new IrPrinter(style);
        d.vars().forEach(p::declare);
        return p.lhs(d.tensor(), d.vars()) + " = " + p.expr(d.body(), 0);
    }

    /**
     * {@code t[at] = value} (or {@code +=}): a statement of a loop program, whose index variables are bound by
     * loops around it, or fixed.
     */
    public static String assignment(Tensor t, List<Idx> at, Ex value, boolean add, Style style) {
        var p = new IrPrinter(style);
        for (Idx i : at) if (i instanceof Idx.Var v) p.declare(v.v());
        return p.load(t, at) + (add ? " += " : " = ") + p.expr(value, 0);
    }

    /** An index variable's name as the statements under {@link #assignment} print it, for the loops around them. */
    public static String indexName(IndexVar v) { return v.name; }

    /** A tensor's name in this style: δ and ∂J/∂ become \delta and \frac in LaTeX, delta_ and dJ/d in ASCII. */
    public static String name(Tensor t, Style style) { return new IrPrinter(style).tensorName(t); }

    /** A whole graph: forward defs, then backward defs (for {@code nnc emit ir}). */
    public static String graph(Graph g, Style style) {
        var sb = new StringBuilder();
        sb.append("network ").append(g.name()).append('\n');
        for (Tensor t : g.inputs()) sb.append("  input  ").append(decl(t, style)).append('\n');
        for (Tensor t : g.targets()) sb.append("  target ").append(decl(t, style)).append('\n');
        for (Tensor t : g.params()) sb.append("  param  ").append(decl(t, style)).append('\n');
        sb.append("  // forward\n");
        // with index arithmetic the shapes are inferred ("valid" windows): each value's is shown beside it
        boolean shapes = Windows.used(g.forward());
        for (Def d : g.forward()) {
            sb.append("  ").append(def(d, style));
            if (shapes && d.tensor().rank() > 0) sb.append("   // ").append(d.tensor().shape.toString().replace(" ", ""));
            sb.append('\n');
        }
        if (!g.backward().isEmpty()) sb.append("  // backward\n");
        for (Def d : g.backward()) sb.append("  ").append(def(d, style)).append('\n');
        sb.append("  output ").append(String.join(", ", g.outputs().stream().map(t -> name(t, style)).toList())).append('\n');
        sb.append("  loss   ").append(name(g.loss(), style)).append('\n');
        return sb.toString();
    }

    private static String decl(Tensor t, Style style) {
        String n = name(t, style);
        return t.shape.isEmpty() ? n : n + t.shape.toString().replace(" ", "");
    }

    private void declare(IndexVar v) {
        if (names.containsKey(v)) return;
        String n = v.name;
        // a clash takes the next free letter of i j k l m n p q r s, as a person would; else a number
        String letters = "ijklmnpqrs";
        int at = letters.indexOf(n);
        for (int k = 1; taken.contains(n) && at >= 0 && n.length() == 1 && at + k < letters.length(); k++) n = String.valueOf(letters.charAt(at + k));
        for (int k = 2; taken.contains(n); k++) n = v.name + k;
        taken.add(n);
        names.put(v, n);
    }

    private String lhs(Tensor t, List<IndexVar> vars) {
        List<Idx> idx = vars.stream().map(Idx::of).toList();
        return load(t, idx);
    }

    // ─── Names ────────────────────────────────────────────────────────────────────────────────────

    private String tensorName(Tensor t) {
        String n = t.name;
        if (n.startsWith("∂J/∂")) {
            String of = ident(n.substring(4));
            return switch (style) {
                case UNICODE -> n;
                case ASCII -> "dJ/d" + of;
                case LATEX -> "\\frac{\\partial J}{\\partial " + of + "}";
            };
        }
        if (n.startsWith("δ")) {
            String of = ident(n.substring(1));
            return switch (style) {
                case UNICODE -> n;
                case ASCII -> "delta_" + of;
                case LATEX -> "\\delta^{" + of + "}";
            };
        }
        return ident(n);
    }

    private String ident(String n) {
        return switch (style) {
            case UNICODE -> n;
            case ASCII -> Names.ascii(n).replace("′", "_");
            case LATEX -> latexName(n);
        };
    }

    private static final String GREEK = "αβγδεζηθικλμνξπρστυφχψω";
    private static final String[] GREEK_TEX = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
            "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"};

    private static String latexName(String n) {
        var sb = new StringBuilder();
        n.codePoints().forEach(c -> {
            int g = GREEK.indexOf(c);
            if (g >= 0) sb.append('\\').append(GREEK_TEX[g]).append(' ');
            else if (c == '_') sb.append("\\_");
            else if (c == '′') sb.append('\'');
            else sb.appendCodePoint(c);
        });
        return sb.toString().trim();
    }

    private String var(IndexVar v) {
        declare(v);
        return names.get(v);
    }

    private String idx(Idx i) {
        return switch (i) {
            case Idx.Var v -> var(v.v());
            case Idx.Fixed f -> String.valueOf(f.position() + 1);
            case Idx.Affine a -> affine(a);
        };
    }

    /**
     * An affine subscript as the source writes it, 1-based: the IR's {@code i + p} (0-based values) is the source's
     * {@code i+p−1}, since each 1-based variable is one more than its 0-based value.
     */
    private String affine(Idx.Affine a) {
        var out = new StringBuilder();
        long constant = a.constant() + 1;
        for (Idx.Term t : a.terms()) constant -= t.coefficient();
        String minus = style == Style.UNICODE ? "−" : "-";
        for (Idx.Term t : a.terms()) {
            int c = t.coefficient();
            if (out.isEmpty()) {
                if (c < 0) out.append(minus);
            } else {
                out.append(c < 0 ? minus : "+");
            }
            if (Math.abs(c) != 1) out.append(Math.abs((long) c));
            out.append(var(t.v()));
        }
        if (constant != 0) out.append(constant < 0 ? minus : "+").append(Math.abs(constant));
        return out.toString();
    }

    /** [1 ≤ m−p+1 ≤ 24]: the guard as a person writes it. */
    private String inRange(Ex.InRange r) {
        String le = switch (style) {
            case UNICODE -> " ≤ ";
            case ASCII -> " <= ";
            case LATEX -> " \\le ";
        };
        return "[1" + le + idx(r.at()) + le + r.size() + "]";
    }

    private String load(Tensor t, List<Idx> idx) {
        String n = tensorName(t);
        if (idx.isEmpty()) return n;
        if (style == Style.UNICODE && idx.size() == 1 && idx.get(0) instanceof Idx.Fixed f
                && !Character.isDigit(n.charAt(n.length() - 1))) {
            return n + Names.subscript(String.valueOf(f.position() + 1)); // x₁, as in the notes
        }
        var parts = idx.stream().map(this::idx).toList();
        if (style == Style.LATEX) {
            String sub = "_{" + String.join(",", parts) + "}";
            if (t.name.startsWith("∂J/∂")) return "\\frac{\\partial J}{\\partial " + ident(t.name.substring(4)) + sub + "}";
            if (t.name.startsWith("δ")) return "\\delta^{" + ident(t.name.substring(1)) + "}" + sub;
            return n + sub;
        }
        return n + "[" + String.join(",", parts) + "]";
    }

    // ─── Expressions ──────────────────────────────────────────────────────────────────────────────
    // Levels as in the language: 1 + −, 2 · /, 3 prefix − and Σ, 5 ^, 6 atoms.

    private String expr(Ex e, int context) {
        int level = level(e);
        String s = switch (e) {
            case Ex.Num n -> number(n.value());
            case Ex.Load l -> load(l.tensor(), l.idx());
            case Ex.Arg a -> "#" + a.k();
            case Ex.Same s2 -> "[" + idx(s2.a()) + (style == Style.ASCII ? " == " : " = ") + idx(s2.b()) + "]";
            case Ex.InRange r -> inRange(r);
            case Ex.Position p -> p.at().size() == 1 ? idx(p.at().get(0))
                    : "(" + String.join(", ", p.at().stream().map(this::idx).toList()) + ")";
            case Ex.ArgMax m -> {
                String v = String.join(",", m.vars().stream().map(this::var).toList());
                yield switch (style) {
                    case LATEX -> "\\operatorname{argmax}_{" + v + "} " + expr(m.body(), 2);
                    default -> "argmax_" + (m.vars().size() == 1 ? v : "{" + v + "}") + " " + expr(m.body(), 2);
                };
            }
            // a max's subgradient, [i−2k+2 = argmax_p …]: an equation of subscripts, written as Kronecker's delta is
            case Ex.Cmp c when c.op() == Compare.EQ && c.a() instanceof Ex.Position ->
                    "[" + expr(c.a(), 1) + (style == Style.ASCII ? " == " : " = ") + expr(c.b(), 1) + "]";
            case Ex.Neg u -> "-" + expr(u.a(), 4);
            case Ex.Binary b -> binary(b);
            case Ex.Call c -> call(c);
            case Ex.Cmp c -> "[" + expr(c.a(), 1) + " " + compare(c.op()) + " " + expr(c.b(), 1) + "]";
            case Ex.Select s2 -> select(s2);
            case Ex.Sum s2 -> sum("Σ", s2.i(), s2.body());
            case Ex.Max m -> {
                String v = var(m.i());
                yield switch (style) {
                    case LATEX -> "\\max_{" + v + "} " + expr(m.body(), 2);
                    default -> "max_" + v + " " + expr(m.body(), 2);
                };
            }
            case Ex.Apply a -> call(ident(a.f().name), a.args());
            case Ex.Annotated w -> expr(w.value(), context);
        };
        if (e instanceof Ex.Annotated) return s;
        return level < context ? paren(s) : s;
    }

    private String paren(String s) { return style == Style.LATEX ? "\\left(" + s + "\\right)" : "(" + s + ")"; }

    private static int level(Ex e) {
        return switch (e) {
            case Ex.Binary b -> switch (b.op()) {
                case ADD, SUB -> 1;
                case MUL, DIV -> 2;
                case POW -> 5;
            };
            case Ex.Neg u -> 3;
            case Ex.Num n -> n.value() < 0 ? 3 : 6;
            case Ex.Sum s -> 3;
            case Ex.Max m -> 3;
            case Ex.ArgMax m -> 3;
            // with both branches it prints as a sum, [c] · g + (1 - [c]) · h: a factor after it needs parentheses
            case Ex.Select s -> Exprs.isNum(s.otherwise(), 0) || Exprs.isNum(s.then(), 0) ? 2 : 1;
            default -> 6;
        };
    }

    private String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        if (v == Math.PI) return style == Style.LATEX ? "\\pi" : style == Style.ASCII ? "pi" : "π";
        return String.valueOf(v);
    }

    /** A primitive as its row of the table spells it in this style. */
    private String call(Ex.Call c) {
        String form = switch (style) {
            case UNICODE -> c.f().unicode;
            case ASCII -> c.f().spelling + "(%s)";
            case LATEX -> c.f().latex;
        };
        int context = form.endsWith("%s") ? 6 : 0; // nothing closes the argument (√x): it must be an atom
        var parts = new ArrayList<String>();
        for (Ex a : c.args()) parts.add(expr(a, context));
        return form.replace("%s", String.join(", ", parts));
    }

    private String binary(Ex.Binary b) {
        return switch (b.op()) {
            case ADD, SUB -> terms(b);
            case MUL -> left(b.a()) + switch (style) {
                case UNICODE -> " · ";
                case ASCII -> " * ";
                case LATEX -> " \\cdot ";
            } + expr(b.b(), b.b() instanceof Ex.Binary r && r.op() == Ex.BinOp.MUL ? 2 : 3);
            case DIV -> style == Style.LATEX ? "\\frac{" + expr(b.a(), 0) + "}{" + expr(b.b(), 0) + "}"
                    : left(b.a()) + " / " + expr(b.b(), 4);
            case POW -> power(b);
        };
    }

    /**
     * a + b - c …: the left-deep chain's terms in one builder. Each term printed on its own and joined once, where
     * concatenating at every level copied the text so far again (a sum of n terms took n² steps).
     */
    private String terms(Ex.Binary b) {
        List<Ex.Binary> chain = new ArrayList<>();
        Ex first = b;
        while (first instanceof Ex.Binary x && (x.op() == Ex.BinOp.ADD || x.op() == Ex.BinOp.SUB)) {
            chain.add(x);
            first = x.a();
        }
        var out = new StringBuilder(expr(first, 1));
        for (int k = chain.size() - 1; k >= 0; k--) {
            Ex.Binary x = chain.get(k);
            out.append(x.op() == Ex.BinOp.ADD ? " + " : " - ").append(expr(x.b(), 2));
        }
        return out.toString();
    }

    /** A sum's operand runs over a following · or /, so a sum on the left of one needs parentheses. */
    private String left(Ex a) {
        return a instanceof Ex.Sum || a instanceof Ex.Max ? paren(expr(a, 0)) : expr(a, 2);
    }

    private String power(Ex.Binary b) {
        String base = expr(b.a(), 6);
        if (style == Style.LATEX) return base + "^{" + expr(b.b(), 0) + "}";
        if (style == Style.UNICODE && b.b() instanceof Ex.Num n && n.value() == Math.rint(n.value()) && Math.abs(n.value()) < 100) {
            return base + Names.superscript(String.valueOf((long) n.value()));
        }
        return base + "^" + expr(b.b(), 6);
    }

    private String call(String f, List<Ex> args) {
        var parts = new ArrayList<String>();
        for (Ex a : args) parts.add(expr(a, 0));
        String inner = String.join(", ", parts);
        return style == Style.LATEX ? f + "\\left(" + inner + "\\right)" : f + "(" + inner + ")";
    }

    private String compare(Compare op) {
        return switch (style) {
            case UNICODE -> op.unicode;
            case ASCII -> op.ascii;
            case LATEX -> switch (op) {
                case LT -> "<";
                case LE -> "\\le";
                case GT -> ">";
                case GE -> "\\ge";
                case EQ -> "=";
                case NE -> "\\ne";
            };
        };
    }

    /** {@code c ? a : 0} prints as {@code a · [c]}; the general form as a sum of two bracketed terms. */
    private String select(Ex.Select s) {
        String mul = style == Style.UNICODE ? " · " : style == Style.ASCII ? " * " : " \\cdot ";
        if (Exprs.isNum(s.otherwise(), 0)) return left(s.then()) + mul + bracket(s.cond());
        if (Exprs.isNum(s.then(), 0)) return expr(s.otherwise(), 2) + mul + "(1 - " + bracket(s.cond()) + ")";
        return bracket(s.cond()) + mul + expr(s.then(), 3) + " + (1 - " + bracket(s.cond()) + ")" + mul + expr(s.otherwise(), 3);
    }

    private String bracket(Ex cond) {
        return cond instanceof Ex.Cmp || cond instanceof Ex.InRange || cond instanceof Ex.Same
                ? expr(cond, 6) : "[" + expr(cond, 0) + " ≠ 0]";
    }

    private String sum(String sigma, IndexVar i, Ex body) {
        String v = var(i);
        String head = switch (style) {
            case UNICODE -> {
                String sub = Names.subscript(v);
                yield sub != null ? "Σ" + sub + " " : "Σ_" + v + " ";
            }
            case ASCII -> "sum_" + v + " ";
            case LATEX -> "\\sum_{" + v + "} ";
        };
        return head + expr(body, 2);
    }
}
