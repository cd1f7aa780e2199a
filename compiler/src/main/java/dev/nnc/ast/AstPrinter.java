package dev.nnc.ast;

import dev.nnc.runtime.Primitive;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints an AST as normalised .nn source, in Unicode (σ, Σᵢ, ·, x², ←) or in the ASCII spelling
 * (sigma, sum_i, *, x^2, <-). Parsing the print gives the same AST: parentheses are added exactly where
 * the grammar's precedence needs them, and products are always written with an explicit operator.
 */
public final class AstPrinter {
    private final boolean ascii;
    private final StringBuilder out = new StringBuilder();

    private AstPrinter(boolean ascii) { this.ascii = ascii; }

    public static String print(Program program, boolean ascii) {
        var p = new AstPrinter(ascii);
        boolean first = true;
        for (Decl d : program.decls()) {
            if (!first) p.out.append('\n');
            first = false;
            p.decl(d);
        }
        return p.out.toString();
    }

    public static String print(Expr expr, boolean ascii) {
        var p = new AstPrinter(ascii);
        p.expr(expr, ADD, false);
        return p.out.toString();
    }

    // ─── Declarations ─────────────────────────────────────────────────────────────────────────────

    private void decl(Decl decl) {
        switch (decl) {
            case Decl.Import i -> out.append("import ").append(quote(i.path())).append('\n');
            case Decl.Alias a -> out.append("alias ").append(name(a.name())).append(" = ").append(name(a.target())).append('\n');
            case Decl.Fn f -> {
                out.append("fn ").append(name(f.name()));
                params(f.params());
                if (!f.resultIndices().isEmpty()) out.append('[').append(names(f.resultIndices())).append(']');
                out.append(" = ");
                expr(f.body(), ADD, false);
                String sep = "\n  where ";
                for (var d : f.derivatives()) {
                    out.append(sep).append(partial()).append(name(d.of())).append('/').append(partial())
                            .append(name(d.wrt())).append(" = ");
                    expr(d.body(), ADD, false);
                    sep = ",\n        ";
                }
                out.append('\n');
            }
            case Decl.Neuron n -> {
                out.append("neuron ").append(name(n.name()));
                params(n.params());
                out.append(" = ");
                expr(n.body(), ADD, false);
                out.append('\n');
            }
            case Decl.Optimizer o -> {
                out.append("optimizer ").append(name(o.name()));
                if (!o.hyperparameters().isEmpty()) params(o.hyperparameters());
                out.append(" {\n");
                for (var s : o.body()) optimizerStatement(s);
                out.append("}\n");
            }
            case Decl.Network n -> {
                out.append("network ").append(name(n.name())).append(" {\n");
                for (var m : n.members()) member(m);
                out.append("}\n");
            }
            case Decl.Train t -> {
                out.append("train ").append(name(t.network())).append(" {\n");
                for (var s : t.settings()) {
                    out.append("  ").append(s.key().name()).append(' ');
                    boolean first = true;
                    for (var v : s.values()) {
                        if (!first) out.append(", ");
                        first = false;
                        switch (v) {
                            case Setting.Text text -> out.append(quote(text.text()));
                            case Setting.Number num -> expr(num.expr(), ADD, false);
                        }
                    }
                    out.append('\n');
                }
                out.append("}\n");
            }
        }
    }

    private void params(List<Decl.Param> params) {
        out.append('(');
        boolean first = true;
        for (var p : params) {
            if (!first) out.append(", ");
            first = false;
            out.append(name(p.name()));
            if (p.defaultValue() != null) {
                out.append(" = ");
                expr(p.defaultValue(), ADD, false);
            }
        }
        out.append(')');
    }

    private void optimizerStatement(OptimizerStatement s) {
        switch (s) {
            case OptimizerStatement.State st -> {
                out.append("  state ");
                boolean first = true;
                for (var v : st.vars()) {
                    if (!first) out.append(", ");
                    first = false;
                    out.append(name(v.name())).append(" = ");
                    expr(v.initial(), ADD, false);
                }
                out.append('\n');
            }
            case OptimizerStatement.Update u -> {
                out.append("  ").append(name(u.target())).append(ascii ? " <- " : " ← ");
                expr(u.value(), ADD, false);
                out.append('\n');
            }
        }
    }

    private void member(Member m) {
        out.append("  ");
        switch (m) {
            case Member.Input in -> out.append("input ").append(tensors(in.tensors()));
            case Member.Target t -> out.append("target ").append(tensors(t.tensors()));
            case Member.Params p -> {
                out.append("param ");
                boolean first = true;
                for (var d : p.params()) {
                    if (!first) out.append(", ");
                    first = false;
                    out.append(name(d.name())).append(dims(d.dims()));
                    if (d.init() != null) init(d.init());
                }
            }
            case Member.Layer l -> {
                out.append("layer ").append(name(l.name())).append(dims(l.dims())).append(" = ")
                        .append(name(l.neuron()));
                args(l.args());
                String sep = " with ";
                for (var i : l.inits()) {
                    out.append(sep).append(name(i.name()));
                    init(i.init());
                    sep = ", ";
                }
            }
            case Member.Output o -> out.append("output ").append(names(o.names()));
            case Member.Loss l -> {
                out.append("loss ").append(name(l.name())).append(" = ");
                expr(l.value(), ADD, false);
            }
            case Member.Equation e -> {
                out.append(name(e.name()));
                if (!e.indices().isEmpty()) out.append('[').append(names(e.indices())).append(']');
                out.append(" = ");
                expr(e.value(), ADD, false);
            }
        }
        out.append('\n');
    }

