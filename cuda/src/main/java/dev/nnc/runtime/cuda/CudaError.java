package dev.nnc.runtime.cuda;

import static org.bytedeco.cuda.global.cudart.*;

import dev.nnc.runtime.DeviceFailure;

/** A CUDA call that failed: what nnc was doing, and the driver's name and words for the error. */
public final class CudaError extends DeviceFailure {
    private static final long serialVersionUID = 1;

    /** The driver's status code (a {@code CUresult}). */
    public final int status;

    public CudaError(String message, int status) {
        super(message, bug(status));
        this.status = status;
    }

    /** The errors a kernel or a launch nnc generated can cause, and nothing on the user's side. */
    private static boolean bug(int status) {
        return status == CUDA_ERROR_ILLEGAL_ADDRESS || status == CUDA_ERROR_LAUNCH_FAILED || status == CUDA_ERROR_ILLEGAL_INSTRUCTION
                || status == CUDA_ERROR_MISALIGNED_ADDRESS || status == CUDA_ERROR_INVALID_ADDRESS_SPACE || status == CUDA_ERROR_INVALID_PC
                || status == CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES || status == CUDA_ERROR_INVALID_VALUE || status == CUDA_ERROR_INVALID_HANDLE
                || status == CUDA_ERROR_NOT_FOUND;
    }
}
