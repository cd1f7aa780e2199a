package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.gen.LayoutJson;
import dev.nnc.ir.Ex;
import dev.nnc.ir.Offset;
import dev.nnc.ir.OptimizerIr;
import dev.nnc.ir.Tensor;
import dev.nnc.runtime.DType;
import dev.nnc.runtime.compiled.StatementTimes;
import dev.nnc.schedule.Accumulator;
import dev.nnc.schedule.Block;
import dev.nnc.schedule.LoopPrinter;
import dev.nnc.schedule.LoopProgram;
import dev.nnc.schedule.Storage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * GENERATE for the JVM: one class per network, extending the runtime's {@code GeneratedNetwork}, with a method
 * per loop program (train, predict, evaluate), the optimizer's step, and the layout the runtime reads. Matrix
 * products call the runtime's kernels; everything else is generated here.
 */
public final class ClassGen {
    private ClassGen() {}

    static final String BASE = "dev/nnc/runtime/compiled/GeneratedNetwork";
    static final String GEMM = "dev/nnc/runtime/kernel/Gemm";
    /**
     * Locals of the slice methods (this, buf, from, to) and of the block methods they call: this, buf, from and to of
     * the chunk of samples the call runs, origin (where the slice starts: its workspace's first row).
     */
    private static final int BUF = 1, FROM = 2, TO = 3, ORIGIN = 4, FIRST_FREE = 5;

    /** The class's binary name for a network: {@code nnc.generated.Mlp}. */
    public static String className(String network) { return "nnc.generated." + network; }

    /** @throws TooBig if a block's method would be too big for the optimizing JIT (unless {@code anySize}) */
    /** Characters per string constant: at most 3 bytes each in a class file's modified UTF-8, under its 65,535. */
    private static final int STRING_CHUNK = 16_384;