    private void init(Init init) {
        switch (init) {
            case Init.Random r -> {
                out.append(" ~ ").append(name(r.distribution()));
                if (!r.args().isEmpty()) args(r.args());
            }
            case Init.Value v -> {
                out.append(" = ");
                expr(v.value(), ADD, false);
            }
            case Init.Values v -> {
                out.append(" = ");
                element(v.array());
            }
        }
    }

    /** {@code [0, -1]}, {@code [[1, 2], [3, 4]]}: an element is a whole expression, so it needs no parentheses. */
    private void element(Init.Element e) {
        switch (e) {
            case Init.Scalar s -> expr(s.value(), ADD, false);
            case Init.Array a -> {
                out.append('[');
                for (int k = 0; k < a.elements().size(); k++) {
                    if (k > 0) out.append(", ");
                    element(a.elements().get(k));
                }
                out.append(']');
            }
        }
    }

    private String tensors(List<Member.TensorDecl> tensors) {
        return tensors.stream().map(t -> name(t.name()) + dims(t.dims())).collect(Collectors.joining(", "));
    }

    private static String dims(List<Member.Dim> dims) {
        if (dims.isEmpty()) return "";
        return dims.stream().map(d -> String.valueOf(d.size())).collect(Collectors.joining(",", "[", "]"));
    }

    // ─── Expressions ──────────────────────────────────────────────────────────────────────────────

    // Precedence levels of the grammar, loosest first.
    private static final int ADD = 1, MUL = 2, UNARY = 3, POWER = 4, ATOM = 5;

    /**
     * @param min        the loosest level that may stand here without parentheses
     * @param followed   whether a · or / follows at the same level (a Σ there would swallow it)
     */
    private void expr(Expr e, int min, boolean followed) {
        int level = level(e);
        boolean paren = level < min || (e instanceof Expr.Sum && followed);
        if (paren) {
            out.append('(');
            followed = false;
        }
        switch (e) {
            case Expr.Num n -> out.append(number(n.value()));
            case Expr.Ref r -> ref(r.name(), r.indices());
            case Expr.Call c -> call(c);
            case Expr.Neg n -> {
                out.append('-');
                expr(n.operand(), UNARY, followed);
            }
            case Expr.Binary b -> binary(b, followed);
            case Expr.Sum s -> {
                sumHead(s);
                out.append(' ');
                expr(s.body(), MUL, false);
            }
            case Expr.Derivative d -> out.append(partial()).append(name(d.of())).append('/').append(partial())
                    .append(name(d.wrt()));
            case Expr.Iverson i -> {
                out.append('[');
                expr(i.left(), ADD, false);
                out.append(' ').append(ascii ? i.op().ascii : i.op().unicode).append(' ');
                expr(i.right(), ADD, false);
                out.append(']');
            }
        }
        if (paren) out.append(')');
    }

    private static int level(Expr e) {
        return switch (e) {
            case Expr.Binary b -> switch (b.op()) {
                case ADD, SUB -> ADD;
                case MUL, DIV -> MUL;
                case POW -> POWER;
            };
            case Expr.Neg n -> UNARY;
            case Expr.Sum s -> UNARY;
            case Expr.Num n -> ATOM;
            case Expr.Ref r -> ATOM;
            case Expr.Call c -> ATOM;
            case Expr.Derivative d -> ATOM;
            case Expr.Iverson i -> ATOM;
        };
    }

    private void binary(Expr.Binary b, boolean followed) {
        switch (b.op()) {
            case ADD, SUB -> {
                expr(b.left(), ADD, false);
                out.append(b.op() == Expr.Op.ADD ? " + " : " - ");
                expr(b.right(), MUL, false);
            }
            case MUL, DIV -> {
                expr(b.left(), MUL, true);
                out.append(b.op() == Expr.Op.DIV ? " / " : ascii ? "*" : "·");
                expr(b.right(), UNARY, followed);
            }
            case POW -> {
                // A derivative as a base is an atom to the grammar, but (∂J/∂θ)² reads better to people.
                if (b.left() instanceof Expr.Derivative) {
                    out.append('(');
                    expr(b.left(), ATOM, false);
                    out.append(')');
                } else {
                    expr(b.left(), ATOM, false);
                }
                String sup = ascii ? null : superscript(b.right());
                if (sup != null) {
                    out.append(sup);
                } else {
                    out.append('^');
                    exponent(b.right());
                }
            }
        }
    }

