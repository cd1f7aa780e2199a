package dev.nnc.runtime.checkpoint;

/** A weights file that cannot be used: unreadable, not safetensors, or not matching the network. One line. */
public final class CheckpointError extends Exception {
    public CheckpointError(String message) { super(message); }
}
