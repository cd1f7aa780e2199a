package dev.nnc.runtime.cuda;

import java.util.Locale;

/**
 * The control block ({@code nnc_ctl}), one per model in device memory: what changes from one training step to the
 * next, read by every kernel, so that one captured launch sequence serves every step of a run. The one definition of
 * its layout: the generator declares the C struct from it ({@link #declaration}, printed into the prelude) and the
 * runtime reads and writes the block at its fields' {@link #offset}s. Every field is 8 bytes wide, in this order.
 */
public enum ControlBlock {
    COUNT("long long", "samples in the current batch"),
    FROM("long long", "where the batch starts in the order the data's rows are read in"),
    BATCH("long long", "the batch's number in the run: where its loss goes, which learning rate it takes"),
    STATUS("long long", "0, or 1 once a step's loss or gradient was not finite: every kernel after that does nothing"),
    DONE("long long", "CUDA blocks of the running kernel that have finished (the last one finishes the step)"),
    FUSE("long long", "1: a training kernel that can take the optimizer's step itself does (a run of steps)"),
    SIZE("long long", "the batch size of the run"),
    ROWS("long long", "rows in the run's order"),
    T("double", "the optimizer step the next update is, counted from 1"),
    BAD("long long", "set by finish when this step's loss or gradient is not finite; step turns it into status");

    /** The block's size in bytes. */
    public static final int BYTES = 8 * values().length;

    /** The C type: {@code long long}, or {@code double}. */
    public final String type;
    private final String meaning;

    ControlBlock(String type, String meaning) {
        this.type = type;
        this.meaning = meaning;
    }

    /** Where the field lies in the block, in bytes. */
    public long offset() { return 8L * ordinal(); }

    /** The field's name in C: {@code count}, {@code t}. */
    public String field() { return name().toLowerCase(Locale.ROOT); }

    /** The C declaration of {@code struct nnc_ctl}, each field with what it means. */
    public static String declaration() {
        var b = new StringBuilder("struct nnc_ctl {\n");
        for (ControlBlock f : values()) {
            String member = f.type + " " + f.field() + ";";
            b.append("    ").append(member).append(" ".repeat(Math.max(1, 19 - member.length()))).append("// ").append(f.meaning).append('\n');
        }
        return b.append("};\n").toString();
    }
}
