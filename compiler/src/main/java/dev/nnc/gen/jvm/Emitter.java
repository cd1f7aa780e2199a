package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.ir.Ex;
import dev.nnc.ir.Exprs;
import dev.nnc.ir.Idx;
import dev.nnc.ir.Guards;
import dev.nnc.ir.IndexVar;
import dev.nnc.ir.Offset;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.Primitive;
import dev.nnc.schedule.Block;
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
    private final Map<Tensor, Storage> storage;
    /** The local holding each array slot's array, loaded once at the method's start. */
    private final Map<Integer, Integer> arrays = new HashMap<>();
    private final Map<IndexVar, Integer> vars = new IdentityHashMap<>();
    /** Locals of tensors kept in registers: tensor → element → local. */
    private final Map<Tensor, Map<Integer, Integer>> registers = new IdentityHashMap<>();
    /** The next free local, shared with the emitters of the same method. */
    private final int[] next;
    /** Locals of the absolute sample number and of the sample's number within the slice; −1 outside a sample loop. */
    int sample = -1, relative = -1;
    /** Where the slice starts (the method's {@code from} argument). */
    final int from;
    private int[] args = new int[0];

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
        for (Tensor used : Schedule.touched(block)) {
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
        switch (s) {
            case Stmt.Loop l -> loop(l.v(), () -> statements(l.body(), lossSum));
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
        mv.visitIincInsn(i, 1);
        mv.visitJumpInsn(GOTO, top);
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
     * Whether computing e runs a loop (Σ, max, a window's first maximum). HotSpot compiles a long-running loop on
     * stack replacement only when the operand stack is empty at its head, and a generated method runs once per slice,
     * so a loop entered with operands pending would run interpreted for good; operands are kept in locals instead.
     */
    private boolean hasLoop(Ex e) {
        Boolean known = loops.get(e);
        if (known != null) return known;
        boolean[] any = {false};
        Exprs.visit(e, x -> any[0] |= x instanceof Ex.Sum || x instanceof Ex.Max || x instanceof Ex.FirstMax);
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

    private boolean isRegister(Tensor x) {
        Storage s = storage.get(x);
        return s == null || s instanceof Storage.Registers || registers.containsKey(x) && !(s instanceof Storage.Work);
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
        switch (e) {
            case Ex.Num n -> t.constant(mv, n.value());
            case Ex.Load l -> load(l);
            case Ex.Arg a -> mv.visitVarInsn(t.load, args[a.k()]);
            case Ex.Same s -> {
                index(s.a());
                index(s.b());
                Label differ = new Label();
                mv.visitJumpInsn(IF_ICMPNE, differ);
                bool(differ);
            }
            case Ex.InRange r -> inRange(r);
            case Ex.FirstMax m -> firstMax(m);
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
            case Ex.Cmp c -> {
                pair(c.a(), c.b());
                Label no = new Label();
                // NaN compares false for < <= > >= ==, true for ≠, as Java's operators do
                switch (c.op()) {
                    case LT -> { mv.visitInsn(t.cmpg); mv.visitJumpInsn(IFGE, no); }
                    case LE -> { mv.visitInsn(t.cmpg); mv.visitJumpInsn(IFGT, no); }
                    case GT -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFLE, no); }
                    case GE -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFLT, no); }
                    case EQ -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFNE, no); }
                    case NE -> { mv.visitInsn(t.cmpl); mv.visitJumpInsn(IFEQ, no); }
                }
                bool(no);
            }
            case Ex.Select s -> {
                expr(s.cond());
                t.constant(mv, 0);
                mv.visitInsn(t.cmpl);
                Label otherwise = new Label(), end = new Label();
                mv.visitJumpInsn(IFEQ, otherwise);
                expr(s.then());
                mv.visitJumpInsn(GOTO, end);
                mv.visitLabel(otherwise);
                expr(s.otherwise());
                mv.visitLabel(end);
            }
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

    /** After a jump to {@code no} when the condition fails: pushes 1, or 0 at {@code no}. */
    private void bool(Label no) {
        Label end = new Label();
        t.constant(mv, 1);
        mv.visitJumpInsn(GOTO, end);
        mv.visitLabel(no);
        t.constant(mv, 0);
        mv.visitLabel(end);
    }

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

    /** Σ or max over i: an accumulator in a local, a loop over i (over the values its guards allow, {@link Guards}). */
    private void reduce(IndexVar i, Ex body, boolean max) {
        int acc = local(t.size);
        t.constant(mv, max ? Double.NEGATIVE_INFINITY : 0);
        mv.visitVarInsn(t.store, acc);
        int term = local(t.size);
        loop(i, max ? List.of() : Guards.of(i, body), () -> {
            expr(body); // first, on an empty stack: it may hold a loop of its own
            mv.visitVarInsn(t.store, term);
            mv.visitVarInsn(t.load, acc);
            mv.visitVarInsn(t.load, term);
            if (max) t.call(mv, Primitive.MAX.jvm, 2);
            else mv.visitInsn(t.add);
            mv.visitVarInsn(t.store, acc);
        });
        mv.visitVarInsn(t.load, acc);
    }

    private void index(Idx i) {
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

    /** 1 when 0 ≤ at < size: one unsigned comparison, as the JDK checks an index. */
    private void inRange(Ex.InRange r) {
        index(r.at());
        push(r.size());
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "compareUnsigned", "(II)I", false);
        Label no = new Label();
        mv.visitJumpInsn(IFGE, no);
        bool(no);
    }

    /** 1 when {@code at} is the first i at which the body is largest (a strict > keeps the first maximum). */
    private void firstMax(Ex.FirstMax m) {
        int best = local(t.size), x = local(t.size), arg = local(1);
        t.constant(mv, Double.NEGATIVE_INFINITY);
        mv.visitVarInsn(t.store, best);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, arg);
        loop(m.i(), () -> {
            expr(m.body());
            mv.visitVarInsn(t.store, x);
            Label take = new Label(), skip = new Label();
            mv.visitVarInsn(ILOAD, var(m.i()));
            mv.visitJumpInsn(IFEQ, take);
            mv.visitVarInsn(t.load, x);
            mv.visitVarInsn(t.load, best);
            mv.visitInsn(t.cmpl);
            mv.visitJumpInsn(IFLE, skip);
            mv.visitLabel(take);
            mv.visitVarInsn(t.load, x);
            mv.visitVarInsn(t.store, best);
            mv.visitVarInsn(ILOAD, var(m.i()));
            mv.visitVarInsn(ISTORE, arg);
            mv.visitLabel(skip);
        });
        mv.visitVarInsn(ILOAD, arg);
        index(m.at());
        Label differ = new Label();
        mv.visitJumpInsn(IF_ICMPNE, differ);
        bool(differ);
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
