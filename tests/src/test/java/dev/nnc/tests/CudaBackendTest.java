package dev.nnc.tests;

/**
 * {@link CudaChecks} on the tests' host emulation of CUDA ({@link HostCuda}): a stand-in libcuda.so.1 and the
 * kernels compiled for the host with g++, so that every machine runs them.
 */
class CudaBackendTest extends CudaChecks {
    @Override String unavailable() { return HostCuda.unavailable(); }

    @Override byte[] image(String source) { return HostCuda.image(source); }
}
