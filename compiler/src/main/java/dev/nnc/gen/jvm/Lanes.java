package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Guards;
import dev.nnc.ir.Idx;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import dev.nnc.schedule.Stmt;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * An innermost loop run a vector of elements at a time, on the Vector API: {@code col[k,p,q,i,j] = x[k,i+p−1,j+q−1]}
 * copies 16 floats of a row a step, a convolution's input gradient {@code δm1[k,i,j] = Σₚ Σ_q δcol[…, j−q+1] · [1 ≤
 * j−q+1 ≤ 10] …} adds 16 sums' terms a step, each guard on j a mask of lanes. C2 vectorises none of these itself:
 * the rows are short (28, 10, 14 elements), and a block's tensors share one array, so it cannot tell a store from
 * the loads it must not pass.
 *
 * <p>A loop qualifies when every statement in it writes its tensor's elements one after another along the loop's
 * variable j (stride 1), reads each tensor at stride 1 or 0 along j (0: one value for every lane, a broadcast), and
 * reads what the loop writes only at the element being written. Its values may add, subtract, multiply, divide,
 * negate, compare (a mask) and select, and sum; a guard whose subscript moves with j is a mask, one that does not is
 * a branch as in scalar code. Each lane computes what the scalar loop computes for its element, operation for
 * operation (no fused multiply-add): the same bits. A guarded-out term is +0 in its lane rather than skipped, which
 * leaves a sum begun at +0 as it was. The last step's lanes past the loop's end are masked, their loads and stores
 * not made.
 *
 * <p>The generated class must load where the module is absent (Java 17 without {@code --add-modules}), so the vector
 * loop runs only where {@code Gemm.VECTOR} holds, beside the scalar loop, and its values are typed as the abstract
 * {@code Vector} and {@code VectorMask} throughout: the verifier then never compares two of the module's classes,
 * which would load them.
 */
final class Lanes {
    private Lanes() {}

    private static final String PKG = "jdk/incubator/vector/";
    private static final String VECTOR = PKG + "Vector", MASK = PKG + "VectorMask", SPECIES = PKG + "VectorSpecies";
    private static final String V = "L" + VECTOR + ";", M = "L" + MASK + ";", S = "L" + SPECIES + ";";
    private static final String SHUFFLE = "L" + PKG + "VectorShuffle;";
    private static final String OPERATORS = PKG + "VectorOperators", CMP = "L" + OPERATORS + "$Comparison;";
    private static final String HOME = "dev/nnc/runtime/kernel/VectorLanes";
    /**
     * The largest stride a loop on vectors reads at (the runtime's {@code VectorLanes.MAX_STRIDE}, which the compiler
     * cannot read: the class needs the module): a pool's window, a strided convolution.
     */
    static final int MAX_STRIDE = 8;
    /**
     * The fewest elements a loop runs as pairs from: the loops on vectors' own threshold ({@link JvmBackend#LANES}). A
     * pool adjoint's rows of 5 windows (LeNet's second pool) take 2.3 µs a sample as pairs against 3.4 as scalar loops,
     * whose tests of the window's argmax the branch predictor cannot learn; rows of 14 (its first pool) 1.9 against
     * 3.5. (Measured after the JIT's warm-up; an earlier profile that counted the warm-up had the short rows the other
     * way round.)
     */
    static final int PAIRS_FROM = 4;

    /**
     * Whether a nest gets a method of its own, for a loop in it that runs on vectors: it holds only loops and
     * assignments, and reads and writes only arrays (its method gets the arrays, not the caller's locals).
     */
    static boolean within(Stmt.Loop nest, int from, Predicate<Tensor> register) {
        boolean[] any = {false}, plain = {true};
        scan(nest, from, register, any, plain);
        return any[0] && plain[0];
    }

    private static void scan(Stmt s, int from, Predicate<Tensor> register, boolean[] any, boolean[] plain) {
        switch (s) {
            case Stmt.Loop l -> {
                any[0] |= applies(l, from, register) || pairs(l, from, register);
                l.body().forEach(b -> scan(b, from, register, any, plain));
            }
            case Stmt.Assign a -> {
                plain[0] &= !register.test(a.t());
                for (Tensor t : Exprs.reads(a.value())) plain[0] &= !register.test(t);
            }
            case Stmt.Product p -> plain[0] = false;
            case Stmt.AddLoss l -> plain[0] = false;
        }
    }

    /**
     * Whether the loop runs on vectors: it qualifies and has at least {@code from} elements; {@code register}: whether a
     * tensor lives in locals rather than an array.
     */
    static boolean applies(Stmt.Loop loop, int from, Predicate<Tensor> register) {
        if (loop.v().range() < from || loop.body().isEmpty()) return false;
        return qualifies(loop, loop.body(), 1, register);
    }

