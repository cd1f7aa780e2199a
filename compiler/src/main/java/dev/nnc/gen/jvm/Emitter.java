package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.ir.Cost;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Guards;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import dev.nnc.runtime.compiled.StatementTimes;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.LoopPrinter;
import dev.nnc.schedule.Schedule;
import dev.nnc.schedule.Stmt;
import dev.nnc.schedule.Storage;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Emits the body of one generated method: expressions of the IR onto the operand stack (each leaves one value
 * of the method's type), statements of a loop program, and the reads and writes of tensors wherever their
 * storage puts them. Knows each instruction's stack effect; ASM computes frames and maximum stack.
 */
final class Emitter {
    final MethodVisitor mv;
    final Num t;
    final Map<Tensor, Storage> storage;
    /** The local holding each array slot's array, loaded once at the method's start. */
    private final Map<Integer, Integer> arrays = new HashMap<>();
    private final Map<IndexVar, Integer> vars = new IdentityHashMap<>();
    /** Locals of tensors kept in registers: tensor → element → local. */
    private final Map<Tensor, Map<Integer, Integer>> registers = new IdentityHashMap<>();
    /** The next free local, shared with the emitters of the same method. */
    private final int[] next;
    /** Locals of the absolute sample number and of the sample's number within the slice; −1 outside a sample loop. */
    int sample = -1, relative = -1;
    /** Where the samples this method runs start (the method's {@code from} argument). */
    final int from;
    /**
     * The local holding where the slice starts, its workspace's first row, in a block's method, which may run a chunk of
     * the slice's samples (from … to − 1); −1 where the method runs the slice whole.
     */
    int origin = -1;
    private int[] args = new int[0];
    /**
     * Where a nest with a loop that runs on vectors gets a method of its own ({@link LaneMethods}; null: no such
     * loops, or this is that method); {@code vectors}: in that method, the fewest elements a loop that qualifies runs
     * on vectors from ({@link Integer#MAX_VALUE} elsewhere).
     */
    LaneMethods methods;
    int vectors = Integer.MAX_VALUE;
    /** Whether the loop on vectors being emitted runs on the narrow species ({@link Lanes#narrow}). */
    boolean narrow;
    /** How many statement loops the statement being emitted is in. */
    private int depth;
    /** The locals holding values computed before the loop they are invariant in ({@link Invariants}). */
    private final Map<Ex, Integer> invariants = new HashMap<>();

    Emitter(MethodVisitor mv, Num t, Map<Tensor, Storage> storage, int firstFree, int from) {
        this.mv = mv;
        this.t = t;
        this.storage = storage;
        this.next = new int[] {firstFree};
        this.from = from;
    }

    /** Another emitter for the same method, in another type, taking its locals from the same pool. */
    Emitter(Emitter other, Num t) {
        this.mv = other.mv;
        this.t = t;
        this.storage = other.storage;
        this.next = other.next;
        this.from = other.from;
    }

    int local(int slots) {
        int l = next[0];
        next[0] += slots;
        return l;
    }

    /** Forgets the registers of these tensors: after a block whose sums lived in locals, they live in arrays again. */
    void forgetRegisters(List<Tensor> ts) { ts.forEach(registers::remove); }

    /** Pushes the array of a matrix product's operand and where the operand starts: an input at the slice's first sample. */
    void operandStart(Tensor x) {
        Storage s = storage.get(x);
        int slot = slot(x, s);
        mv.visitVarInsn(ALOAD, arrays.get(slot));
        if (!(s instanceof Storage.Column)) {
            push(s.offset());
            if (s instanceof Storage.Work && origin >= 0) { // the chunk's first row: (from − origin) · size further
                mv.visitVarInsn(ILOAD, from);
                mv.visitVarInsn(ILOAD, origin);
                mv.visitInsn(ISUB);
                push(x.size());
                mv.visitInsn(IMUL);
                mv.visitInsn(IADD);
            }
        } else {
            mv.visitVarInsn(ILOAD, from);
            if (x.size() != 1) {
                push(x.size());
                mv.visitInsn(IMUL);
            }
        }
    }

    /** Loads {@code buf[slot]} (cast to the array type) into a local, for every slot the block uses. */
    void loadArrays(int buf, Block block) {
        // the block's own tensors, not every tensor's storage: a program of n blocks would take n² steps
        loadArrays(buf, Schedule.touched(block));
    }

    /** Loads {@code buf[slot]} into a local for every slot of these tensors. */
    void loadArrays(int buf, java.util.Collection<Tensor> tensors) {
        for (Tensor used : tensors) {
            Storage s = storage.get(used);
            if (s == null) continue;
            int slot = s.slot();
            if (slot < 0 || arrays.containsKey(slot)) continue;
            mv.visitVarInsn(ALOAD, buf);
            push(slot);
            mv.visitInsn(AALOAD);
            mv.visitTypeInsn(CHECKCAST, t.array);
            int l = local(1);
            mv.visitVarInsn(ASTORE, l);
            arrays.put(slot, l);
        }
    }

    /** The local holding slot {@code slot}'s array (loaded by {@link #loadArrays}). */
    int array(int slot) { return arrays.get(slot); }

    /** A register of its own for element {@code element} of {@code x}, created at first use. */
    int register(Tensor x, int element) {
        return registers.computeIfAbsent(x, k -> new HashMap<>()).computeIfAbsent(element, k -> local(t.size));
    }

    boolean hasRegister(Tensor x, int element) {
        var m = registers.get(x);
        return m != null && m.containsKey(element);
    }

    void push(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    // ─── Statements ─────────────────────────────────────────────────────────────────────────────────

    void statements(List<Stmt> body, int lossSum) {
        for (Stmt s : body) statement(s, lossSum);
    }

    private void statement(Stmt s, int lossSum) {
        if (depth == 0 && vectors == Integer.MAX_VALUE && StatementTimes.ON) { // -Dnnc.profile=statements
            int start = timed();
            untimed(s, lossSum);
            time(StatementTimes.label(LoopPrinter.line(s)), start);
            return;
        }
        untimed(s, lossSum);
    }

    /** Pushes nothing; the local holding System.nanoTime() now. */
    int timed() {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/System", "nanoTime", "()J", false);
        int start = local(2);
        mv.visitVarInsn(LSTORE, start);
        return start;
    }

    /** StatementTimes.add(id, start). */
    void time(int id, int start) {
        push(id);
        mv.visitVarInsn(LLOAD, start);
        mv.visitMethodInsn(INVOKESTATIC, "dev/nnc/runtime/compiled/StatementTimes", "add", "(IJ)V", false);
    }

    private void untimed(Stmt s, int lossSum) {
        switch (s) {
            case Stmt.Loop l -> {
                if (depth == 0 && methods != null && Lanes.within(l, methods.from, this::isRegister)) {
                    // on vectors where the Vector API is there (a method of its own), else the scalar loops: the same bits
                    Label scalar = new Label(), end = new Label();
                    mv.visitFieldInsn(GETSTATIC, ClassGen.GEMM, "VECTOR", "Z");
                    mv.visitJumpInsn(IFEQ, scalar);
                    methods.call(this, l);
                    mv.visitJumpInsn(GOTO, end);
                    mv.visitLabel(scalar);
                    nest(l, lossSum);
                    mv.visitLabel(end);
                } else {
                    nest(l, lossSum);
                }
            }
            case Stmt.Assign a -> assign(a);
            case Stmt.Product p -> product(p);
            case Stmt.AddLoss l -> {
                mv.visitVarInsn(DLOAD, lossSum);
                load(new Ex.Load(l.loss(), List.of()));
                t.toDouble(mv);
                mv.visitInsn(DADD);
                mv.visitVarInsn(DSTORE, lossSum);
            }
        }
    }

    /** A loop and the loops in it, what they compute the same in every pass computed before. */
    private void nest(Stmt.Loop l, int lossSum) {
        List<Ex> hoisted = Invariants.of(l);
        hoisted.removeIf(invariants::containsKey); // computed before an outer loop already
        for (Ex e : hoisted) { // before the loop, on an empty stack: e may hold a loop of its own
            expr(e);
            int local = local(t.size);
            mv.visitVarInsn(t.store, local);
            invariants.put(e, local);
        }
        depth++;
        if (vectors < Integer.MAX_VALUE && Lanes.collapses(l, vectors, this::isRegister)) Lanes.collapsed(this, l);
        else if (vectors < Integer.MAX_VALUE && Lanes.applies(l, vectors, this::isRegister)) Lanes.loop(this, l);
        else if (vectors < Integer.MAX_VALUE && Lanes.pairs(l, vectors, this::isRegister)) Lanes.paired(this, l);
        else loop(l.v(), () -> statements(l.body(), lossSum));
        depth--;
        hoisted.forEach(invariants::remove);
    }

    /** {@code for (v = 0; v < range; v++) body}. */
    void loop(IndexVar v, Runnable body) { loop(v, List.of(), body); }

    /** {@code for (v = lo; v <= hi; v++) body}, lo and hi the tightest of 0, range − 1 and what each guard allows. */
    void loop(IndexVar v, List<Guards.Bound> bounds, Runnable body) {
        int i = local(1), end = local(1);
        vars.put(v, i);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, i);
        push(v.range());
        mv.visitVarInsn(ISTORE, end);
        for (Guards.Bound b : bounds) {
            bound(b, "lowest", i, "max");
            bound(b, "highest", end, "min");
        }
        Label top = new Label(), done = new Label();
        mv.visitLabel(top);
        mv.visitVarInsn(ILOAD, i);
        mv.visitVarInsn(ILOAD, end);
        mv.visitJumpInsn(IF_ICMPGE, done);
        body.run();
        // a loop that runs at most once is a test: C2 gives a loop a pre-, main and post-loop, costly for one pass
        if (!Guards.atMostOne(bounds)) {
            mv.visitIincInsn(i, 1);
            mv.visitJumpInsn(GOTO, top);
        }
        mv.visitLabel(done);
    }

    /**
     * {@code local = max(local, Guards.lowest(b, rest))} or {@code min(local, Guards.highest(…))}: the bound's
     * arithmetic is the runtime's own static method beside the IR's, so the two cannot disagree.
     */
    private void bound(Guards.Bound b, String which, int local, String combine) {
        mv.visitVarInsn(ILOAD, local);
        push(b.coefficient());
        push(b.size());
        index(b.rest());
        mv.visitMethodInsn(INVOKESTATIC, "dev/nnc/runtime/compiled/GeneratedNetwork", which, "(III)I", false);
        if (which.equals("highest")) { // the loop's end is exclusive
            mv.visitInsn(ICONST_1);
            mv.visitInsn(IADD);
        }
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", combine, "(II)I", false);
        mv.visitVarInsn(ISTORE, local);
    }

    /** {@code Gemm.f32(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate)} for this sample. */
    private void product(Stmt.Product p) {
        push(p.m());
        push(p.n());
        push(p.k());
        for (Block.Operand o : List.of(p.a(), p.b(), p.c())) {
            address(o.t(), Collections.nCopies(o.t().rank(), new Idx.Fixed(0)));
            push(o.row());
            if (o != p.c()) push(o.col());
        }
        push(p.accumulate() ? 1 : 0);
        mv.visitMethodInsn(INVOKESTATIC, ClassGen.GEMM, t == Num.F ? "f32" : "f64",
                "(III" + t.array + "III" + t.array + "III" + t.array + "IIZ)V", false);
    }

    void assign(Stmt.Assign a) {
        // a value with a loop in it is computed first, with nothing on the operand stack (see expr)
        int value = -1;
        if (hasLoop(a.value())) {
            expr(a.value());
            value = local(t.size);
            mv.visitVarInsn(t.store, value);
        }
        if (isRegister(a.t())) {
            int r = register(a.t(), Offset.fixed(a.t(), a.at()));
            if (a.add()) mv.visitVarInsn(t.load, r);
            operand(a.value(), value);
            if (a.add()) mv.visitInsn(t.add);
            mv.visitVarInsn(t.store, r);
            return;
        }
        address(a.t(), a.at());
        if (a.add()) {
            mv.visitInsn(DUP2);
            mv.visitInsn(t.aload);
        }
        operand(a.value(), value);
        if (a.add()) mv.visitInsn(t.add);
        mv.visitInsn(t.astore);
    }

    /** Pushes e, or the local it was computed into (≥ 0). */
    private void operand(Ex e, int local) {
        if (local >= 0) mv.visitVarInsn(t.load, local);
        else expr(e);
    }

    private final Map<Ex, Boolean> loops = new IdentityHashMap<>();

    /**
     * Whether computing e runs a loop (Σ, max, argmax). HotSpot compiles a long-running loop on
     * stack replacement only when the operand stack is empty at its head, and a generated method runs once per slice,
     * so a loop entered with operands pending would run interpreted for good; operands are kept in locals instead.
     */
    boolean hasLoop(Ex e) {
        Boolean known = loops.get(e);
        if (known != null) return known;
        boolean[] any = {false};
        Exprs.visit(e, x -> any[0] |= x instanceof Ex.Sum || x instanceof Ex.Max || x instanceof Ex.ArgMax);
        loops.put(e, any[0]);
        return any[0];
    }

    /** Pushes a then b; when b runs a loop, a waits in a local meanwhile. */
    private void pair(Ex a, Ex b) {
        expr(a);
        if (!hasLoop(b)) {
            expr(b);
            return;
        }
        int first = local(t.size), second = local(t.size);
        mv.visitVarInsn(t.store, first);
        expr(b);
        mv.visitVarInsn(t.store, second);
        mv.visitVarInsn(t.load, first);
        mv.visitVarInsn(t.load, second);
    }

    boolean isRegister(Tensor x) {
        Storage s = storage.get(x);
        return s == null || s instanceof Storage.Registers || registers.containsKey(x) && !(s instanceof Storage.Work || s instanceof Storage.Scratch);
    }

    // ─── Addresses ──────────────────────────────────────────────────────────────────────────────────

    /** Pushes the array holding {@code x} and the offset of element {@code at}. */
    void address(Tensor x, List<Idx> at) {
        Storage s = storage.get(x);
        int slot = slot(x, s);
        mv.visitVarInsn(ALOAD, arrays.get(slot));
        Offset element = Offset.of(x, at);
        int constant = s.offset() + element.constant();
        boolean pushed = false;
        for (Offset.Term term : element.terms().reversed()) {
            mv.visitVarInsn(ILOAD, var(term.v()));
            if (term.stride() != 1) {
                push(term.stride());
                mv.visitInsn(IMUL);
            }
            if (pushed) mv.visitInsn(IADD);
            pushed = true;
        }
        int base = switch (s) {
            case Storage.Column c -> sample;
            case Storage.Work w -> relative;
            default -> -2;
        };
        if (base != -2) {
            if (base < 0) throw new IllegalStateException("internal: " + x + " read outside a sample loop");
            mv.visitVarInsn(ILOAD, base);
            if (x.size() != 1) {
                push(x.size());
                mv.visitInsn(IMUL);
            }
            if (pushed) mv.visitInsn(IADD);
            pushed = true;
        }
        if (!pushed) push(constant);
        else if (constant != 0) {
            push(constant);
            mv.visitInsn(IADD);
        }
    }

    /** The slot of the array that holds x. */
    private static int slot(Tensor x, Storage s) {
        if (s == null) throw new IllegalStateException("internal: no storage for " + x);
        if (s.slot() < 0) throw new IllegalStateException("internal: " + x + " has no array");
        return s.slot();
    }


    private int var(IndexVar v) {
        Integer l = vars.get(v);
        if (l == null) throw new IllegalStateException("internal: index " + v + " is not bound");
        return l;
    }

    // ─── Expressions ────────────────────────────────────────────────────────────────────────────────

    /** Pushes the value of e. */
    void expr(Ex e) {
        Integer hoisted = invariants.get(e);
        if (hoisted != null) {
            mv.visitVarInsn(t.load, hoisted);
            return;
        }
        switch (e) {
            case Ex.Num n -> t.constant(mv, n.value());
            case Ex.Load l -> load(l);
            case Ex.Arg a -> mv.visitVarInsn(t.load, args[a.k()]);
            case Ex.Same s -> bool(s);
            case Ex.InRange r -> bool(r);
            case Ex.Position p -> position(p);
            case Ex.ArgMax m -> argMax(m);
            case Ex.Neg u -> {
                expr(u.a());
                mv.visitInsn(t.neg);
            }
            case Ex.Binary b -> binary(b);
            case Ex.Call c -> {
                if (c.args().size() == 2) pair(c.a(), c.b());
                else expr(c.a());
                if (t.argument(c.f().jvm) != t) {
                    // the arguments are pushed in this type; a double method converts them (the last on top, then the first)
                    if (c.args().size() == 2) {
                        int second = local(t.size);
                        mv.visitVarInsn(t.store, second);
                        t.toDouble(mv);
                        mv.visitVarInsn(t.load, second);
                    }
                    t.toDouble(mv);
                }
                t.call(mv, c.f().jvm, c.f().arity);
            }
            case Ex.Cmp c -> bool(c);
            case Ex.Select s -> select(s);
            case Ex.Sum s -> reduce(s.i(), s.body(), false);
            case Ex.Max m -> reduce(m.i(), m.body(), true);
            case Ex.Annotated w -> expr(w.value());
            case Ex.Apply a -> {
                int[] frame = new int[a.args().size()];
                for (int k = 0; k < frame.length; k++) {
                    expr(a.args().get(k));
                    frame[k] = local(t.size);
                    mv.visitVarInsn(t.store, frame[k]);
                }
                int[] saved = args;
                args = frame;
                expr(a.f().body());
                args = saved;
            }
        }
    }

    /** Pushes 1 where the condition holds, else +0, from its mask: no branch. */
    private void bool(Ex cond) {
        mask(cond, true);
        t.one(mv);
    }

    /**
     * Pushes −1 where the condition holds (or fails, when not {@code holds}), else 0: a choice between two int
     * constants, which C2 compiles to a conditional move.
     */
    private void mask(Ex cond, boolean holds) {
        Label no = new Label();
        test(cond, no);
        mask(no, holds);
    }

    /** After a jump to {@code no} when a condition fails: −1 or 0 (both negated when not {@code holds}). */
    private void mask(Label no, boolean holds) {
        Label end = new Label();
        push(holds ? -1 : 0);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(no);
        push(holds ? 0 : -1);
        mv.visitLabel(end);
    }

    /** Jumps to {@code no} unless the condition holds: a comparison, a delta or a guard as itself, else ≠ 0. */
    void test(Ex cond, Label no) {
        switch (cond) {
            case Ex.Cmp c -> {
                pair(c.a(), c.b());
                // NaN compares false for < <= > >= ==, true for ≠, as Java's operators do
                switch (c.op()) {
                    case LT -> { mv.visitInsn(t.cmpg); mv.visitJumpInsn(IFGE, no); }
                    case LE -> { mv.visitInsn(t.cmpg); mv.visitJumpInsn(IFGT, no); }
                    case GT -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFLE, no); }
                    case GE -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFLT, no); }
                    case EQ -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFNE, no); }
                    case NE -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFEQ, no); }
                }
            }
            case Ex.Same s -> {
                index(s.a());
                index(s.b());
                mv.visitJumpInsn(IF_ICMPNE, no);
            }
            case Ex.InRange r -> { // 0 ≤ at < size: one unsigned comparison, as the JDK checks an index
                index(r.at());
                push(r.size());
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
                mv.visitJumpInsn(IFGE, no);
            }
            default -> {
                expr(cond);
                t.constant(mv, 0);
                mv.visitInsn(t.cmpl);
                mv.visitJumpInsn(IFEQ, no);
            }
        }
    }

    /**
     * {@code cond ≠ 0 ? then : otherwise}. With one side +0 and the other a few operations without a loop, both are
     * computed and the result chosen by a mask (the same bits); a guard stays a branch, as its side reads where only
     * the guard makes the read safe.
     */
    private void select(Ex.Select s) {
        boolean thenSide = isPositiveZero(s.otherwise());
        Ex value = thenSide ? s.then() : isPositiveZero(s.then()) ? s.otherwise() : null;
        if (value != null && !(s.cond() instanceof Ex.InRange) && !hasLoop(s.cond()) && cheap(value)) {
            expr(value);
            t.toBits(mv);
            mask(s.cond(), thenSide);
            t.masked(mv);
            return;
        }
        Label otherwise = new Label(), end = new Label();
        test(s.cond(), otherwise);
        expr(s.then());
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(otherwise);
        expr(s.otherwise());
        mv.visitLabel(end);
    }

    private static boolean isPositiveZero(Ex e) { return e instanceof Ex.Num n && Double.doubleToRawLongBits(n.value()) == 0; }

    /** A value worth computing whether or not it is chosen: a few loads and arithmetic, no loop and no call. */
    private boolean cheap(Ex e) {
        boolean[] costly = {false};
        Exprs.visit(e, x -> costly[0] |= x instanceof Ex.Call || x instanceof Ex.Apply);
        return !costly[0] && !hasLoop(e) && Cost.of(e) <= CHEAP;
    }

    /** The most operations (ir.Cost) a select's side may take to be computed without a branch. */
    private static final int CHEAP = 12;

    private void binary(Ex.Binary b) {
        if (b.op() == Ex.BinOp.POW) {
            if (b.squared() != null) {
                expr(b.squared());
                mv.visitInsn(t.dup);
                mv.visitInsn(t.mul);
                return;
            }
            pair(b.a(), b.b());
            int exponent = local(t.size);
            mv.visitVarInsn(t.store, exponent);
            t.toDouble(mv);
            mv.visitVarInsn(t.load, exponent);
            t.toDouble(mv);
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "pow", "(DD)D", false);
            t.fromDouble(mv);
            return;
        }
        pair(b.a(), b.b());
        switch (b.op()) {
            case ADD -> mv.visitInsn(t.add);
            case SUB -> mv.visitInsn(t.sub);
            case MUL -> mv.visitInsn(t.mul);
            case DIV -> mv.visitInsn(t.div);
            case POW -> throw new IllegalStateException("internal: pow handled above");
        }
    }

    /**
     * The most operations (ir.Cost) a guarded Σ is written out with. A loop narrowed to its guards runs between bounds
     * known only at run time, which C2 does not unroll (it gives such a loop a pre-, main and post-loop, costly for a
     * few passes); written out, each term tests its guard instead (col2im's 5 × 5 window: 12 % faster LeNet steps).
     */
    static final int UNROLLED_SUM = 160;

    /**
     * Σ or max over i: an accumulator in a local, a loop over i (over the values its guards allow, {@link Guards}), or a
     * short guarded Σ written out.
     */
    private void reduce(IndexVar i, Ex body, boolean max) {
        int acc = local(t.size);
        t.constant(mv, max ? Double.NEGATIVE_INFINITY : 0);
        mv.visitVarInsn(t.store, acc);
        int term = local(t.size);
        List<Guards.Bound> bounds = max ? List.of() : Guards.of(i, body);
        if (!bounds.isEmpty() && !Guards.atMostOne(bounds) && (long) i.range() * Cost.of(body) <= UNROLLED_SUM) {
            // each term under its guards, a branch that goes the same way for most elements (the guarded-out terms add
            // +0, which leaves a sum begun at +0 as it was: the same bits as the narrowed loop)
            int iv = local(1);
            vars.put(i, iv);
            for (int v = 0; v < i.range(); v++) {
                push(v);
                mv.visitVarInsn(ISTORE, iv);
                expr(body);
                mv.visitVarInsn(t.store, term);
                mv.visitVarInsn(t.load, acc);
                mv.visitVarInsn(t.load, term);
                mv.visitInsn(t.add);
                mv.visitVarInsn(t.store, acc);
            }
            mv.visitVarInsn(t.load, acc);
            return;
        }
        Ex each = bounds.isEmpty() ? body : Guards.withoutGuards(i, body);
        loop(i, bounds, () -> {
            expr(each); // first, on an empty stack: it may hold a loop of its own
            mv.visitVarInsn(t.store, term);
            mv.visitVarInsn(t.load, acc);
            mv.visitVarInsn(t.load, term);
            if (max) t.call(mv, Primitive.MAX.jvm, 2);
            else mv.visitInsn(t.add);
            mv.visitVarInsn(t.store, acc);
        });
        mv.visitVarInsn(t.load, acc);
    }

    void index(Idx i) {
        switch (i) {
            case Idx.Fixed f -> push(f.position());
            case Idx.Var v -> mv.visitVarInsn(ILOAD, var(v.v()));
            case Idx.Affine a -> {
                push(a.constant());
                for (Idx.Term term : a.terms()) {
                    mv.visitVarInsn(ILOAD, var(term.v()));
                    if (term.coefficient() != 1) {
                        push(term.coefficient());
                        mv.visitInsn(IMUL);
                    }
                    mv.visitInsn(IADD);
                }
            }
        }
    }

    /** The row-major position of the subscripts in their window, or −1 when one lies outside it. */
    private void position(Ex.Position p) {
        int[] at = new int[p.at().size()];
        Label outside = new Label(), end = new Label();
        for (int k = 0; k < at.length; k++) {
            index(p.at().get(k));
            at[k] = local(1);
            mv.visitVarInsn(ISTORE, at[k]);
            mv.visitVarInsn(ILOAD, at[k]);
            push(p.shape().get(k));
            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
            mv.visitJumpInsn(IFGE, outside);
        }
        push(0);
        for (int k = 0; k < at.length; k++) {
            push(p.shape().get(k));
            mv.visitInsn(IMUL);
            mv.visitVarInsn(ILOAD, at[k]);
            mv.visitInsn(IADD);
        }
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(outside);
        push(-1);
        mv.visitLabel(end);
        t.fromInt(mv);
    }

    /**
     * The row-major position of the body's first maximum over the window (a strict > keeps the first). Which element
     * wins is the data's choice, so each step is a mask, not a branch: take = (x > best or at = 0), then best and
     * the position by bits.
     */
    private void argMax(Ex.ArgMax m) {
        int best = local(t.size), x = local(t.size), arg = local(1), take = local(1), at = local(1);
        t.constant(mv, Double.NEGATIVE_INFINITY);
        mv.visitVarInsn(t.store, best);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, arg);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, at);
        loops(m.vars(), 0, () -> {
            expr(m.body());
            mv.visitVarInsn(t.store, x);
            Label no = new Label();
            mv.visitVarInsn(t.load, x);
            mv.visitVarInsn(t.load, best);
            mv.visitInsn(t.cmpl);
            mv.visitJumpInsn(IFLE, no);
            mask(no, true);
            mv.visitVarInsn(ILOAD, at); // (at − 1) >> 31 is −1 at the first position only
            mv.visitInsn(ICONST_1);
            mv.visitInsn(ISUB);
            push(31);
            mv.visitInsn(ISHR);
            mv.visitInsn(IOR);
            mv.visitVarInsn(ISTORE, take);
            t.choose(mv, best, x, take);
            mv.visitVarInsn(t.store, best);
            mv.visitVarInsn(ILOAD, arg); // arg ^ ((arg ^ at) & take)
            mv.visitInsn(DUP);
            mv.visitVarInsn(ILOAD, at);
            mv.visitInsn(IXOR);
            mv.visitVarInsn(ILOAD, take);
            mv.visitInsn(IAND);
            mv.visitInsn(IXOR);
            mv.visitVarInsn(ISTORE, arg);
            mv.visitIincInsn(at, 1);
        });
        mv.visitVarInsn(ILOAD, arg);
        t.fromInt(mv);
    }

    /** Loops over vars[k …], the last innermost, around body. */
    private void loops(List<IndexVar> vars, int k, Runnable body) {
        if (k == vars.size()) body.run();
        else loop(vars.get(k), () -> loops(vars, k + 1, body));
    }

    /** The local holding e, computed before the loop it is invariant in; null if it is not. */
    Integer hoisted(Ex e) { return invariants.get(e); }

    /** A new local for v's value, which subscripts read from then on. */
    int bind(IndexVar v) {
        int l = local(1);
        vars.put(v, l);
        return l;
    }

    void load(Ex.Load l) {
        if (isRegister(l.tensor())) {
            int element = Offset.fixed(l.tensor(), l.idx());
            if (!hasRegister(l.tensor(), element)) throw new IllegalStateException("internal: " + l.tensor() + " read before it is computed");
            mv.visitVarInsn(t.load, register(l.tensor(), element));
            return;
        }
        address(l.tensor(), l.idx());
        mv.visitInsn(t.aload);
    }
}
