package dev.nnc.schedule;

import dev.nnc.ir.IndexVar;
import dev.nnc.ir.IrPrinter;
import dev.nnc.ir.Tensor;
import java.util.List;
import java.util.Map;

/** A loop program as a person reads it ({@code nnc emit schedule}): each method's blocks, loops and storage. */
public final class LoopPrinter {
    private LoopPrinter() {}

    public static String print(LoopProgram p, IrPrinter.Style style) {
        var b = new StringBuilder();
        b.append("// ").append(p.graph().name()).append(": loop programs over a slice of samples b = from … to − 1\n");
        program(b, "train — forward, loss and backward; gradients summed over the slice", p.train(), style);
        program(b, "predict — what the outputs need", p.predict(), style);
        program(b, "evaluate — the outputs and the loss", p.evaluate(), style);
        return b.toString();
    }

    private static void program(StringBuilder b, String title, LoopProgram.Entry p, IrPrinter.Style style) {
        b.append("\n").append(title).append('\n');
        for (int k = 0; k < p.blocks().size(); k++) {
            switch (p.blocks().get(k)) {
                case Block.Product m -> b.append("  block ").append(k).append(": matrix product ").append(product(m, style)).append('\n');
                case Block.Broadcast r -> b.append("  block ").append(k).append(": for each sample b, ").append(name(r.row(), style))
                        .append(" = ").append(name(r.from(), style)).append('\n');
                case Block.Clear c -> b.append("  block ").append(k).append(": ")
                        .append(String.join(", ", c.tensors().stream().map(t -> name(t, style)).toList())).append(" = 0\n");
                case Block.PerSample s -> {
                    b.append("  block ").append(k).append(": for each sample b").append(s.unrolled() ? ", unrolled" : "").append('\n');
                    statements(b, s.body(), style, "    ");
                }
            }
        }
        if (p.chunk() != Integer.MAX_VALUE) {
            b.append("  the blocks after the clears run the slice in chunks of at most ").append(p.chunk())
                    .append(p.chunk() == 1 ? " sample" : " samples").append(", block after block\n");
        }
        if (!p.rows().isEmpty()) b.append("  then over all the slices' samples, each thread a share of the rows:\n");
        for (Block.Product m : p.rows()) b.append("    matrix product ").append(product(m, style)).append('\n');
        b.append("  storage: ").append(storage(p.storage(), style)).append('\n');
    }

    /** {@code Σ∂J/∂W1[i,j] += Σ_b δh1[b,i]·x[b,j]  (256 × 784, k = samples)} */
    private static String product(Block.Product m, IrPrinter.Style style) {
        return name(m.c().t(), style) + "[i,j] " + (m.accumulate() ? "+=" : "=") + " Σ_p " + operand(m.a(), "i", "p", style)
                + "·" + operand(m.b(), "p", "j", style) + "  (" + extent(m.m()) + " × " + extent(m.n()) + ", p < " + extent(m.k()) + ")";
    }

    private static String operand(Block.Operand o, String row, String col, IrPrinter.Style style) {
        return name(o.t(), style) + "[" + row + "·" + o.row() + " + " + col + "·" + o.col() + "]";
    }

    private static String extent(int n) { return n == Block.Product.SAMPLES ? "samples" : Integer.toString(n); }

    /** A statement on one line: {@code for c, i, j: z_a1[c,i,j] = z_a1[c,i,j] + b1[c]} (" …" where a loop holds more). */
    public static String line(Stmt s) {
        StringBuilder loops = new StringBuilder();
        while (s instanceof Stmt.Loop l) {
            loops.append(loops.isEmpty() ? "for " : ", ").append(IrPrinter.indexName(l.v()));
            if (l.body().size() > 1) {
                s = l.body().get(0);
                StringBuilder first = new StringBuilder();
                statements(first, List.of(s), IrPrinter.Style.UNICODE, "");
                return loops + ": " + first.toString().strip().replace('\n', ' ') + " …";
            }
            s = l.body().get(0);
        }
        StringBuilder b = new StringBuilder();
        statements(b, List.of(s), IrPrinter.Style.UNICODE, "");
        return (loops.isEmpty() ? "" : loops + ": ") + b.toString().strip();
    }

    /** A block's matrix product on one line. */
    public static String line(Block.Product m) { return "matrix product " + product(m, IrPrinter.Style.UNICODE); }

    private static void statements(StringBuilder b, List<Stmt> body, IrPrinter.Style style, String indent) {
        for (Stmt s : body) {
            switch (s) {
                case Stmt.Loop l -> {
                    IndexVar v = l.v();
                    b.append(indent).append("for ").append(IrPrinter.indexName(v)).append(" < ").append(v.range()).append('\n');
                    statements(b, l.body(), style, indent + "  ");
                }
                case Stmt.Assign a -> b.append(indent).append(IrPrinter.assignment(a.t(), a.at(), a.value(), a.add(), style)).append('\n');
                case Stmt.AddLoss l -> b.append(indent).append("loss += ").append(name(l.loss(), style)).append('\n');
                case Stmt.Product p -> b.append(indent).append("matrix product ")
                        .append(product(new Block.Product(p.c(), p.a(), p.b(), p.m(), p.n(), p.k(), p.accumulate()), style)).append('\n');
            }
        }
    }

    private static String storage(Map<Tensor, Storage> storage, IrPrinter.Style style) {
        var b = new StringBuilder();
        for (var e : storage.entrySet()) {
            String where = switch (e.getValue()) {
                case Storage.Param p -> "parameters@" + p.offset();
                case Storage.GradientSum g -> "gradients@" + g.offset();
                case Storage.Column c -> "batch column";
                case Storage.Work w -> "workspace";
                case Storage.Scratch s -> "scratch";
                case Storage.Registers r -> "registers";
            };
            b.append(b.isEmpty() ? "" : ", ").append(name(e.getKey(), style)).append(" in ").append(where);
        }
        return b.toString();
    }

    private static String name(Tensor t, IrPrinter.Style style) { return IrPrinter.name(t, style); }
}