    /**
     * Whether a loop over j whose one statement is a loop over q < 2 runs on vectors as pairs: its statements write
     * j's elements 2 apart and q's side by side, a run of 2·n elements (a pool's adjoint over its windows, TILES), and
     * read nothing the loop writes. Each q's vector is spread over the run and stored where its lanes are q's (a store
     * at stride 2 would be a scatter, lane by lane); see {@link #paired}.
     */
    static boolean pairs(Stmt.Loop loop, int from, Predicate<Tensor> register) {
        if (loop.v().range() < Math.max(from, PAIRS_FROM) || loop.body().size() != 1 || !(loop.body().get(0) instanceof Stmt.Loop inner)) return false;
        if (inner.v().range() != 2 || inner.body().isEmpty()) return false;
        for (Stmt s : inner.body()) if (!(s instanceof Stmt.Assign a) || stride(a.t(), a.at(), inner.v()) != 1) return false;
        return qualifies(loop, inner.body(), 2, register);
    }

    /**
     * Whether the statements, in a loop over j, write their tensors at the stride (1, or 2 for {@link #pairs}) and read
     * as a loop on vectors can.
     */
    private static boolean qualifies(Stmt.Loop loop, List<Stmt> body, int writes, Predicate<Tensor> register) {
        IndexVar j = loop.v();
        Set<Tensor> written = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Stmt s : body) {
            if (!(s instanceof Stmt.Assign a) || register.test(a.t()) || stride(a.t(), a.at(), j) != writes) return false;
            written.add(a.t());
        }
        for (Stmt s : body) {
            Stmt.Assign a = (Stmt.Assign) s;
            boolean[] ok = {true};
            Exprs.visit(a.value(), x -> {
                if (!ok[0]) return;
                ok[0] = switch (x) {
                    case Ex.Num n -> true;
                    case Ex.Load l -> {
                        int st = stride(l.tensor(), l.idx(), j);
                        if (written.contains(l.tensor())) yield writes == 1 && l.idx().equals(((Stmt.Assign) owner(loop, l.tensor())).at()) && st == 1;
                        yield !register.test(l.tensor()) && st >= 0 && st <= MAX_STRIDE;
                    }
                    case Ex.Binary b -> b.op() != Ex.BinOp.POW || b.squared() != null;
                    case Ex.Neg n -> true;
                    case Ex.Select sel -> condition(sel.cond(), j);
                    case Ex.Cmp c -> true; // as a select's condition (checked there) or a value
                    case Ex.InRange r -> true;
                    case Ex.Same same -> true;
                    case Ex.Sum sum -> sum.i() != j;
                    case Ex.Max max -> max.i() != j;
                    case Ex.ArgMax arg -> !arg.vars().contains(j);
                    case Ex.Call c -> c.f() == Primitive.MAX || c.f() == Primitive.MIN;
                    case Ex.Position at -> at.at().stream().allMatch(i -> Idx.coefficient(i, j) == 0);
                    case Ex.Annotated w -> true;
                    default -> false;
                };
            });
            if (!ok[0] || !safeBroadcasts(a.value(), j, false)) return false;
            // a condition or bracket standing as a value (not a select's condition) is not vectorised
            boolean[] bare = {false};
            bareConditions(a.value(), bare);
            if (bare[0]) return false;
        }
        return true;
    }

    /**
     * Whether every read of one value for all lanes (stride 0) under a guard on j stays inside its tensor by itself: the
     * vector loop reads it whenever any lane runs, where the scalar loop read it only where the guard held.
     */
    private static boolean safeBroadcasts(Ex e, IndexVar j, boolean guarded) {
        return switch (e) {
            case Ex.Load l -> !guarded || stride(l.tensor(), l.idx(), j) != 0 || inside(l);
            case Ex.Select s -> safeBroadcasts(s.cond(), j, guarded) && safeBroadcasts(s.otherwise(), j, guarded)
                    && safeBroadcasts(s.then(), j, guarded || s.cond() instanceof Ex.InRange r && Idx.coefficient(r.at(), j) != 0);
            default -> {
                boolean[] ok = {true};
                Exprs.mapChildren(e, c -> {
                    ok[0] &= safeBroadcasts(c, j, guarded);
                    return c;
                });
                yield ok[0];
            }
        };
    }

    private static boolean inside(Ex.Load l) {
        for (int k = 0; k < l.idx().size(); k++) if (!Guards.inside(l.idx().get(k), l.tensor().shape.get(k), List.of())) return false;
        return true;
    }

    /** The statement writing t in the loop. */
    private static Stmt owner(Stmt.Loop loop, Tensor t) {
        for (Stmt s : loop.body()) if (s instanceof Stmt.Assign a && a.t() == t) return a;
        throw new IllegalStateException("internal: " + t + " is not written in the loop");
    }

    /** A select's condition that lanes can take: a guard moving with j at stride 1, or not with j, or a comparison. */
    private static boolean condition(Ex cond, IndexVar j) {
        return switch (cond) {
            case Ex.InRange r -> {
                int c = Idx.coefficient(r.at(), j);
                yield c == 0 || c == 1;
            }
            case Ex.Same s -> Idx.coefficient(s.a(), j) == 0 && Idx.coefficient(s.b(), j) == 0;
            case Ex.Cmp c -> true;
            default -> false;
        };
    }

    private static void bareConditions(Ex e, boolean[] bare) {
        switch (e) {
            case Ex.Cmp c -> bare[0] = true;
            case Ex.InRange r -> bare[0] = true;
            case Ex.Same s -> bare[0] = true;
            case Ex.Select s -> {
                if (s.cond() instanceof Ex.Cmp c) {
                    bareConditions(c.a(), bare);
                    bareConditions(c.b(), bare);
                }
                bareConditions(s.then(), bare);
                bareConditions(s.otherwise(), bare);
            }
            default -> Exprs.mapChildren(e, c -> {
                bareConditions(c, bare);
                return c;
            });
        }
    }

    /** How far apart the elements of consecutive j are, in t's array. */
    static int stride(Tensor t, List<Idx> at, IndexVar j) {
        int s = 0;
        for (Offset.Term term : Offset.of(t, at).terms()) if (term.v() == j) s += term.stride();
        return s;
    }

    // ─── The loop ────────────────────────────────────────────────────────────────────────────────────────

    /**
     * Whether a loop over i whose one statement is a loop over j that runs on vectors runs as one loop over the m·n
     * elements (i, j): every tensor it writes and reads is laid out with i's rows n elements of j apart (or not on
     * either), and no guard reads i or j. A bias over a map of 10 × 10 is then 7 vectors, not 10 rows of 10 lanes
     * each, whose masked stores the next row's loads wait on (a twelfth of a LeNet step).
     */
    static boolean collapses(Stmt.Loop outer, int from, Predicate<Tensor> register) {
        if (outer.body().size() != 1 || !(outer.body().get(0) instanceof Stmt.Loop inner)) return false;
        if (!applies(inner, from, register)) return false;
        IndexVar i = outer.v(), j = inner.v();
        long n = j.range();
        for (Stmt st : inner.body()) {
            Stmt.Assign a = (Stmt.Assign) st;
            if (stride(a.t(), a.at(), i) != n * stride(a.t(), a.at(), j)) return false;
            boolean[] ok = {true};
            Exprs.visit(a.value(), x -> {
                switch (x) {
                    case Ex.Load l -> ok[0] &= stride(l.tensor(), l.idx(), i) == n * stride(l.tensor(), l.idx(), j);
                    case Ex.InRange r -> ok[0] &= Idx.coefficient(r.at(), i) == 0 && Idx.coefficient(r.at(), j) == 0;
                    case Ex.Same same -> ok[0] &= Idx.coefficient(same.a(), i) == 0 && Idx.coefficient(same.b(), i) == 0;
                    default -> { }
                }
            });
            if (!ok[0]) return false;
        }
        return true;
    }

    /** The loop over i and j of {@link #collapses} as one loop: i stays 0, j runs over all m·n elements. */
    static void collapsed(Emitter e, Stmt.Loop outer) {
        Stmt.Loop inner = (Stmt.Loop) outer.body().get(0);
        int il = e.bind(outer.v());
        e.mv.visitInsn(ICONST_0);
        e.mv.visitVarInsn(ISTORE, il);
        loop(e, inner, outer.v().range() * inner.v().range());
    }

    /** {@code for (j = 0; j < range; j += lanes) { mask = lanes j … range − 1; each statement on vectors }}. */
    static void loop(Emitter e, Stmt.Loop loop) { loop(e, loop, loop.v().range()); }

    private static void loop(Emitter e, Stmt.Loop loop, int range) {
        e.narrow = narrow(e, range);
        MethodVisitor mv = e.mv;
        IndexVar j = loop.v();
        int jl = e.bind(j), mask = e.local(1);
        Label top = new Label(), done = new Label();
        head(e, jl, range, top, done);
        lanesBelow(e, jl, range, mask);
        for (Stmt s : loop.body()) {
            Stmt.Assign a = (Stmt.Assign) s;
            value(e, a.value(), mask, j); // first, on an empty stack: it may hold a loop
            if (a.add()) { // target + value, in the scalar loop's order
                load(e, a.t(), a.at(), mask);
                mv.visitInsn(SWAP);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "add", "(" + V + ")" + V, false);
            }
            mv.visitTypeInsn(CHECKCAST, typed(e));
            e.address(a.t(), a.at());
            mv.visitVarInsn(ALOAD, mask);
            mv.visitMethodInsn(INVOKEVIRTUAL, typed(e), "intoArray", "(" + e.t.array + "I" + M + ")V", false);
        }
        step(e, jl, top, done);
        e.narrow = false;
    }

    /**
     * Whether a loop of {@code range} elements runs on the narrow species (VectorLanes.NF, at most 256 bits) rather
     * than the preferred one: when one narrow vector holds it. A row of 5 (LeNet's second pool and the windows of its
     * second convolution, copied for its kernel's gradient) in 8 lanes rather than 16: a masked access of 512 bits
     * costs Zen 4 two of 256, and the lanes past the row are masked off anyway (the copy of 3,000 rows of 5: 3.1–3.6 →
     * 2.1 µs). The same bits: each lane computes what it did.
     */
    static boolean narrow(Emitter e, long range) {
        return range <= 8 / e.t.size; // 256 bits: 8 floats, 4 doubles (a double takes two local slots, as it takes 8 bytes)
    }

    /**
     * {@link #pairs}: for (j = 0; j < n; j += lanes) for (q = 0; q < 2; q++) each statement's value, its lanes spread
     * to the run's elements 2·lane + q (the two vectors of the run that starts at (j, q = 0)), stored where they are
     * q's and within the run's 2·n elements. A loop over q rather than the value written out for each: a pool
     * adjoint's method written out was more than C1 compiles ("out of virtual registers"), and without C1's profile C2
     * never compiled it; and no vector lives from one pass to the next (a vector in a local that a loop merges is boxed).
     */
    static void paired(Emitter e, Stmt.Loop loop) {
        MethodVisitor mv = e.mv;
        Stmt.Loop inner = (Stmt.Loop) loop.body().get(0);
        IndexVar j = loop.v(), q = inner.v();
        int range = j.range(), jl = e.bind(j), ql = e.bind(q), mask = e.local(1), mine = e.local(1);
        int[] live = {e.local(1), e.local(1)};
        e.narrow = narrow(e, range);
        String lanes = field(e, "L");
        Label top = new Label(), done = new Label();
        head(e, jl, range, top, done);
        lanesBelow(e, jl, range, mask);
        for (int half = 0; half < 2; half++) { // the run's elements 2j + lanes·half … within 2·range
            species(e);
            mv.visitVarInsn(ILOAD, jl);
            mv.visitInsn(ICONST_2);
            mv.visitInsn(IMUL);
            if (half == 1) {
                mv.visitFieldInsn(GETSTATIC, HOME, lanes, "I");
                mv.visitInsn(IADD);
            }
            e.push(2 * range);
            mv.visitMethodInsn(INVOKEINTERFACE, SPECIES, "indexInRange", "(II)" + M, true);
            mv.visitVarInsn(ASTORE, live[half]);
        }
        Label each = new Label(), both = new Label();
        head(e, ql, 2, each, both);
        mv.visitFieldInsn(GETSTATIC, HOME, field(e, "PARITY_"), V); // the run's lanes that are q's: lane % 2 = q
        mv.visitFieldInsn(GETSTATIC, OPERATORS, "EQ", CMP);
        mv.visitVarInsn(ILOAD, ql);
        mv.visitInsn(I2L);
        mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "compare", "(" + CMP + "J)" + M, false);
        mv.visitVarInsn(ASTORE, mine);
        for (Stmt s : inner.body()) {
            Stmt.Assign a = (Stmt.Assign) s;
            value(e, a.value(), mask, j); // on an empty stack: it may hold a loop
            int v = e.local(1);
            mv.visitVarInsn(ASTORE, v);
            for (int half = 0; half < 2; half++) {
                int where = e.local(1);
                mv.visitVarInsn(ALOAD, live[half]);
                mv.visitVarInsn(ALOAD, mine);
                mv.visitMethodInsn(INVOKEVIRTUAL, MASK, "and", "(" + M + ")" + M, false);
                mv.visitVarInsn(ASTORE, where);
                mv.visitVarInsn(ALOAD, v);
                mv.visitFieldInsn(GETSTATIC, HOME, field(e, half == 0 ? "SPREAD_LOW_" : "SPREAD_HIGH_"), SHUFFLE);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "rearrange", "(" + SHUFFLE + ")" + V, false);
                if (a.add()) { // target + value, in the scalar loop's order
                    int spread = e.local(1);
                    mv.visitVarInsn(ASTORE, spread);
                    runLoad(e, a, half, where, ql);
                    mv.visitVarInsn(ALOAD, spread);
                    mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "add", "(" + V + ")" + V, false);
                }
                mv.visitTypeInsn(CHECKCAST, typed(e));
                runAddress(e, a, half, ql);
                mv.visitVarInsn(ALOAD, where);
                mv.visitMethodInsn(INVOKEVIRTUAL, typed(e), "intoArray", "(" + e.t.array + "I" + M + ")V", false);
            }
        }
        mv.visitIincInsn(ql, 1);
        mv.visitJumpInsn(GOTO, each);
        mv.visitLabel(both);
        step(e, jl, top, done);
        e.narrow = false;
    }

    /**
     * The array and element of a paired statement's run: from (j, q = 0) on (its element at (j, q) less q), past a
     * vector's lanes for the high half.
     */
    private static void runAddress(Emitter e, Stmt.Assign a, int half, int q) {
        e.address(a.t(), a.at());
        e.mv.visitVarInsn(ILOAD, q);
        e.mv.visitInsn(ISUB);
        if (half == 1) {
            e.mv.visitFieldInsn(GETSTATIC, HOME, field(e, "L"), "I");
            e.mv.visitInsn(IADD);
        }
    }

    private static void runLoad(Emitter e, Stmt.Assign a, int half, int live, int q) {
        species(e);
        runAddress(e, a, half, q);
        e.mv.visitVarInsn(ALOAD, live);
        String typed = typed(e);
        e.mv.visitMethodInsn(INVOKESTATIC, typed, "fromArray", "(" + S + e.t.array + "I" + M + ")L" + typed + ";", false);
        e.mv.visitTypeInsn(CHECKCAST, VECTOR);
    }

    /** {@code mask = species.indexInRange(j, range)}: the step's lanes within the loop (j ≥ 0, where it is intrinsic). */
    private static void lanesBelow(Emitter e, int jl, int range, int mask) {
        species(e);
        e.mv.visitVarInsn(ILOAD, jl);
        e.push(range);
        e.mv.visitMethodInsn(INVOKEINTERFACE, SPECIES, "indexInRange", "(II)" + M, true);
        e.mv.visitVarInsn(ASTORE, mask);
    }

    /** The end of a loop on vectors: {@code j += lanes}, back to {@code top}; {@code done} after it. */
    private static void step(Emitter e, int jl, Label top, Label done) {
        e.mv.visitVarInsn(ILOAD, jl);
        e.mv.visitFieldInsn(GETSTATIC, HOME, field(e, "L"), "I");
        e.mv.visitInsn(IADD);
        e.mv.visitVarInsn(ISTORE, jl);
        e.mv.visitJumpInsn(GOTO, top);
        e.mv.visitLabel(done);
    }

    /** {@code local = 0}, then the head of {@code while (local < range)}: {@code top} its start, {@code done} its exit. */
    private static void head(Emitter e, int local, int range, Label top, Label done) {
        e.mv.visitInsn(ICONST_0);
        e.mv.visitVarInsn(ISTORE, local);
        e.mv.visitLabel(top);
        e.mv.visitVarInsn(ILOAD, local);
        e.push(range);
        e.mv.visitJumpInsn(IF_ICMPGE, done);
    }

    private static String typed(Emitter e) { return PKG + (e.t == Num.F ? "FloatVector" : "DoubleVector"); }

    private static void species(Emitter e) {
        e.mv.visitFieldInsn(GETSTATIC, HOME, field(e, ""), S);
    }

    /**
     * The name of one of VectorLanes's members for the loop being emitted: the stem, N for the narrow species, the
     * element type ({@code L} → LF, LNF, LD or LND; {@code range} → rangeF, rangeNF, …).
     */
    private static String field(Emitter e, String stem) {
        return stem + (e.narrow ? "N" : "") + (e.t == Num.F ? "F" : "D");
    }

    /** Pushes the lanes of e (a Vector) for the elements j … j + lanes − 1; mask: the lanes that may read. */
    private static void value(Emitter e, Ex x, int mask, IndexVar j) {
        MethodVisitor mv = e.mv;
        Integer hoisted = e.hoisted(x);
        if (hoisted != null) {
            mv.visitVarInsn(e.t.load, hoisted);
            broadcast(e);
            return;
        }
        switch (x) {
            case Ex.Num n -> {
                e.t.constant(mv, n.value());
                broadcast(e);
            }
            case Ex.Load l -> {
                int stride = stride(l.tensor(), l.idx(), j);
                if (stride == 0) {
                    e.load(l);
                    broadcast(e);
                } else if (stride == 1) {
                    load(e, l.tensor(), l.idx(), mask);
                } else {
                    strided(e, l, stride, mask);
                }
            }
            case Ex.Binary b when b.op() == Ex.BinOp.POW -> { // x², as x·x (the scalar code's)
                value(e, b.squared(), mask, j);
                mv.visitInsn(DUP);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "mul", "(" + V + ")" + V, false);
            }
            case Ex.Binary b -> {
                int[] first = loopsFirst(e, mask, j, b.a(), b.b());
                operand(e, b.a(), first[0], mask, j);
                operand(e, b.b(), first[1], mask, j);
                String op = switch (b.op()) {
                    case ADD -> "add";
                    case SUB -> "sub";
                    case MUL -> "mul";
                    case DIV -> "div";
                    case POW -> throw new IllegalStateException("internal: pow handled above");
                };
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, op, "(" + V + ")" + V, false);
            }
            case Ex.Neg n -> {
                value(e, n.a(), mask, j);
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "neg", "()" + V, false);
            }
            case Ex.Annotated w -> value(e, w.value(), mask, j);
            case Ex.Position p -> { // not on j (applies): one value for every lane
                e.expr(p);
                broadcast(e);
            }
            case Ex.Select s -> select(e, s, mask, j);
            case Ex.Sum s -> reduce(e, s.i(), s.body(), false, mask, j);
            case Ex.Max m -> reduce(e, m.i(), m.body(), true, mask, j);
            case Ex.ArgMax m -> argMax(e, m, mask, j);
            case Ex.Call c -> { // max or min, as Math's: −0 below +0, NaN if either is
                int[] first = loopsFirst(e, mask, j, c.a(), c.b());
                operand(e, c.a(), first[0], mask, j);
                operand(e, c.b(), first[1], mask, j);
                String op = c.f() == Primitive.MAX ? "max" : "min";
                mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, op, "(" + V + ")" + V, false);
            }
            default -> throw new IllegalStateException("internal: " + x.getClass().getSimpleName() + " on vectors");
        }
    }

    /**
     * A select: a guard on j is a mask (its side's loads read only under it, the other side's lanes blended in where
     * it fails); a guard not on j a branch, as in scalar code; a comparison a mask of both sides' values.
     */
    private static void select(Emitter e, Ex.Select s, int mask, IndexVar j) {
        MethodVisitor mv = e.mv;
        if (s.cond() instanceof Ex.Cmp c) {
            int[] first = loopsFirst(e, mask, j, s.otherwise(), s.then(), c.a(), c.b());
            operand(e, s.otherwise(), first[0], mask, j);
            operand(e, s.then(), first[1], mask, j);
            operand(e, c.a(), first[2], mask, j);
            mv.visitFieldInsn(GETSTATIC, OPERATORS, c.op().name(), CMP);
            operand(e, c.b(), first[3], mask, j);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "compare", "(" + CMP + V + ")" + M, false);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "blend", "(" + V + M + ")" + V, false);
            return;
        }
        if (s.cond() instanceof Ex.InRange r && Idx.coefficient(r.at(), j) == 1) {
            // lanes l with −at(j) ≤ l < size − at(j), at(j) its value at this step's first element, from the lanes'
            // bits (VectorLanes.range: twice as fast in col2im as comparing lane numbers)
            int guard = e.local(1);
            e.index(r.at());
            e.push(r.size());
            mv.visitMethodInsn(INVOKESTATIC, HOME, field(e, "range"), "(II)" + M, false);
            mv.visitVarInsn(ASTORE, guard);
            int inside = e.local(1);
            mv.visitVarInsn(ALOAD, guard);
            mv.visitVarInsn(ALOAD, mask);
            mv.visitMethodInsn(INVOKEVIRTUAL, MASK, "and", "(" + M + ")" + M, false);
            mv.visitVarInsn(ASTORE, inside);
            if (Exprs.isNum(s.otherwise(), 0) && s.then() instanceof Ex.Load l && stride(l.tensor(), l.idx(), j) == 1
                    && e.hoisted(s.then()) == null) {
                load(e, l.tensor(), l.idx(), inside); // +0 where the guard fails, as the blend would leave
                return;
            }
            int[] first = {loopFirst(e, s.otherwise(), mask, j), loopFirst(e, s.then(), inside, j)};
            operand(e, s.otherwise(), first[0], mask, j);
            operand(e, s.then(), first[1], inside, j);
            mv.visitVarInsn(ALOAD, guard);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "blend", "(" + V + M + ")" + V, false);
            return;
        }
        Label otherwise = new Label(), end = new Label();
        e.test(s.cond(), otherwise);
        value(e, s.then(), mask, j);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(otherwise);
        value(e, s.otherwise(), mask, j);
        mv.visitLabel(end);
    }

    /**
     * Σ or max over i: every i's term added (or taken as Math.max takes it) in order, a guarded-out one as +0 in its
     * lane, by a loop over i (written out, the terms' vector operations made a method C1 could not compile, and
     * without C1's profile C2 never compiled it); the accumulator starts at +0 (−∞), as the scalar one does.
     */
    private static void reduce(Emitter e, IndexVar i, Ex body, boolean max, int mask, IndexVar j) {
        MethodVisitor mv = e.mv;
        int acc = e.local(1), iv = e.bind(i), term = e.local(1);
        e.t.constant(mv, max ? Double.NEGATIVE_INFINITY : 0);
        broadcast(e);
        mv.visitVarInsn(ASTORE, acc);
        Label top = new Label(), done = new Label();
        head(e, iv, i.range(), top, done);
        value(e, body, mask, j); // first, on an empty stack: the body may hold a loop of its own
        mv.visitVarInsn(ASTORE, term);
        mv.visitVarInsn(ALOAD, acc);
        mv.visitVarInsn(ALOAD, term);
        mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, max ? "max" : "add", "(" + V + ")" + V, false);
        mv.visitVarInsn(ASTORE, acc);
        mv.visitIincInsn(iv, 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(done);
        mv.visitVarInsn(ALOAD, acc);
    }

    /**
     * The row-major position of each lane's first maximum over the window, as the scalar code finds it: the first
     * position's value, then a later one where it is greater (a NaN never is); positions counted in an int and
     * converted, as there.
     */
    private static void argMax(Emitter e, Ex.ArgMax m, int mask, IndexVar j) {
        MethodVisitor mv = e.mv;
        int best = e.local(1), arg = e.local(1), at = e.local(1), x = e.local(1), take = e.local(1);
        e.t.constant(mv, Double.NEGATIVE_INFINITY);
        broadcast(e);
        mv.visitVarInsn(ASTORE, best);
        e.t.constant(mv, 0);
        broadcast(e);
        mv.visitVarInsn(ASTORE, arg);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, at);
        window(e, m.vars(), 0, () -> {
            value(e, m.body(), mask, j); // on an empty stack: the body may hold a loop
            mv.visitVarInsn(ASTORE, x);
            Label later = new Label(), next = new Label();
            mv.visitVarInsn(ILOAD, at);
            mv.visitJumpInsn(IFNE, later);
            mv.visitVarInsn(ALOAD, x);
            mv.visitVarInsn(ASTORE, best);
            mv.visitJumpInsn(GOTO, next);
            mv.visitLabel(later);
            mv.visitVarInsn(ALOAD, x);
            mv.visitFieldInsn(GETSTATIC, OPERATORS, "GT", CMP);
            mv.visitVarInsn(ALOAD, best);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "compare", "(" + CMP + V + ")" + M, false);
            mv.visitVarInsn(ASTORE, take);
            mv.visitVarInsn(ALOAD, best);
            mv.visitVarInsn(ALOAD, x);
            mv.visitVarInsn(ALOAD, take);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "blend", "(" + V + M + ")" + V, false);
            mv.visitVarInsn(ASTORE, best);
            mv.visitVarInsn(ALOAD, arg);
            mv.visitVarInsn(ILOAD, at);
            e.t.fromInt(mv);
            broadcast(e);
            mv.visitVarInsn(ALOAD, take);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "blend", "(" + V + M + ")" + V, false);
            mv.visitVarInsn(ASTORE, arg);
            mv.visitLabel(next);
            mv.visitIincInsn(at, 1);
        });
        mv.visitVarInsn(ALOAD, arg);
    }

    /** Loops over vars[k …], the last innermost, around body. */
    private static void window(Emitter e, List<IndexVar> vars, int k, Runnable body) {
        if (k == vars.size()) {
            body.run();
            return;
        }
        int iv = e.bind(vars.get(k));
        Label top = new Label(), done = new Label();
        head(e, iv, vars.get(k).range(), top, done);
        window(e, vars, k + 1, body);
        e.mv.visitIincInsn(iv, 1);
        e.mv.visitJumpInsn(GOTO, top);
        e.mv.visitLabel(done);
    }

    /**
     * The operands that run a loop (a Σ), each computed into a local before anything is pushed (−1 for the others):
     * HotSpot compiles a loop on stack replacement only from an empty operand stack (see Emitter.hasLoop).
     */
    private static int[] loopsFirst(Emitter e, int mask, IndexVar j, Ex... operands) {
        int[] out = new int[operands.length];
        for (int k = 0; k < operands.length; k++) out[k] = loopFirst(e, operands[k], mask, j);
        return out;
    }

    private static int loopFirst(Emitter e, Ex x, int mask, IndexVar j) {
        if (!e.hasLoop(x) || e.hoisted(x) != null) return -1;
        value(e, x, mask, j);
        int l = e.local(1);
        e.mv.visitVarInsn(ASTORE, l);
        return l;
    }

    private static void operand(Emitter e, Ex x, int local, int mask, IndexVar j) {
        if (local >= 0) e.mv.visitVarInsn(ALOAD, local);
        else value(e, x, mask, j);
    }

    /** The lanes of t from element at onward where the mask holds (+0 elsewhere). */
    private static void load(Emitter e, Tensor t, List<Idx> at, int mask) {
        MethodVisitor mv = e.mv;
        species(e);
        e.address(t, at);
        mv.visitVarInsn(ALOAD, mask);
        String typed = typed(e);
        mv.visitMethodInsn(INVOKESTATIC, typed, "fromArray", "(" + S + e.t.array + "I" + M + ")L" + typed + ";", false);
        mv.visitTypeInsn(CHECKCAST, VECTOR);
    }

    /**
     * The lanes of a read at a stride of 2 or more (a pool's window), where the mask holds: where the whole vectors
     * stay in the array (its slack keeps them there for a stride of 2), two vectors and their even lanes (a gather is
     * several times slower), or a gather; else lane by lane, by the runtime. Lanes outside the mask hold what the
     * array holds there (a loop neither stores them nor lets them reach a lane it stores).
     */
    private static void strided(Emitter e, Ex.Load l, int stride, int mask) {
        MethodVisitor mv = e.mv;
        String typed = typed(e), lanes = field(e, "L");
        int array = e.local(1), at = e.local(1);
        e.address(l.tensor(), l.idx());
        mv.visitVarInsn(ISTORE, at);
        mv.visitVarInsn(ASTORE, array);
        Label slow = new Label(), end = new Label();
        mv.visitVarInsn(ILOAD, at);
        mv.visitJumpInsn(IFLT, slow);
        mv.visitVarInsn(ILOAD, at);
        mv.visitVarInsn(ALOAD, array);
        mv.visitInsn(ARRAYLENGTH);
        mv.visitFieldInsn(GETSTATIC, HOME, lanes, "I");
        e.push(stride);
        mv.visitInsn(IMUL);
        mv.visitInsn(ISUB);
        mv.visitJumpInsn(IF_ICMPGT, slow);
        String whole = "(" + S + e.t.array + "I)L" + typed + ";";
        if (stride == 2) {
            species(e);
            mv.visitVarInsn(ALOAD, array);
            mv.visitVarInsn(ILOAD, at);
            mv.visitMethodInsn(INVOKESTATIC, typed, "fromArray", whole, false);
            mv.visitTypeInsn(CHECKCAST, VECTOR);
            mv.visitFieldInsn(GETSTATIC, HOME, field(e, "EVEN_"), SHUFFLE);
            species(e);
            mv.visitVarInsn(ALOAD, array);
            mv.visitVarInsn(ILOAD, at);
            mv.visitFieldInsn(GETSTATIC, HOME, lanes, "I");
            mv.visitInsn(IADD);
            mv.visitMethodInsn(INVOKESTATIC, typed, "fromArray", whole, false);
            mv.visitTypeInsn(CHECKCAST, VECTOR);
            mv.visitMethodInsn(INVOKEVIRTUAL, VECTOR, "rearrange", "(" + SHUFFLE + V + ")" + V, false);
        } else {
            species(e);
            mv.visitVarInsn(ALOAD, array);
            mv.visitVarInsn(ILOAD, at);
            mv.visitFieldInsn(GETSTATIC, HOME, "MAPS", "[[I");
            e.push(stride);
            mv.visitInsn(AALOAD);
            mv.visitInsn(ICONST_0);
            mv.visitMethodInsn(INVOKESTATIC, typed, "fromArray", "(" + S + e.t.array + "I[II)L" + typed + ";", false);
            mv.visitTypeInsn(CHECKCAST, VECTOR);
        }
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(slow);
        mv.visitVarInsn(ALOAD, array);
        mv.visitVarInsn(ILOAD, at);
        e.push(stride);
        mv.visitVarInsn(ALOAD, mask);
        mv.visitMethodInsn(INVOKESTATIC, HOME, field(e, "strided"), "(" + e.t.array + "II" + M + ")" + V, false);
        mv.visitLabel(end);
    }

    /** The value on the stack in every lane. */
    private static void broadcast(Emitter e) {
        int v = e.local(e.t.size);
        e.mv.visitVarInsn(e.t.store, v);
        species(e);
        e.mv.visitVarInsn(e.t.load, v);
        String typed = typed(e);
        e.mv.visitMethodInsn(INVOKESTATIC, typed, "broadcast", "(" + S + e.t.desc + ")L" + typed + ";", false);
        e.mv.visitTypeInsn(CHECKCAST, VECTOR);
    }
}
