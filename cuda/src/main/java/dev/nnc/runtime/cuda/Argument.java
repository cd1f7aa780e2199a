package dev.nnc.runtime.cuda;

import dev.nnc.runtime.compiled.Layout;
import java.util.regex.Pattern;

/**
 * A field of {@code nnc_args}, the one argument every generated kernel takes: a device pointer, 8 bytes, the fields in
 * the order the plan lists them. The one definition of what each field holds and how C names it: the generator
 * declares the struct from these, the plan lists them by {@link #field} and the runtime fills each with the address
 * its {@link Kind} says.
 *
 * @param index the slot of the array ({@link Kind#slotted}), the optimizer state's number ({@link Kind#STATE}), else 0
 */
public record Argument(Kind kind, int index) {
    /** Every field's size in bytes. */
    public static final int BYTES = 8;

    public enum Kind {
        /** The array of all parameters. */
        PARAMETERS("s", "real*"),
        /** The array of all gradient sums, laid out as the parameters. */
        GRADIENTS("s", "real*"),
        /** A value's workspace: its elements for every sample of the batch. */
        WORK("s", "real*"),
        /** An input's or target's rows of the batch, gathered into one block (for cuBLAS, which reads a matrix where it lies). */
        GATHERED("s", "real*"),
        /** An input's or target's data, whose rows the order picks. */
        DATA("d", "const real*"),
        /** An optimizer state for every element of the parameters. */
        STATE("st", "real*"),
        /** The data's rows in the order the run reads them. */
        ORDER("order", "const int*"),
        /** The per-sample kernels' partial sums: a row per CUDA block, a column per summed value. */
        PARTIALS("partials", "real*"),
        /** The {@link ControlBlock}. */
        CONTROL("ctl", "nnc_ctl*"),
        /** Each batch's summed loss, by its number in the run. */
        LOSSES("losses", "double*"),
        /** Each batch's learning rate. */
        RATES("rates", "const double*");

        private final String stem;
        /** The field's C type. */
        public final String type;

        Kind(String stem, String type) {
            this.stem = stem;
            this.type = type;
        }

        /** Whether the field is one of a slot's arrays, its index the slot. */
        public boolean slotted() { return stem.equals("s") || stem.equals("d"); }

        private boolean indexed() { return slotted() || this == STATE; }
    }

    public Argument {
        if (index < 0 || (!kind.indexed() && index != 0)) throw new IllegalStateException("internal: " + kind + " " + index + " is no argument");
    }

    public Argument(Kind kind) { this(kind, 0); }

    /** The array of a slot that is not an input's or target's data ({@link #data}): by what the slot holds. */
    public static Argument array(int slot, Layout.Kind holds) {
        return new Argument(switch (holds) {
            case PARAM -> Kind.PARAMETERS;
            case GRADIENT -> Kind.GRADIENTS;
            case WORK -> Kind.WORK;
            case INPUT, TARGET -> Kind.GATHERED;
            case SCRATCH -> throw new IllegalStateException("internal: a GPU's plan has no scratch (its samples run at once)");
        }, slot);
    }

    public static Argument data(int slot) { return new Argument(Kind.DATA, slot); }

    public static Argument state(int k) { return new Argument(Kind.STATE, k); }

    /** The field's name in C: {@code s3} (the array of slot 3), {@code d2} (the data of slot 2), {@code st0}, {@code ctl}. */
    public String field() { return kind.indexed() ? kind.stem + index : kind.stem; }

    /** Its declaration in {@code nnc_args}, without the semicolon: {@code const real* d2}. */
    public String declaration() { return kind.type + " " + field(); }

    private static final Pattern FIELD = Pattern.compile("([a-z]+?)(0|[1-9][0-9]*)?");

    /** The argument a plan names by its {@link #field}, what a slot's array holds read from the layout. */
    public static Argument parse(String field, Layout layout) {
        var m = FIELD.matcher(field);
        if (!m.matches()) throw new IllegalStateException("internal: no kernel argument is called " + field);
        String stem = m.group(1);
        int index = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
        Argument a = null;
        if (index >= 0 && stem.equals("s") && index < layout.slots().size()) a = array(index, layout.slots().get(index).kind());
        else if (index >= 0 && stem.equals("d")) a = data(index);
        else if (index >= 0 && stem.equals("st")) a = state(index);
        else if (index < 0) {
            for (Kind k : Kind.values()) if (!k.indexed() && k.stem.equals(stem)) a = new Argument(k);
        }
        if (a == null || !a.field().equals(field)) throw new IllegalStateException("internal: no kernel argument is called " + field);
        return a;
    }
}
