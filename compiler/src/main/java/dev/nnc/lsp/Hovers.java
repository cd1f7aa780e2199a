package dev.nnc.lsp;

import dev.nnc.ast.Decl;
import dev.nnc.check.CheckedNetwork;
import dev.nnc.check.Kind;
import dev.nnc.check.ParamInit;
import dev.nnc.ir.Def;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.IrPrinter;
import dev.nnc.ir.Tensor;
import dev.nnc.resolve.Symbol;
import dev.nnc.source.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a hover shows, as Markdown: a value's kind and shape, and for a parameter its derived gradient (and the δs
 * that gradient reads) as {@code nnc explain} writes them, for a computed value its δ; a function, neuron or
 * optimizer's definition, from the standard library or the user's files.
 */
final class Hovers {
    private Hovers() {}

    static String of(Analysis a, Meaning m) {
        return switch (m) {
            case Meaning.Value v -> value(a, v.network(), v.value());
            case Meaning.Top t -> top(t.symbol(), t.stdlib());
            case Meaning.Local l -> "`" + l.declared().name() + "` — " + (l.owner() instanceof Decl.Optimizer ? "of the optimizer " : "a parameter of ")
                    + "`" + name(l.owner()) + "`";
            case Meaning.Index i -> {
                Integer range = a.result.checked().ranges().get(i.span());
                yield "`" + i.name() + "` — an index" + (range == null ? "" : ", over 1 … " + range);
            }
        };
    }

    private static String value(Analysis a, CheckedNetwork n, CheckedNetwork.NetworkValue v) {
        var b = new StringBuilder("`").append(v.name()).append("` — ").append(v.kind().description).append(" of ").append(n.name())
                .append(", ").append(v.shape().describe());
        if (v.init() != null) b.append(", starts ").append(init(v.init()));
        Graph g = a.graph(n);
        if (g == null) return b.toString();
        List<Def> shown = new ArrayList<>();
        if (v.kind() == Kind.PARAM || v.kind() == Kind.LAYER_PARAM) {
            for (var e : g.gradients().entrySet()) {
                if (!e.getKey().name.equals(v.name())) continue;
                Def grad = def(g, e.getValue());
                if (grad != null) {
                    shown.add(grad);
                    for (Tensor t : Exprs.reads(grad.body())) {
                        Def d = def(g, t);
                        if (d != null && t.role == Tensor.Role.ADJOINT) shown.add(d);
                    }
                }
            }
            if (!shown.isEmpty()) b.append("\n\nits gradient, as nnc derives it:");
        } else {
            for (Def d : g.backward()) {
                Tensor of = d.tensor().adjointOf;
                if (of != null && (of.name.equals(v.name()) || of.preActivationOf != null && of.preActivationOf.name.equals(v.name()))) shown.add(d);
            }
            if (!shown.isEmpty()) b.append("\n\nits δ in the backward pass:");
        }
        if (!shown.isEmpty()) {
            b.append("\n```nn\n");
            for (Def d : shown) b.append(IrPrinter.def(d, IrPrinter.Style.UNICODE)).append('\n');
            b.append("```");
        }
        return b.toString();
    }

    private static Def def(Graph g, Tensor t) {
        for (Def d : g.backward()) if (d.tensor() == t) return d;
        return null;
    }

    private static String init(ParamInit init) {
        return switch (init) {
            case ParamInit.Constant c -> "at " + number(c.value());
            case ParamInit.Values v -> "given: " + String.join(", ", v.values().stream().limit(8).map(Hovers::number).toList())
                    + (v.values().size() > 8 ? ", … (" + v.values().size() + " values)" : "");
            case ParamInit.Random r -> "drawn from " + r.distribution()
                    + (r.args().isEmpty() ? "" : "(" + String.join(", ", r.args().stream().map(Hovers::number).toList()) + ")");
        };
    }

    private static String number(double d) { return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d); }

    private static String top(Symbol s, boolean stdlib) {
        return switch (s) {
            case Symbol.Builtin b -> "`" + b.name() + "` — built in, " + b.arity() + (b.arity() == 1 ? " argument" : " arguments");
            case Symbol.Pad p -> "`pad(x, n…)` — built in: x with n zeros on both sides of each of its last dimensions";
            case Symbol.Fn f -> code(f.decl().span(), stdlib);
            case Symbol.Neuron n -> code(n.decl().span(), stdlib);
            case Symbol.Optimizer o -> code(o.decl().span(), stdlib);
            case Symbol.Network n -> "`" + n.name() + "` — a network, " + n.decl().members().size() + " members" + where(n.decl().span(), stdlib);
            case Symbol.Alias al -> code(al.decl().span(), stdlib);
        };
    }

    private static String code(Span span, boolean stdlib) {
        return "```nn\n" + span.text().strip() + "\n```" + where(span, stdlib);
    }

    private static String where(Span span, boolean stdlib) {
        return stdlib ? "\n\nfrom the standard library, " + span.file().name() + ":" + span.line() : "";
    }

    private static String name(Decl d) {
        return switch (d) {
            case Decl.Fn f -> f.name().name();
            case Decl.Neuron n -> n.name().name();
            case Decl.Optimizer o -> o.name().name();
            case Decl.Network n -> n.name().name();
            case Decl.Alias a -> a.name().name();
            case Decl.Train t -> t.network().name();
            case Decl.Import i -> i.path();
        };
    }
}