    /**
     * Pushes a string of any length: one constant when it fits a class file's limit, else its pieces joined at run
     * time. A layout carries every given value of a parameter ({@code = [[…], …]}), which can run to megabytes.
     */
    static void pushString(MethodVisitor mv, String s) {
        if (s.length() <= STRING_CHUNK) {
            mv.visitLdcInsn(s);
            return;
        }
        mv.visitTypeInsn(NEW, "java/lang/StringBuilder");
        mv.visitInsn(DUP);
        mv.visitLdcInsn(s.length());
        mv.visitMethodInsn(INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(I)V", false);
        for (int from = 0, to; from < s.length(); from = to) {
            to = Math.min(s.length(), from + STRING_CHUNK);
            if (to < s.length() && Character.isHighSurrogate(s.charAt(to - 1))) to--; // keep a pair together
            mv.visitLdcInsn(s.substring(from, to));
            mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "append", "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        }
        mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
    }

    /** @param lanes the fewest elements a loop that qualifies runs on vectors from ({@link Lanes}, {@link JvmBackend#LANES}) */
    public static byte[] generate(LoopProgram program, DType precision, boolean anySize, int lanes) {
        Num t = precision == DType.F32 ? Num.F : Num.D;
        String name = className(program.graph().name()).replace('.', '/');
        var cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override protected String getCommonSuperClass(String a, String b) { return "java/lang/Object"; }
        };
        // Java 17's class files: model jars run on Java 17 and newer, as their runtime does
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, name, null, BASE, null);
        cw.visitSource(program.graph().name() + ".nn", null);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, BASE, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor layout = cw.visitMethod(ACC_PUBLIC, "layout", "()Ljava/lang/String;", null, null);
        layout.visitCode();
        pushString(layout, LayoutJson.write(program, precision));
        layout.visitInsn(ARETURN);
        layout.visitMaxs(0, 0);
        layout.visitEnd();

        slices(cw, "train", "([Ljava/lang/Object;II)D", program.train(), t, true, name, anySize, lanes);
        slices(cw, "predict", "([Ljava/lang/Object;II)V", program.predict(), t, false, name, anySize, lanes);
        slices(cw, "evaluate", "([Ljava/lang/Object;II)D", program.evaluate(), t, true, name, anySize, lanes);
        rows(cw, program.train(), t);
        step(cw, program.optimizer(), t);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * A method running one loop program over samples from … to − 1: it calls a method per block (each block on
     * its own stays small enough for the optimizing JIT) and returns the loss they add up.
     */
    private static void slices(ClassWriter cw, String name, String desc, LoopProgram.Entry p, Num t, boolean returnsLoss, String owner,
                               boolean anySize, int lanes) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, name, desc, null, null);
        mv.visitCode();
        int loss = 4, n = 6, parts = 7, part = 8, at = 9, end = 10; // locals after this, buf, from, to
        mv.visitInsn(DCONST_0);
        mv.visitVarInsn(DSTORE, loss);
        // the clears first, over the slice; then every other block over a chunk of its samples, chunk after chunk: the
        // slice in parts = ⌈n / chunk⌉ chunks of as nearly equal size as GeneratedNetwork.rowFrom makes them
        int first = 0;
        while (first < p.blocks().size() && p.blocks().get(first) instanceof Block.Clear) first++;
        for (int k = 0; k < first; k++) callBlock(cw, mv, name, k, p, t, anySize, owner, lanes, FROM, TO, loss);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitVarInsn(ILOAD, FROM);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, n);
        mv.visitVarInsn(ILOAD, n); // (n + chunk − 1) / chunk in long: the chunk may be Integer.MAX_VALUE
        mv.visitInsn(I2L);
        mv.visitLdcInsn(p.chunk() - 1L);
        mv.visitInsn(LADD);
        mv.visitLdcInsn((long) p.chunk());
        mv.visitInsn(LDIV);
        mv.visitInsn(L2I);
        mv.visitVarInsn(ISTORE, parts);
        Label top = new Label(), done = new Label();
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, part);
        mv.visitLabel(top);
        mv.visitVarInsn(ILOAD, part);
        mv.visitVarInsn(ILOAD, parts);
        mv.visitJumpInsn(IF_ICMPGE, done);
        for (int edge = 0; edge < 2; edge++) { // at = from + rowFrom(n, part, parts), end = from + rowFrom(n, part + 1, parts)
            mv.visitVarInsn(ILOAD, FROM);
            mv.visitVarInsn(ILOAD, n);
            mv.visitVarInsn(ILOAD, part);
            if (edge == 1) {
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IADD);
            }
            mv.visitVarInsn(ILOAD, parts);
            mv.visitMethodInsn(INVOKESTATIC, BASE, "rowFrom", "(III)I", false);
            mv.visitInsn(IADD);
            mv.visitVarInsn(ISTORE, edge == 0 ? at : end);
        }
        for (int k = first; k < p.blocks().size(); k++) callBlock(cw, mv, name, k, p, t, anySize, owner, lanes, at, end, loss);
        mv.visitIincInsn(part, 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(done);
        if (returnsLoss) {
            mv.visitVarInsn(DLOAD, loss);
            mv.visitInsn(DRETURN);
        } else {
            mv.visitInsn(RETURN);
        }
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** Emits block k's method and, in the slice method, {@code loss += block(buf, from, to, origin)}. */
    private static void callBlock(ClassWriter cw, MethodVisitor mv, String name, int k, LoopProgram.Entry p, Num t, boolean anySize,
                                  String owner, int lanes, int from, int to, int loss) {
        String blockName = name + "$" + k;
        block(cw, blockName, p.blocks().get(k), p, t, anySize, owner, lanes);
        mv.visitVarInsn(DLOAD, loss);
        mv.visitVarInsn(ALOAD, 0);
        mv.visitVarInsn(ALOAD, BUF);
        mv.visitVarInsn(ILOAD, from);
        mv.visitVarInsn(ILOAD, to);
        mv.visitVarInsn(ILOAD, FROM);
        mv.visitMethodInsn(INVOKESPECIAL, owner, blockName, BLOCK, false);
        mv.visitInsn(DADD);
        mv.visitVarInsn(DSTORE, loss);
    }

    private static final String BLOCK = "([Ljava/lang/Object;III)D";

    /** One block as a private method returning the loss it adds (0 for most). */
    private static void block(ClassWriter cw, String name, Block b, LoopProgram.Entry p, Num t, boolean anySize, String owner, int lanes) {
        var size = new CodeSize(cw.visitMethod(ACC_PRIVATE, name, BLOCK, null, null));
        MethodVisitor mv = size;
        mv.visitCode();
        var e = new Emitter(mv, t, p.storage(), FIRST_FREE, FROM);
        e.origin = ORIGIN;
        if (lanes < Integer.MAX_VALUE) e.methods = new LaneMethods(cw, owner, name, BUF, lanes);
        e.loadArrays(BUF, b);
        int lossSum = e.local(2);
        mv.visitInsn(DCONST_0);
        mv.visitVarInsn(DSTORE, lossSum);
        switch (b) {
            case Block.Product product -> {
                if (StatementTimes.ON) { // -Dnnc.profile=statements
                    int start = e.timed();
                    product(e, product);
                    e.time(StatementTimes.label(LoopPrinter.line(product)), start);
                } else {
                    product(e, product);
                }
            }
            case Block.PerSample s -> perSample(e, s, lossSum);
            case Block.Clear c -> clear(e, c, p);
            case Block.Broadcast r -> broadcast(e, r);
        }
        mv.visitVarInsn(DLOAD, lossSum);
        mv.visitInsn(DRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        if (size.bytes > CodeSize.LIMIT && !anySize) throw new TooBig(name, size.bytes);
    }

    /** A generated method over the JIT's size limit: the block must be scheduled with less unrolling. */
    public static final class TooBig extends RuntimeException {
        TooBig(String method, int bytes) { super(method + " has about " + bytes + " bytes of code", null, false, false); }
    }

    /**
     * {@code Arrays.fill(gradients, from, to, 0)} for each run of adjacent sums: the notes' network has 28 scalar
     * parameters side by side, one fill rather than 28.
     */
    private static void clear(Emitter e, Block.Clear c, LoopProgram.Entry p) {
        List<int[]> ranges = new ArrayList<>(); // slot, from, to
        c.tensors().stream().sorted(Comparator.comparingInt((Tensor x) -> p.storage().get(x).offset())).forEach(x -> {
            Storage s = p.storage().get(x);
            int[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[0] == s.slot() && last[2] == s.offset()) last[2] += x.size();
            else ranges.add(new int[] {s.slot(), s.offset(), s.offset() + x.size()});
        });
        for (int[] r : ranges) {
            e.mv.visitVarInsn(ALOAD, e.array(r[0]));
            e.push(r[1]);
            e.push(r[2]);
            e.t.constant(e.mv, 0);
            e.mv.visitMethodInsn(INVOKESTATIC, "java/util/Arrays", "fill", "(" + e.t.array + "II" + e.t.desc + ")V", false);
        }
    }

    /** {@code GeneratedNetwork.broadcast(from's array, where from starts, row's array, where it starts, to − from, row's size)}. */
    private static void broadcast(Emitter e, Block.Broadcast r) {
        e.operandStart(r.from());
        e.operandStart(r.row());
        extent(e, Block.Product.SAMPLES);
        e.push(r.row().size());
        e.mv.visitMethodInsn(INVOKESTATIC, BASE, "broadcast", "(Ljava/lang/Object;ILjava/lang/Object;III)V", false);
    }

    /** The kernel call {@code Gemm.f32(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, cRow, accumulate)}. */
    private static void product(Emitter e, Block.Product p) {
        MethodVisitor mv = e.mv;
        extent(e, p.m());
        extent(e, p.n());
        extent(e, p.k());
        operand(e, p.a(), true);
        operand(e, p.b(), true);
        operand(e, p.c(), false);
        e.push(p.accumulate() ? 1 : 0);
        String arr = e.t.array;
        mv.visitMethodInsn(INVOKESTATIC, GEMM, e.t == Num.F ? "f32" : "f64",
                "(III" + arr + "III" + arr + "III" + arr + "IIZ)V", false);
    }

    /** Locals of {@code rows}: this, buf, from, to, part, parts, accumulate. */
    private static final int PART = 4, PARTS = 5, ACCUMULATE = 6, ROWS_FIRST_FREE = 7;

    /**
     * {@code rows(buf, from, to, part, parts, accumulate)}: each of the training's row products for rows
     * {@code GeneratedNetwork.rowFrom(m, part, parts)} … {@code rowFrom(m, part + 1, parts) − 1}, over the slice's
     * samples — its A and C (the gradient sum) from that row on, B whole.
     */
    private static void rows(ClassWriter cw, LoopProgram.Entry p, Num t) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "rows", "([Ljava/lang/Object;IIIIZ)V", null, null);
        mv.visitCode();
        var e = new Emitter(mv, t, p.storage(), ROWS_FIRST_FREE, FROM);
        for (Block.Product r : p.rows()) {
            e.loadArrays(BUF, r);
            int first = e.local(1), count = e.local(1);
            rowFrom(e, r.m(), false);
            mv.visitVarInsn(ISTORE, first);
            rowFrom(e, r.m(), true);
            mv.visitVarInsn(ILOAD, first);
            mv.visitInsn(ISUB);
            mv.visitVarInsn(ISTORE, count);
            mv.visitVarInsn(ILOAD, count);
            e.push(r.n());
            extent(e, r.k());
            operandFromRow(e, r.a(), first);
            e.push(r.a().col());
            operand(e, r.b(), true);
            operandFromRow(e, r.c(), first);
            mv.visitVarInsn(ILOAD, ACCUMULATE);
            String arr = e.t.array;
            mv.visitMethodInsn(INVOKESTATIC, GEMM, e.t == Num.F ? "f32" : "f64", "(III" + arr + "III" + arr + "III" + arr + "IIZ)V", false);
        }
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /** {@code GeneratedNetwork.rowFrom(m, part (+ 1), parts)}. */
    private static void rowFrom(Emitter e, int m, boolean next) {
        e.push(m);
        e.mv.visitVarInsn(ILOAD, PART);
        if (next) {
            e.mv.visitInsn(ICONST_1);
            e.mv.visitInsn(IADD);
        }
        e.mv.visitVarInsn(ILOAD, PARTS);
        e.mv.visitMethodInsn(INVOKESTATIC, BASE, "rowFrom", "(III)I", false);
    }

    /** The operand's array, where its row {@code first} starts, and its row stride. */
    private static void operandFromRow(Emitter e, Block.Operand o, int first) {
        e.operandStart(o.t());
        e.mv.visitVarInsn(ILOAD, first);
        e.push(o.row());
        e.mv.visitInsn(IMUL);
        e.mv.visitInsn(IADD);
        e.push(o.row());
    }

    private static void extent(Emitter e, int n) {
        if (n != Block.Product.SAMPLES) {
            e.push(n);
            return;
        }
        e.mv.visitVarInsn(ILOAD, TO);
        e.mv.visitVarInsn(ILOAD, FROM);
        e.mv.visitInsn(ISUB);
    }

    /** Pushes the array, where the operand starts (an input at the slice's first sample), and its strides. */
    private static void operand(Emitter e, Block.Operand o, boolean withColumnStride) {
        e.operandStart(o.t());
        e.push(o.row());
        if (withColumnStride) e.push(o.col());
    }

    /**
     * {@code for (b = from; b < to; b++)} around the block's statements, with what SCHEDULE keeps in locals
     * ({@link Block.PerSample}): the gradient elements it accumulates are read into locals before the loop and
     * stored once after it, the parameter elements it reads are read into locals before it. The loss is always
     * summed in the method's own local.
     */
    private static void perSample(Emitter e, Block.PerSample s, int lossSum) {
        MethodVisitor mv = e.mv;
        List<Accumulator.Element> accumulators = new ArrayList<>();
        for (Accumulator a : s.accumulators()) if (a instanceof Accumulator.Element el) accumulators.add(el);
        for (Accumulator.Element a : accumulators) {
            e.address(a.sum(), a.at());
            mv.visitInsn(e.t.aload);
            mv.visitVarInsn(e.t.store, e.register(a.sum(), a.element()));
        }
        for (Ex.Load l : s.parameters()) {
            e.address(l.tensor(), l.idx());
            mv.visitInsn(e.t.aload);
            mv.visitVarInsn(e.t.store, e.register(l.tensor(), Offset.fixed(l.tensor(), l.idx())));
        }
        int b = e.local(1), r = e.local(1);
        mv.visitVarInsn(ILOAD, FROM);
        mv.visitVarInsn(ISTORE, b);
        Label top = new Label(), end = new Label();
        mv.visitLabel(top);
        mv.visitVarInsn(ILOAD, b);
        mv.visitVarInsn(ILOAD, TO);
        mv.visitJumpInsn(IF_ICMPGE, end);
        mv.visitVarInsn(ILOAD, b);
        mv.visitVarInsn(ILOAD, ORIGIN);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, r);
        e.sample = b;
        e.relative = r;
        e.statements(s.body(), lossSum);
        e.sample = e.relative = -1;
        mv.visitIincInsn(b, 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
        for (Accumulator.Element a : accumulators) {
            e.address(a.sum(), a.at());
            mv.visitVarInsn(e.t.load, e.register(a.sum(), a.element()));
            mv.visitInsn(e.t.astore);
        }
        e.forgetRegisters(accumulators.stream().map(Accumulator.Element::sum).toList());
        e.forgetRegisters(s.parameters().stream().map(Ex.Load::tensor).toList());
    }

    // ─── The optimizer ──────────────────────────────────────────────────────────────────────────────

    /**
     * {@code step(arrays, from, to, t, rate)}: the optimizer's updates for elements from … to − 1 of one parameter,
     * θ, its gradient and each state variable in a local. The per-step values (Adam's 1/(1 − β1ᵗ)) are computed
     * once, in double precision, before the loop, which is then simple enough for the JIT to vectorise.
     */
    private static void step(ClassWriter cw, OptimizerIr o, Num t) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "step", "([Ljava/lang/Object;IIDD)V", null, null);
        mv.visitCode();
        if (o == null) {
            mv.visitInsn(RETURN);
            mv.visitMaxs(0, 0);
            mv.visitEnd();
            return;
        }
        final int arrays = 1, from = 2, to = 3, step = 4, rate = 6;
        // the per-step values, by d in double, each then kept in a local of the element type
        var d = new Emitter(mv, Num.D, Map.of(), 8, -1);
        mv.visitVarInsn(DLOAD, step);
        mv.visitVarInsn(DSTORE, d.register(o.step(), 0));
        if (o.rate() != null) {
            mv.visitVarInsn(DLOAD, rate);
            mv.visitVarInsn(DSTORE, d.register(o.rate(), 0));
        }
        var e = new Emitter(d, t);
        for (var v : o.perStep()) {
            d.expr(v.value());
            t.fromDouble(mv);
            mv.visitVarInsn(t.store, e.register(v.slot(), 0));
        }
        List<Tensor> elementwise = new ArrayList<>(List.of(o.theta(), o.gradient()));
        elementwise.addAll(o.states());
        int[] arrayLocals = new int[elementwise.size()];
        for (int k = 0; k < arrayLocals.length; k++) {
            mv.visitVarInsn(ALOAD, arrays);
            e.push(k);
            mv.visitInsn(AALOAD);
            mv.visitTypeInsn(CHECKCAST, t.array);
            arrayLocals[k] = e.local(1);
            mv.visitVarInsn(ASTORE, arrayLocals[k]);
        }
        int k = e.local(1);
        mv.visitVarInsn(ILOAD, from);
        mv.visitVarInsn(ISTORE, k);
        Label top = new Label(), end = new Label();
        mv.visitLabel(top);
        mv.visitVarInsn(ILOAD, k);
        mv.visitVarInsn(ILOAD, to);
        mv.visitJumpInsn(IF_ICMPGE, end);
        for (int a = 0; a < arrayLocals.length; a++) {
            mv.visitVarInsn(ALOAD, arrayLocals[a]);
            mv.visitVarInsn(ILOAD, k);
            mv.visitInsn(t.aload);
            mv.visitVarInsn(t.store, e.register(elementwise.get(a), 0));
        }
        for (var u : o.updates()) {
            e.expr(u.value());
            mv.visitVarInsn(t.store, e.register(u.slot(), 0));
        }
        for (int a = 0; a < arrayLocals.length; a++) {
            if (a == 1) continue; // the gradient is only read
            mv.visitVarInsn(ALOAD, arrayLocals[a]);
            mv.visitVarInsn(ILOAD, k);
            mv.visitVarInsn(t.load, e.register(elementwise.get(a), 0));
            if (a >= 2) flushSubnormal(mv, t);
            mv.visitInsn(t.astore);
        }
        mv.visitIincInsn(k, 1);
        mv.visitJumpInsn(GOTO, top);
        mv.visitLabel(end);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    /**
     * The value v on the stack, with a subnormal v replaced by zero. An optimizer's state decays geometrically where a
     * gradient stays zero (a dead ReLU's weights: Adam's m by β1 = 0.9 a step reaches float's subnormals in some 800
     * steps), and arithmetic on subnormals is many times slower on x86: the whole step ran 14× slower a few epochs into
     * training. As v − clamp(v, −m, m) with m the smallest normal number, in min, max and a subtraction, which the JIT
     * vectorises as it does the rest of the loop (a test of v's bits or a branch kept it scalar, 4× slower): a
     * subnormal v becomes exactly 0; any other v moves by m at most — by nothing unless it is within 2²⁴ m of the
     * subnormals, far below what an update of a parameter could show — and one within a factor 2 of them may become
     * subnormal for one step, to be zero the next.
     */
    private static void flushSubnormal(MethodVisitor mv, Num t) {
        String d = "(" + t.desc + t.desc + ")" + t.desc;
        mv.visitInsn(t.dup);
        switch (t) {
            case F -> mv.visitLdcInsn(Float.MIN_NORMAL);
            case D -> mv.visitLdcInsn(Double.MIN_NORMAL);
        }
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "min", d, false);
        switch (t) {
            case F -> mv.visitLdcInsn(-Float.MIN_NORMAL);
            case D -> mv.visitLdcInsn(-Double.MIN_NORMAL);
        }
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "max", d, false);
        mv.visitInsn(t.sub);
    }
}
