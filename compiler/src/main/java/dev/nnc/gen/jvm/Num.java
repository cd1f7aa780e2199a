package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import dev.nnc.runtime.Primitive;
import org.objectweb.asm.MethodVisitor;

/** The element type generated code computes in: each operation's opcode for float or double, and its stack effect. */
enum Num {
    F("F", "[F", 1, FLOAD, FSTORE, FALOAD, FASTORE, FADD, FSUB, FMUL, FDIV, FNEG, FCMPL, FCMPG, DUP),
    D("D", "[D", 2, DLOAD, DSTORE, DALOAD, DASTORE, DADD, DSUB, DMUL, DDIV, DNEG, DCMPL, DCMPG, DUP2);

    final String desc, array;
    /** Local variable slots a value takes. */
    final int size;
    final int load, store, aload, astore, add, sub, mul, div, neg, cmpl, cmpg, dup;

    Num(String desc, String array, int size, int load, int store, int aload, int astore, int add, int sub, int mul, int div,
        int neg, int cmpl, int cmpg, int dup) {
        this.desc = desc;
        this.array = array;
        this.size = size;
        this.load = load;
        this.store = store;
        this.aload = aload;
        this.astore = astore;
        this.add = add;
        this.sub = sub;
        this.mul = mul;
        this.div = div;
        this.neg = neg;
        this.cmpl = cmpl;
        this.cmpg = cmpg;
        this.dup = dup;
    }

    /** Pushes a constant. */
    void constant(MethodVisitor mv, double v) {
        if (this == F) {
            float f = (float) v;
            if (f == 0 && Float.floatToRawIntBits(f) == 0) mv.visitInsn(FCONST_0);
            else if (f == 1) mv.visitInsn(FCONST_1);
            else if (f == 2) mv.visitInsn(FCONST_2);
            else mv.visitLdcInsn(f);
        } else {
            if (v == 0 && Double.doubleToRawLongBits(v) == 0) mv.visitInsn(DCONST_0);
            else if (v == 1) mv.visitInsn(DCONST_1);
            else mv.visitLdcInsn(v);
        }
    }

    /** The value on the stack, as a double. */
    void toDouble(MethodVisitor mv) { if (this == F) mv.visitInsn(F2D); }

    /** A double on the stack, as this type. */
    void fromDouble(MethodVisitor mv) { if (this == F) mv.visitInsn(D2F); }

    /** The type a primitive's method takes its arguments in: this one, or double (widened first). */
    Num argument(Primitive.Jvm f) { return f.ofEachType() ? this : D; }

    /** Calls a primitive's method on the arguments on the stack, each already of {@link #argument}'s type. */
    void call(MethodVisitor mv, Primitive.Jvm f, int arity) {
        String type = argument(f).desc;
        mv.visitMethodInsn(INVOKESTATIC, f.owner(), f.name(), "(" + type.repeat(arity) + ")" + type, false);
        if (!f.ofEachType()) fromDouble(mv);
    }
}
