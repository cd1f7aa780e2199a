package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.ir.Exprs;
import dev.nnc.ir.Tensor;
import dev.nnc.schedule.Stmt;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * The methods of a class's nests that run on vectors. Each is a private method of its own, {@code (buf, from,
 * sample, relative)}, so that C2 compiles its vector operations in a method small enough to inline them all
 * (in a block's method of a few thousand bytes it did not, and every vector became an object).
 */
final class LaneMethods {
    private static final String DESC = "([Ljava/lang/Object;III)V";
    private final ClassWriter cw;
    private final String owner, prefix;
    private final int buf;
    /** The fewest elements a loop runs on vectors from. */
    final int from;
    private int count;

    LaneMethods(ClassWriter cw, String owner, String prefix, int buf, int from) {
        this.cw = cw;
        this.owner = owner;
        this.prefix = prefix;
        this.buf = buf;
        this.from = from;
    }

    /** Emits the nest's method and, in the caller, the call to it. */
    void call(Emitter caller, Stmt.Loop nest) {
        String name = prefix + "$lanes" + count++;
        MethodVisitor mv = cw.visitMethod(ACC_PRIVATE, name, DESC, null, null);
        mv.visitCode();
        var e = new Emitter(mv, caller.t, caller.storage, 5, 2);
        e.vectors = from;
        e.sample = caller.sample < 0 ? -1 : 3;
        e.relative = caller.relative < 0 ? -1 : 4;
        Set<Tensor> touched = new LinkedHashSet<>();
        touched(nest, touched);
        e.loadArrays(1, touched);
        e.statements(List.of(nest), -1);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        MethodVisitor c = caller.mv;
        c.visitVarInsn(ALOAD, 0);
        c.visitVarInsn(ALOAD, buf);
        c.visitVarInsn(ILOAD, caller.from);
        if (caller.sample < 0) c.visitInsn(ICONST_0);
        else c.visitVarInsn(ILOAD, caller.sample);
        if (caller.relative < 0) c.visitInsn(ICONST_0);
        else c.visitVarInsn(ILOAD, caller.relative);
        c.visitMethodInsn(INVOKESPECIAL, owner, name, DESC, false);
    }

    private static void touched(Stmt s, Set<Tensor> out) {
        switch (s) {
            case Stmt.Loop l -> l.body().forEach(b -> touched(b, out));
            case Stmt.Assign a -> {
                out.add(a.t());
                out.addAll(Exprs.valueReads(a.value()));
            }
            case Stmt.Product p -> { }
            case Stmt.AddLoss l -> { }
        }
    }
}
