// nnc_host.h — CUDA C as nnc generates it, compiled for the host with g++ (`g++ -DNNC_HOST -include nnc_host.h
// -x c++ kernels.cu`): the tests' stand-in for a GPU, so that the generated kernels and the runtime that launches
// them are checked against the reference interpreter on machines without one.
//
// A kernel launch runs the grid's blocks one after another, the last first. The threads of a block are fibers on one OS thread,
// each with its own stack: a thread runs until it reaches a barrier (__syncthreads, or a warp shuffle, which
// is two barriers here), then the next thread runs, so every thread of the block is at the barrier before any
// goes on — the guarantee CUDA gives. __shared__ variables become statics, which all threads of the running block
// see; blocks never overlap, so that is all the sharing CUDA has. Atomics are plain read-modify-writes: nothing
// else runs meanwhile.
//
// What this cannot show: races between blocks or warps (everything here is sequential), and float results to the
// last bit (the host's exp and log are not CUDA's).
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <math.h>
#include <sys/mman.h>
#include <ucontext.h>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __constant__
#define __launch_bounds__(...)

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

namespace nnc_host {
inline dim3 threadIdx_, blockIdx_, blockDim_, gridDim_;

struct Fiber {
    ucontext_t start;
    jmp_buf at, home;
    char* stack = nullptr;
    bool made = false, started = false, done = false;
};

constexpr size_t STACK = 256 * 1024;
constexpr unsigned MAX_THREADS = 1024;

inline Fiber fibers[MAX_THREADS];
inline jmp_buf scheduler;
inline Fiber* current = nullptr;
inline void (*body)(const void*) = nullptr;
inline const void* args = nullptr;

// Back to the scheduler, to be resumed after every other thread of the block has had its turn.
inline void yield() {
    if (_setjmp(current->at) == 0) _longjmp(scheduler, 1);
}

// A fiber's stack is made once (swapcontext costs two system calls, for the signal mask); each later block's thread in
// that slot starts at home, a point in this frame, which never returns.
inline void fiber_main() {
    Fiber* const me = current;
    _setjmp(me->home);
    body(args);
    current->done = true;
    _longjmp(scheduler, 1);
}

inline void set_thread(unsigned t) {
    threadIdx_.x = t % blockDim_.x;
    threadIdx_.y = t / blockDim_.x % blockDim_.y;
    threadIdx_.z = t / (blockDim_.x * blockDim_.y);
}

// Runs one block: every thread until it finishes, a barrier at a time.
inline void run_block(unsigned threads) {
    for (unsigned t = 0; t < threads; t++) {
        Fiber& f = fibers[t];
        if (!f.stack) {
            void* m = mmap(nullptr, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (m == MAP_FAILED) abort();
            f.stack = static_cast<char*>(m);
        }
        f.started = false;
        f.done = false;
    }
    for (bool live = true; live;) {
        live = false;
        for (unsigned t = 0; t < threads; t++) {
            Fiber& f = fibers[t];
            if (f.done) continue;
            current = &f;
            set_thread(t);
            if (_setjmp(scheduler) == 0) {
                if (!f.started && f.made) {
                    f.started = true;
                    _longjmp(f.home, 1);
                } else if (!f.started) {
                    f.started = f.made = true;
                    ucontext_t here;
                    getcontext(&f.start);
                    f.start.uc_stack.ss_sp = f.stack;
                    f.start.uc_stack.ss_size = STACK;
                    f.start.uc_link = nullptr;
                    makecontext(&f.start, fiber_main, 0);
                    swapcontext(&here, &f.start);
                } else {
                    _longjmp(f.at, 1);
                }
            }
            if (!f.done) live = true;
        }
    }
}

// The whole grid, block after block; returns 0 (CUDA_SUCCESS) or 1 (CUDA_ERROR_INVALID_VALUE).
inline int launch(void (*kernel)(const void*), const void* a, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                  unsigned by, unsigned bz) {
    unsigned threads = bx * by * bz;
    if (threads == 0 || threads > MAX_THREADS || gx == 0 || gy == 0 || gz == 0) return 1;
    body = kernel;
    args = a;
    blockDim_ = dim3{bx, by, bz};
    gridDim_ = dim3{gx, gy, gz};
    // the last block first: code that counts on block 0 running before the others (CUDA promises no order) fails here
    for (unsigned z = gz; z-- > 0;)
        for (unsigned y = gy; y-- > 0;)
            for (unsigned x = gx; x-- > 0;) {
                blockIdx_ = dim3{x, y, z};
                run_block(threads);
            }
    return 0;
}

template <class T> inline T exchange_[MAX_THREADS];

inline unsigned linear_thread() { return threadIdx_.x + blockDim_.x * (threadIdx_.y + blockDim_.y * threadIdx_.z); }
}  // namespace nnc_host

#define threadIdx nnc_host::threadIdx_
#define blockIdx nnc_host::blockIdx_
#define blockDim nnc_host::blockDim_
#define gridDim nnc_host::gridDim_

inline void __syncthreads() { nnc_host::yield(); }
inline void __threadfence() {}

// Every thread of the block must call it (nnc's generated code does): a barrier to publish, one to read.
template <class T> inline T __shfl_down_sync(unsigned, T v, unsigned delta) {
    unsigned t = nnc_host::linear_thread();
    nnc_host::exchange_<T>[t] = v;
    nnc_host::yield();
    T out = (t % 32) + delta < 32 && t + delta < nnc_host::blockDim_.x * nnc_host::blockDim_.y * nnc_host::blockDim_.z
                ? nnc_host::exchange_<T>[t + delta]
                : v;
    nnc_host::yield();
    return out;
}

template <class T> inline T __ldcg(const T* p) { return *p; }

template <class T> inline T atomicAdd(T* p, T v) {
    T old = *p;
    *p = old + v;
    return old;
}

inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long compare, unsigned long long v) {
    unsigned long long old = *p;
    if (old == compare) *p = v;
    return old;
}

// One exported entry per kernel, called by the tests' stand-in driver (libcuda.so.1) for cuLaunchKernel.
// The module is built with hidden visibility, so that its kernels (step, finish, …) bind to themselves and not to
// a function of the same name elsewhere in the process (glibc has a step); only these entries are exported.
#define NNC_HOST_EXPORT extern "C" __attribute__((visibility("default")))

#define NNC_HOST_KERNEL(name)                                                                                   \
    NNC_HOST_EXPORT int nnc_host_##name(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,  \
                                   void** params) {                                                              \
        return nnc_host::launch([](const void* a) { name(*static_cast<const nnc_args*>(a)); }, params[0], gx, gy,  \
                                gz, bx, by, bz);                                                                 \
    }

// The size of the one argument, which a captured launch keeps a copy of.
#define NNC_HOST_ARGS NNC_HOST_EXPORT size_t nnc_host_args_size() { return sizeof(nnc_args); }
