package dev.nnc.schedule;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BIAS (on a CPU): a product {@code z = x·Wᵀ} whose next block begins by adding a parameter to every element of the
 * sample's row — {@code for j: z[j] = z[j] + b[j]}, or those statements unrolled — adds into rows that start as that
 * parameter instead: a {@link Block.Broadcast} of {@code b} into every sample's {@code z} before the product, which
 * then accumulates, and the additions go. The loop left (the activation, the defs fused with it) then reads and writes
 * every array at the same element, which C2 vectorises; with the bias it read the parameter array at other offsets
 * than the rows it wrote, and C2, unable to prove two float arrays apart, left the whole loop scalar (a nanosecond an
 * element, against a tenth).
 *
 * <p>The matrix kernel adds each sum to the row it finds ({@code b + s}), which is {@code s + b} to the bit when the
 * kernel sums the whole depth first (its dot-product path, the forward pass's); where it sums the depth in blocks (the
 * packed path, past 256), the order of the additions changes, and only that.
 */
final class Bias {
    private Bias() {}

    static List<Block> of(List<Block> blocks, Map<Tensor, Storage> storage, Schedule.Target target) {
        List<Block> out = new ArrayList<>();
        for (int k = 0; k < blocks.size(); k++) {
            if (blocks.get(k) instanceof Block.Product p && setsRows(p, storage) && k + 1 < blocks.size()
                    && blocks.get(k + 1) instanceof Block.PerSample s) {
                Tensor z = p.c().t();
                Lead lead = s.unrolled() ? unrolled(s.body(), z) : loop(s.body(), z);
                if (lead != null && lead.bias().size() == z.size() && storage.get(lead.bias()) instanceof Storage.Param) {
                    out.add(new Block.Broadcast(z, lead.bias()));
                    out.add(new Block.Product(p.c(), p.a(), p.b(), p.m(), p.n(), p.k(), true));
                    if (!lead.rest().isEmpty()) out.add(Blocks.perSample(lead.rest(), s.unrolled(), storage, target));
                    k++;
                    continue;
                }
            }
            out.add(blocks.get(k));
        }
        return out;
    }

    /** The bias the block began by adding, and the block's statements without those additions. */
    private record Lead(Tensor bias, List<Stmt> rest) {}

    /** Whether the product sets every sample's workspace row {@code z} whole, one row a sample. */
    private static boolean setsRows(Block.Product p, Map<Tensor, Storage> storage) {
        Tensor z = p.c().t();
        return !p.accumulate() && p.m() == Block.Product.SAMPLES && p.n() != Block.Product.SAMPLES && p.c().row() == p.n()
                && p.c().col() == 1 && z.size() == p.n() && z.rank() == 1 && storage.get(z) instanceof Storage.Work;
    }

    /**
     * {@code for v < n: z[v] = z[v] + b[v]; …} as the block's first statement, the rest of the loop reading z only at
     * {@code [v]} (an element it has already added to).
     */
    private static Lead loop(List<Stmt> body, Tensor z) {
        if (!(body.get(0) instanceof Stmt.Loop l) || l.v().range() != z.size() || l.body().isEmpty()) return null;
        List<Idx> at = List.of(new Idx.Var(l.v()));
        Tensor bias = added(l.body().get(0), z, at);
        if (bias == null) return null;
        List<Stmt> inner = l.body().subList(1, l.body().size());
        if (!readsOnlyAt(inner, z, at)) return null;
        List<Stmt> rest = new ArrayList<>();
        if (!inner.isEmpty()) rest.add(new Stmt.Loop(l.v(), inner));
        rest.addAll(body.subList(1, body.size()));
        return new Lead(bias, rest);
    }

    /** {@code z[c] = z[c] + b[c]} for every element c of z, one statement each, as the block's first statements. */
    private static Lead unrolled(List<Stmt> body, Tensor z) {
        int n = z.size();
        if (body.size() < n) return null;
        Tensor bias = null;
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < n; k++) {
            if (!(body.get(k) instanceof Stmt.Assign a) || a.at().size() != 1 || !(a.at().get(0) instanceof Idx.Fixed f)) return null;
            Tensor b = added(a, z, a.at());
            if (b == null || bias != null && b != bias || !seen.add(f.position())) return null;
            bias = b;
        }
        return new Lead(bias, body.subList(n, body.size()));
    }

    /** b when the statement is {@code z[at] = z[at] + b[at]} (either way round; b another tensor); else null. */
    private static Tensor added(Stmt s, Tensor z, List<Idx> at) {
        if (!(s instanceof Stmt.Assign a) || a.t() != z || a.add() || !a.at().equals(at)) return null;
        if (!(a.value() instanceof Ex.Binary(Ex.BinOp op, Ex x, Ex y)) || op != Ex.BinOp.ADD) return null;
        if (x instanceof Ex.Load(Tensor tx, List<Idx> ix) && y instanceof Ex.Load(Tensor ty, List<Idx> iy) && ix.equals(at) && iy.equals(at)) {
            if (tx == z && ty != z) return ty;
            if (ty == z && tx != z) return tx;
        }
        return null;
    }

    /** Whether every read and write of z in these statements is at {@code at}. */
    private static boolean readsOnlyAt(List<Stmt> body, Tensor z, List<Idx> at) {
        for (Stmt s : body) {
            boolean ok = switch (s) {
                case Stmt.Loop l -> readsOnlyAt(l.body(), z, at);
                case Stmt.AddLoss l -> l.loss() != z;
                case Stmt.Product p -> p.a().t() != z && p.b().t() != z && p.c().t() != z;
                case Stmt.Assign a -> {
                    boolean[] fine = {a.t() != z || a.at().equals(at)};
                    Exprs.visit(a.value(), e -> {
                        if (e instanceof Ex.Load(Tensor t, List<Idx> i) && t == z && !i.equals(at)) fine[0] = false;
                    });
                    yield fine[0];
                }
            };
            if (!ok) return false;
        }
        return true;
    }
}
