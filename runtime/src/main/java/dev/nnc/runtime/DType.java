package dev.nnc.runtime;

/** Element types as safetensors names them. */
public enum DType {
    F32(4), F64(8);

    public final int bytes;

    DType(int bytes) { this.bytes = bytes; }
}
