package dev.nnc.explain;

import dev.nnc.ir.Def;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.IrPrinter;
import dev.nnc.ir.Note;
import dev.nnc.ir.Tensor;
import dev.nnc.ir.Windows;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code nnc explain}: the derived backward pass in the notation of the notes — a δ per neuron or layer,
 * ∂J/∂θ for every parameter, the forward values it reuses — or the same in LaTeX.
 */
public final class Explain {
    private Explain() {}

    public static String render(Graph g, IrPrinter.Style style, boolean notes) {
        var sb = new StringBuilder();
        boolean tex = style == IrPrinter.Style.LATEX;
        String comment = tex ? "% " : "// ";
        sb.append(comment).append("backward pass of ").append(g.name())
                .append(", per sample (training averages ∂J/∂θ over the mini-batch)\n".replace("∂J/∂θ",
                        style == IrPrinter.Style.UNICODE ? "∂J/∂θ" : tex ? "the gradients" : "dJ/dtheta"));
        if (g.backward().stream().anyMatch(d -> d.tensor().name.startsWith("δ") && isPre(g, d))) {
            sb.append(comment).append(style != IrPrinter.Style.ASCII
                    ? "δh is ∂J/∂z_h, the loss's derivative by h's weighted input, where h = activation(z_h)\n"
                    : "delta_h is dJ/dz_h, the loss's derivative by h's weighted input, where h = activation(z_h)\n");
        }
        String shapes = shapes(g);
        if (shapes != null) sb.append(comment).append("shapes, the ranges of index arithmetic inferred: ").append(shapes).append('\n');
        if (tex) sb.append("\\begin{aligned}\n");
        for (Def d : g.backward()) {
            String line = IrPrinter.def(d, style);
            if (tex) {
                int eq = line.indexOf(" = ");
                sb.append(line, 0, eq).append(" &= ").append(line.substring(eq + 3)).append(" \\\\\n");
            } else {
                sb.append(line).append('\n');
            }
        }
        if (tex) sb.append("\\end{aligned}\n");
        Set<Tensor> read = new LinkedHashSet<>();
        g.backward().forEach(d -> read.addAll(Exprs.reads(d.body())));
        List<String> reused = new ArrayList<>();
        for (Def f : g.forward()) if (read.contains(f.tensor())) reused.add(IrPrinter.name(f.tensor(), style));
        List<String> data = new ArrayList<>();
        for (List<Tensor> ts : List.of(g.inputs(), g.targets())) {
            for (Tensor t : ts) if (read.contains(t)) data.add(IrPrinter.name(t, style));
        }
        sb.append(comment).append("reuses from the forward pass: ")
                .append(reused.isEmpty() ? "nothing" : String.join(", ", reused));
        if (!data.isEmpty()) sb.append("; reads ").append(String.join(", ", data));
        sb.append('\n');
        if (notes) {
            for (Note n : g.notes()) {
                sb.append(comment).append("note: ");
                if (n.span() != null) sb.append(n.span().file().name()).append(':').append(n.span().line()).append(": ");
                sb.append(n.rule()).append(": ").append(n.message()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * The forward values' shapes, where a network uses index arithmetic (whose "valid" ranges a reader would otherwise
     * work out by hand): a1[6,28,28], m1[6,14,14], …; null for a network without.
     */
    private static String shapes(Graph g) {
        if (!Windows.used(g.forward())) return null;
        List<String> out = new ArrayList<>();
        for (Def d : g.forward()) {
            Tensor t = d.tensor();
            if (t.rank() == 0 || t.preActivationOf != null) continue;
            out.add(t.name + t.shape.toString().replace(" ", ""));
        }
        return String.join(", ", out);
    }

    private static boolean isPre(Graph g, Def d) {
        return d.tensor().adjointOf != null && d.tensor().adjointOf.preActivationOf != null;
    }
}
