package dev.nnc.runtime.cuda;

import dev.nnc.runtime.BackendUnavailable;

/** Why CUDA cannot run in this process (no driver, no device, no compiler), in one line for the user. */
public final class CudaUnavailable extends BackendUnavailable {
    private static final long serialVersionUID = 1;

    public CudaUnavailable(String why) { super(why); }
}