    /** The exponent grammar allows leading minus signs, then a power. */
    private void exponent(Expr e) {
        if (e instanceof Expr.Neg n) {
            out.append('-');
            exponent(n.operand());
        } else {
            expr(e, POWER, false);
        }
    }

    private String superscript(Expr exponent) {
        String plain = switch (exponent) {
            case Expr.Num n when n.value() == Math.rint(n.value()) && n.value() >= 0 && n.value() < 1e9 ->
                    String.valueOf((long) n.value());
            case Expr.Neg(Expr.Num n, var s) when n.value() == Math.rint(n.value()) && n.value() >= 0 && n.value() < 1e9 ->
                    "-" + (long) n.value();
            case Expr.Ref r when r.indices().isEmpty() -> r.name().name();
            default -> null;
        };
        return plain == null ? null : Names.superscript(plain);
    }

    private void sumHead(Expr.Sum s) {
        String index = name(s.index());
        String sigma = ascii ? s.op().ascii : s.op().unicode;
        if (s.lower() == null && s.upper() == null && s.op() == Expr.Reduction.SUM) {
            String sub = ascii ? null : Names.subscript(index);
            out.append(sub != null && sub.length() == 1 ? sigma + sub : sigma + "_" + index);
            return;
        }
        out.append(sigma).append("_{").append(index);
        if (s.lower() != null) out.append('=').append(s.lower());
        out.append('}');
        if (s.upper() != null) {
            out.append("^{");
            switch (s.upper()) {
                case Expr.NumberBound nb -> out.append(nb.value());
                case Expr.NameBound nb -> out.append(name(nb.name()));
            }
            out.append('}');
        }
    }

    private void call(Expr.Call c) {
        if (!ascii && c.callee().name().equals(Primitive.SQRT.spelling) && c.args().size() == 1 && c.args().get(0).name() == null
                && c.indices().isEmpty()) {
            out.append('√');
            Expr arg = c.args().get(0).value();
            if (level(arg) == ATOM && !(arg instanceof Expr.Num)) {
                expr(arg, ATOM, false);
            } else {
                out.append('(');
                expr(arg, ADD, false);
                out.append(')');
            }
            return;
        }
        out.append(name(c.callee()));
        args(c.args());
        if (!c.indices().isEmpty()) out.append('[').append(indexList(c.indices())).append(']');
    }

    private void args(List<Arg> args) {
        out.append('(');
        boolean first = true;
        for (var a : args) {
            if (!first) out.append(", ");
            first = false;
            if (a.name() != null) out.append(name(a.name())).append(" = ");
            expr(a.value(), ADD, false);
        }
        out.append(')');
    }

    private void ref(Ident name, List<Index> indices) {
        out.append(name(name));
        if (indices.isEmpty()) return;
        if (!ascii && indices.size() == 1) {
            String sub = switch (indices.get(0)) {
                case Index.Var v -> Names.subscript(v.name().name());
                case Index.Const k -> Names.subscript(String.valueOf(k.value()));
                case Index.Affine a -> null;
                case Index.Broken b -> null;
            };
            if (sub != null) {
                out.append(sub);
                return;
            }
        }
        out.append('[').append(indexList(indices)).append(']');
    }

    private String indexList(List<Index> indices) {
        return indices.stream().map(i -> switch (i) {
            case Index.Var v -> name(v.name());
            case Index.Const k -> String.valueOf(k.value());
            case Index.Affine a -> affine(a);
            case Index.Broken b -> b.span().text();
        }).collect(Collectors.joining(","));
    }

    /** 2·i + p - 2: the coefficient with an explicit product, since 2e1 would read as a number. */
    private String affine(Index.Affine a) {
        var b = new StringBuilder();
        for (var t : a.terms()) {
            long c = t.coefficient();
            if (b.isEmpty()) {
                if (c < 0) b.append('-');
            } else {
                b.append(c < 0 ? " - " : " + ");
            }
            if (Math.abs(c) != 1) b.append(Math.abs(c)).append(ascii ? "*" : "·");
            b.append(name(t.name()));
        }
        if (a.constant() != 0) b.append(a.constant() < 0 ? " - " : " + ").append(Math.abs((long) a.constant()));
        return b.toString();
    }

    // ─── Tokens ───────────────────────────────────────────────────────────────────────────────────

    private String partial() { return ascii ? "partial " : "∂"; }

    private String name(Ident id) {
        if (!ascii) return id.name();
        var parts = id.name().split("\\.", -1);
        for (int i = 0; i < parts.length; i++) parts[i] = Names.ascii(parts[i]);
        return String.join(".", parts);
    }

    private String names(List<Ident> ids) {
        return ids.stream().map(this::name).collect(Collectors.joining(", "));
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        var d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double abs = Math.abs(v);
        return abs >= 1e-4 && abs < 1e15 ? d.toPlainString() : d.toString().replace("E+", "e").replace('E', 'e');
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + '"';
    }
}
