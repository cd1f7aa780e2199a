package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.schedule.Schedule;
import dev.nnc.schedule.Stmt;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * The methods of a class's nests that run on vectors. Each is a private method of its own, {@code (buf, from,
 * sample, relative)}, so that C2 compiles its vector operations in a method small enough to inline them all
 * (in a block's method of a few thousand bytes it did not, and every vector became an object).
 */
final class LaneMethods {
    private static final String DESC = "([Ljava/lang/Object;III)V";
    /** The method's locals: this, then its arguments (buf, from, sample, relative), then its own. */
    private static final int BUF = 1, FROM = 2, SAMPLE = 3, RELATIVE = 4, FIRST_FREE = 5;
    private final ClassWriter cw;
    private final String owner, prefix;
    /** The caller's local holding buf. */
    private final int callerBuf;
    /** The fewest elements a loop runs on vectors from. */
    final int from;
    private int count;

    LaneMethods(ClassWriter cw, String owner, String prefix, int buf, int from) {
        this.cw = cw;
        this.owner = owner;
        this.prefix = prefix;
        this.callerBuf = buf;
        this.from = from;
    }

    /** Emits the nest's method and, in the caller, the call to it. */
    void call(Emitter caller, Stmt.Loop nest) {
        String name = prefix + "$lanes" + count++;
        MethodVisitor mv = cw.visitMethod(ACC_PRIVATE, name, DESC, null, null);
        mv.visitCode();
        var e = new Emitter(mv, caller.t, caller.storage, FIRST_FREE, FROM);
        e.vectors = from;
        e.sample = caller.sample < 0 ? -1 : SAMPLE;
        e.relative = caller.relative < 0 ? -1 : RELATIVE;
        e.loadArrays(BUF, Schedule.touched(List.of(nest)));
        e.statements(List.of(nest), -1);
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        MethodVisitor c = caller.mv;
        c.visitVarInsn(ALOAD, 0);
        c.visitVarInsn(ALOAD, callerBuf);
        c.visitVarInsn(ILOAD, caller.from);
        if (caller.sample < 0) c.visitInsn(ICONST_0);
        else c.visitVarInsn(ILOAD, caller.sample);
        if (caller.relative < 0) c.visitInsn(ICONST_0);
        else c.visitVarInsn(ILOAD, caller.relative);
        c.visitMethodInsn(INVOKESPECIAL, owner, name, DESC, false);
    }
}
