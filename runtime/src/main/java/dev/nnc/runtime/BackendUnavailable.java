package dev.nnc.runtime;

/**
 * A backend that cannot run on this machine (the CUDA backend without an NVIDIA driver or GPU), with why in one
 * line. Not a bug and not the user's program: the command says so and the other backends still work.
 */
public class BackendUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1;

    public BackendUnavailable(String why) { super(why, null, false, false); }
}
