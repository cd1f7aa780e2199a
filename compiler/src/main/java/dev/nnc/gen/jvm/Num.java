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

    /** An int on the stack (a subscript's value, a window's position), as this type: exact below 2²⁴ in float. */
    void fromInt(MethodVisitor mv) { mv.visitInsn(this == F ? I2F : I2D); }

    // ─── Selecting by bits, without a branch ─────────────────────────────────────────────────────────
    // A condition that goes either way at random (which element of a window is its maximum, whether a ReLU was
    // active) costs a mispredicted branch half the time; C2 makes a choice between two int constants a conditional
    // move, so generated code turns a condition into a mask (−1 or 0) and selects values by their bits.

    /** The value on the stack as its bits: an int for float, a long for double. */
    void toBits(MethodVisitor mv) {
        if (this == F) mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
        else mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
    }

    /** Bits on the stack as a value of this type. */
    void fromBits(MethodVisitor mv) {
        if (this == F) mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
        else mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
    }

    /** Bits on the stack and an int mask (−1 or 0) above them: the bits where the mask is −1, else 0. */
    private void and(MethodVisitor mv) {
        if (this == D) mv.visitInsn(I2L);
        mv.visitInsn(this == F ? IAND : LAND);
    }

    /** Bits on the stack and an int mask above them: the value where the mask is −1, else +0. */
    void masked(MethodVisitor mv) {
        and(mv);
        fromBits(mv);
    }

    /** An int mask on the stack: 1 where it is −1, else +0. */
    void one(MethodVisitor mv) {
        if (this == D) mv.visitInsn(I2L);
        if (this == F) mv.visitLdcInsn(Float.floatToRawIntBits(1f));
        else mv.visitLdcInsn(Double.doubleToRawLongBits(1d));
        mv.visitInsn(this == F ? IAND : LAND);
        fromBits(mv);
    }

    /** Pushes local b where the int local mask is −1, local a where it is 0: a ^ ((a ^ b) & mask) on the bits. */
    void choose(MethodVisitor mv, int a, int b, int mask) {
        mv.visitVarInsn(load, a);
        toBits(mv);
        mv.visitInsn(this == F ? DUP : DUP2);
        mv.visitVarInsn(load, b);
        toBits(mv);
        mv.visitInsn(this == F ? IXOR : LXOR);
        mv.visitVarInsn(ILOAD, mask);
        and(mv);
        mv.visitInsn(this == F ? IXOR : LXOR);
        fromBits(mv);
    }

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
