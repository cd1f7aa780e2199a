package dev.nnc.runtime.data;

/** The element types of the IDX format: the third byte of the file, and its values' size in bytes (big-endian). */
public enum IdxType {
    UBYTE(0x08, 1, "unsigned bytes"),
    BYTE(0x09, 1, "signed bytes"),
    SHORT(0x0B, 2, "16-bit integers"),
    INT(0x0C, 4, "32-bit integers"),
    FLOAT(0x0D, 4, "32-bit floats"),
    DOUBLE(0x0E, 8, "64-bit floats");

    public final int code;
    public final int bytes;
    /** In words, plural, for messages: "60000 items of 28×28 unsigned bytes". */
    public final String words;

    IdxType(int code, int bytes, String words) {
        this.code = code;
        this.bytes = bytes;
        this.words = words;
    }

    /** The type with this code, or null. */
    public static IdxType of(int code) {
        for (IdxType t : values()) if (t.code == code) return t;
        return null;
    }

    /** Only floating-point values can be NaN or infinite. */
    boolean floating() {
        return this == FLOAT || this == DOUBLE;
    }
}
