package dev.nnc.runtime.cuda;

/** A CUDA call that failed: what nnc was doing, and the driver's name and words for the error. */
public final class CudaError extends RuntimeException {
    private static final long serialVersionUID = 1;

    /** The driver's status code (a {@code CUresult}). */
    public final int status;

    public CudaError(String message, int status) {
        super(message);
        this.status = status;
    }
}
