package dev.nnc.runtime.checkpoint;

/** A weights file that cannot be used: unreadable, not safetensors, or not matching the network. One line. */
public final class CheckpointError extends Exception {
    public CheckpointError(String message) {
        // one line, whatever a file held: a tensor's name or a metadata value may contain line breaks
        super(message.replace("\r", "\\r").replace("\n", "\\n"));
    }
}
