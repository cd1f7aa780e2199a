package dev.nnc.parse;

import dev.nnc.ast.Expr;
import dev.nnc.ast.Ident;
import dev.nnc.ast.Index;
import dev.nnc.diag.Diagnostics;
import dev.nnc.diag.Key;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subscript from the expression written between brackets: an index variable, an integer, or integers times
 * index variables added and subtracted ({@code i+p−1}, {@code 2i+p−2}, {@code 2·(i−1)+p}). Anything else — a
 * product of two names, a power, a division, a call, a fraction — is not affine and gets a diagnostic here,
 * where the form is still as written. Whether the names are index variables is the checker's to say.
 */
final class Subscripts {
    private Subscripts() {}

    /** The subscript; {@link Index.Broken} when e is not affine (reported). */
    static Index of(Expr e, Diagnostics diagnostics) {
        Form f = form(e, diagnostics);
        if (f == null) {
            List<Ident> names = new ArrayList<>();
            collect(e, names);
            return new Index.Broken(names, e.span());
        }
        if (f.terms.isEmpty()) return new Index.Const((int) f.constant, e.span());
        if (f.terms.size() == 1 && f.constant == 0) {
            var only = f.terms.values().iterator().next();
            if (only.coefficient == 1) return new Index.Var(only.name);
        }
        List<Index.Term> terms = new ArrayList<>();
        for (var t : f.terms.values()) if (t.coefficient != 0) terms.add(new Index.Term((int) t.coefficient, t.name));
        if (terms.isEmpty()) return new Index.Const((int) f.constant, e.span());
        return new Index.Affine(terms, (int) f.constant, e.span());
    }

    private static void collect(Expr e, List<Ident> out) {
        switch (e) {
            case Expr.Ref r when r.indices().isEmpty() -> out.add(r.name());
            case Expr.Neg n -> collect(n.operand(), out);
            case Expr.Binary b -> {
                collect(b.left(), out);
                collect(b.right(), out);
            }
            default -> { }
        }
    }

    private static final class Coefficient {
        final Ident name;
        long coefficient;

        Coefficient(Ident name, long coefficient) {
            this.name = name;
            this.coefficient = coefficient;
        }
    }

    /** Σ coefficient·name + constant, the names in the order first written. */
    private static final class Form {
        final Map<String, Coefficient> terms = new LinkedHashMap<>();
        long constant;

        Form scaled(long k) {
            var out = new Form();
            out.constant = constant * k;
            for (var t : terms.values()) out.terms.put(t.name.name(), new Coefficient(t.name, t.coefficient * k));
            return out;
        }

        Form plus(Form o, long sign) {
            var out = scaled(1);
            out.constant += sign * o.constant;
            for (var t : o.terms.values()) {
                var mine = out.terms.get(t.name.name());
                if (mine == null) out.terms.put(t.name.name(), new Coefficient(t.name, sign * t.coefficient));
                else mine.coefficient += sign * t.coefficient;
            }
            return out;
        }
    }

    private static final long LIMIT = Integer.MAX_VALUE;

    private static Form form(Expr e, Diagnostics d) {
        Form f = switch (e) {
            case Expr.Num n when n.value() == Math.rint(n.value()) && Math.abs(n.value()) <= LIMIT -> {
                var out = new Form();
                out.constant = (long) n.value();
                yield out;
            }
            case Expr.Num n -> fail(d, e, "a subscript is a whole number of positions, not " + n.span().text(), null);
            case Expr.Ref r when r.indices().isEmpty() && !r.name().name().contains(".") -> {
                var out = new Form();
                out.terms.put(r.name().name(), new Coefficient(r.name(), 1));
                yield out;
            }
            case Expr.Neg n -> {
                Form a = form(n.operand(), d);
                yield a == null ? null : a.scaled(-1);
            }
            case Expr.Binary b when b.op() == Expr.Op.ADD || b.op() == Expr.Op.SUB -> {
                Form l = form(b.left(), d);
                if (l == null) yield null;
                Form r = form(b.right(), d);
                yield r == null ? null : l.plus(r, b.op() == Expr.Op.ADD ? 1 : -1);
            }
            case Expr.Binary b when b.op() == Expr.Op.MUL -> {
                Form l = form(b.left(), d);
                if (l == null) yield null;
                Form r = form(b.right(), d);
                if (r == null) yield null;
                if (l.terms.isEmpty()) yield r.scaled(l.constant);
                if (r.terms.isEmpty()) yield l.scaled(r.constant);
                yield fail(d, e, "the subscript " + e.span().text() + " multiplies two names",
                        "a stride is a whole number written before its index, like x[2i + p - 1]");
            }
            default -> fail(d, e, "the subscript " + e.span().text() + " is not an index plus or minus whole multiples of indices",
                    "a subscript is affine: indices, whole numbers times indices and whole numbers, added, like x[i + p - 1]");
        };
        if (f == null) return null;
        boolean huge = Math.abs(f.constant) > LIMIT;
        for (var t : f.terms.values()) huge |= Math.abs(t.coefficient) > LIMIT;
        if (huge) return fail(d, e, "the subscript " + e.span().text() + " has a number too large for an index", null);
        return f;
    }

    private static Form fail(Diagnostics d, Expr where, String message, String hint) {
        d.error(Key.NON_AFFINE, where.span(), message, hint);
        return null;
    }
}
