package dev.nnc.gen.jvm;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Counts, roughly from above, the bytes of code a method visitor is given. HotSpot's optimizing compiler skips
 * methods over 8,000 bytes ({@code -XX:HugeMethodLimit}), leaving them to run interpreted: a generated method
 * must stay under it, which this measures.
 */
final class CodeSize extends MethodVisitor {
    /** A little under HotSpot's limit. */
    static final int LIMIT = 7_500;

    int bytes;

    CodeSize(MethodVisitor mv) { super(ASM9, mv); }

    @Override public void visitInsn(int opcode) { bytes += 1; super.visitInsn(opcode); }

    @Override public void visitIntInsn(int opcode, int operand) { bytes += opcode == SIPUSH ? 3 : 2; super.visitIntInsn(opcode, operand); }

    @Override public void visitVarInsn(int opcode, int var) { bytes += var < 4 ? 1 : var < 256 ? 2 : 4; super.visitVarInsn(opcode, var); }

    @Override public void visitTypeInsn(int opcode, String type) { bytes += 3; super.visitTypeInsn(opcode, type); }

    @Override public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
        bytes += 3;
        super.visitMethodInsn(opcode, owner, name, desc, itf);
    }

    @Override public void visitJumpInsn(int opcode, Label label) { bytes += 5; super.visitJumpInsn(opcode, label); }

    @Override public void visitLdcInsn(Object value) { bytes += 3; super.visitLdcInsn(value); }

    @Override public void visitIincInsn(int var, int increment) { bytes += var < 256 ? 3 : 6; super.visitIincInsn(var, increment); }
}
