package dev.nnc.schedule;

import dev.nnc.ir.Def;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Graph;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps generated methods small whatever the program's size. A method of the JVM is at most 64 KiB of code and the
 * optimizing JIT compiles only those under 8,000 bytes; a CUDA kernel of one huge expression compiles slowly. So a
 * def whose body is too big (a sum of 50,000 terms, say) is cut into parts, each its own def of a temporary
 * (o.part1 = first terms, o.part2 = o.part1 + next terms, …, in the order written, so the arithmetic is the same to
 * the bit), and a run of nests too big for one method is cut into several blocks.
 */
final class Split {
    /** The most nodes a def's body keeps: a part has at most a few times this many. */
    static final int DEF_NODES = 400;

    private Split() {}

    /** SPLIT DEFS: the graph with every def whose body has more than {@link #DEF_NODES} nodes cut into parts. */
    static Graph defs(Graph g) {
        if (g.defs().stream().allMatch(d -> nodes(d.body(), DEF_NODES + 1) <= DEF_NODES)) return g;
        Set<String> names = g.names();
        return g.withForward(cut(g.forward(), names)).withBackward(cut(g.backward(), names), g.gradients());
    }

    private static List<Def> cut(List<Def> defs, Set<String> names) {
        List<Def> out = new ArrayList<>();
        for (Def d : defs) {
            if (nodes(d.body(), DEF_NODES + 1) <= DEF_NODES) {
                out.add(d);
                continue;
            }
            var cutter = new Cutter(d, names, out);
            out.add(d.withBody(cutter.walk(d.body()).e));
        }
        return out;
    }

    /** Nodes of e, counting up to {@code stop} at most (so that asking of a huge body is cheap). */
    static int nodes(Ex e, int stop) {
        int[] n = {0};
        count(e, n, stop);
        return n[0];
    }

    private static void count(Ex e, int[] n, int stop) {
        if (++n[0] >= stop) return;
        Exprs.mapChildren(e, c -> {
            if (n[0] < stop) count(c, n, stop);
            return c;
        });
    }

    /** Walks a body bottom-up, replacing each subterm that grows past the limit by a read of a new part. */
    private static final class Cutter {
        final Def def;
        final Set<String> names;
        final List<Def> out;
        int parts;

        Cutter(Def def, Set<String> names, List<Def> out) {
            this.def = def;
            this.names = names;
            this.out = out;
        }

        record Sized(Ex e, int nodes) {}

        Sized walk(Ex e) {
            // under a binder the subterm depends on the bound index, and only the chosen branch of a select is
            // evaluated: those are kept whole (and rarely large)
            if (e instanceof Ex.Sum || e instanceof Ex.Max || e instanceof Ex.Select || e instanceof Ex.Fused) {
                return new Sized(e, nodes(e, Integer.MAX_VALUE));
            }
            int[] n = {1};
            Ex rebuilt = Exprs.mapChildren(e, c -> {
                Sized s = walk(c);
                n[0] += s.nodes;
                return s.e;
            });
            if (n[0] <= DEF_NODES) return new Sized(rebuilt, n[0]);
            return new Sized(part(rebuilt), 1);
        }

        /** A new def of the part, before the def it is cut from; its read. */
        Ex part(Ex e) {
            String name;
            do name = def.tensor().name + ".part" + ++parts; while (!names.add(name));
            Tensor t = new Tensor(name, Tensor.Role.VALUE, def.tensor().shape, def.tensor().span);
            List<IndexVar> vars = new ArrayList<>();
            Map<IndexVar, Idx> rename = new HashMap<>();
            for (IndexVar v : def.vars()) {
                IndexVar fresh = v.fresh();
                vars.add(fresh);
                rename.put(v, Idx.of(fresh));
            }
            out.add(new Def(t, vars, Exprs.substitute(e, rename)));
            return new Ex.Load(t, def.vars().stream().map(Idx::of).toList());
        }
    }

    /**
     * SPLIT RUNS: each run of loops cut into runs of at most {@code maxNodes} nodes of code, each then a block and a
     * method of its own (a nest bigger than that stays whole). Storage is decided after, so a value that now crosses
     * blocks goes to the workspace.
     */
    static List<Group> runs(List<Group> groups, long maxNodes) {
        List<Group> out = new ArrayList<>();
        for (Group g : groups) {
            if (!(g instanceof Group.Loops l)) {
                out.add(g);
                continue;
            }
            List<Nest> part = new ArrayList<>();
            long size = 0;
            for (Nest n : l.nests()) {
                long s = nodes(n);
                if (!part.isEmpty() && size + s > maxNodes) {
                    out.add(new Group.Loops(part));
                    part = new ArrayList<>();
                    size = 0;
                }
                part.add(n);
                size += s;
            }
            out.add(new Group.Loops(part));
        }
        return out;
    }

    private static long nodes(Nest n) {
        long total = 0;
        for (Stmt s : n.body()) total += 1 + (s instanceof Stmt.Assign a ? nodes(a.value(), Integer.MAX_VALUE) : 0);
        return total;
    }
}
