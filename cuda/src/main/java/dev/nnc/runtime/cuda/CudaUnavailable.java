package dev.nnc.runtime.cuda;

/** Why CUDA cannot run in this process (no driver, no device, a driver too old), in one line for the user. */
public final class CudaUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1;

    public CudaUnavailable(String why) { super(why, null, false, false); }
}
