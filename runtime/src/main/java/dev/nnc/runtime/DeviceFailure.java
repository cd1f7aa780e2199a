package dev.nnc.runtime;

/**
 * A device that failed while a backend used it (a GPU out of memory, kernels built for another GPU). Commands
 * report it in one line; one that can only come from wrong generated code ({@link #bug}) is an internal error.
 */
public class DeviceFailure extends RuntimeException {
    private static final long serialVersionUID = 1;

    private final boolean bug;

    public DeviceFailure(String message, boolean bug) {
        super(message);
        this.bug = bug;
    }

    /** Whether only a bug in nnc can cause it (an illegal address in a kernel, a launch the kernel cannot take). */
    public boolean bug() { return bug; }
}
