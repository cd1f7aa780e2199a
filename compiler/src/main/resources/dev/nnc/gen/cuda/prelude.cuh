// ─── nnc's CUDA prelude: what every generated translation unit shares (after `typedef … real;`) ─────────────
#ifndef __CUDACC_RTC__
#include <math.h>
#else
// NVRTC has the math functions built in but not math.h's macros
#define INFINITY __int_as_float(0x7f800000)
#define NAN __int_as_float(0x7fffffff)
#endif

// What changes from one training step to the next lives in device memory, not in kernel arguments, so that one
// captured launch sequence (a CUDA graph) serves every step of a run. Every field is 8 bytes wide: the runtime
// reads and writes the block as an array of them.
// struct nnc_ctl: printed here from dev.nnc.runtime.cuda.ControlBlock, the one definition of its layout

// max and min as Java and the reference interpreter define them: NaN if either is, and −0 < +0
__device__ __forceinline__ real nnc_max(real a, real b) {
    if (a != a || b != b) return a + b;
    if (a == b) return signbit(a) ? b : a;
    return a > b ? a : b;
}

__device__ __forceinline__ real nnc_min(real a, real b) {
    if (a != a || b != b) return a + b;
    if (a == b) return signbit(a) ? a : b;
    return a < b ? a : b;
}

// floor(x / y) for y > 0 (C's / truncates toward 0)
__device__ __forceinline__ int nnc_floordiv(int x, int y) {
    int q = x / y;
    return q * y > x ? q - 1 : q;
}

__device__ __forceinline__ int nnc_imax(int a, int b) { return a > b ? a : b; }

__device__ __forceinline__ int nnc_imin(int a, int b) { return a < b ? a : b; }

// The values of i a bounds guard 0 <= a*i + rest < size lets through, as the runtime's GeneratedNetwork.lowest and
// highest compute them: where a loop over a solved adjoint's summed variable starts and ends (inclusive)
__device__ __forceinline__ int nnc_lowest(int a, int size, int rest) {
    return a > 0 ? nnc_floordiv(-rest + a - 1, a) : nnc_floordiv(rest - size - a, -a);
}

__device__ __forceinline__ int nnc_highest(int a, int size, int rest) {
    return a > 0 ? nnc_floordiv(size - 1 - rest, a) : nnc_floordiv(rest, -a);
}

// The sum of v over a warp, in lane 0 (every lane of the warp must call it).
__device__ __forceinline__ real nnc_warp_sum(real v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffffu, v, o);
    return v;
}

// The next step of a run: called by the last CUDA block of the step's last kernel, once every block has read the
// control block.
__device__ __forceinline__ void nnc_advance(nnc_ctl* c) {
    c->batch += 1;
    c->t += 1;
    c->from += c->size;
    long long left = c->rows - c->from;
    c->count = left < c->size ? left : c->size;
    c->done = 0;
}

// Whether this CUDA block is the last of the kernel's to get here; every thread of the block must call it, after
// its writes that the last block will read.
__device__ __forceinline__ bool nnc_last_block(nnc_ctl* c) {
    __shared__ int last;
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) last = atomicAdd((unsigned long long*) &c->done, 1ULL) == (unsigned long long) (gridDim.x * gridDim.y - 1);
    __syncthreads();
    if (last) __threadfence();
    return last != 0;
}

// Marks the run as stopped: a loss or gradient was not finite. Only a kernel's last block may: the other blocks
// of a kernel read status when they start and must all see the same.
__device__ __forceinline__ void nnc_stop(nnc_ctl* c) { atomicCAS((unsigned long long*) &c->status, 0ULL, 1ULL); }

// C[i,j] (+)= Σ_p A[i,p]·B[p,j] for i < m, j < n, p < k, a BM×BN tile of C per CUDA block of (BM/TM)·(BN/TN)
// threads, each thread a TM×TN tile of it in registers; A and B go through shared memory in slices of BK. The
// operands are functions of their subscripts (a transposed view, an input read through the batch's order), and
// A_I / B_J say whether consecutive i (j) are consecutive in memory, so that consecutive threads load them.
template <int BM, int BN, int BK, int TM, int TN, bool A_I, bool B_J, class LA, class LB, class SC>
__device__ __forceinline__ void nnc_gemm(const int m, const int n, const int k, LA la, LB lb, SC sc) {
    constexpr int TX = BN / TN, TY = BM / TM, NT = TX * TY;
    __shared__ real As[BK][BM + 1];
    __shared__ real Bs[BK][BN + 1];
    const int tid = threadIdx.x, tx = tid % TX, ty = tid / TX;
    const int i0 = blockIdx.y * BM, j0 = blockIdx.x * BN;
    real acc[TM][TN];
    for (int q = 0; q < TM; q++)
        for (int s = 0; s < TN; s++) acc[q][s] = 0;
    for (int p0 = 0; p0 < k; p0 += BK) {
        for (int e = tid; e < BM * BK; e += NT) {
            const int ii = A_I ? e % BM : e / BK, pp = A_I ? e / BM : e % BK;
            const int i = i0 + ii, p = p0 + pp;
            As[pp][ii] = i < m && p < k ? la(i, p) : (real) 0;
        }
        for (int e = tid; e < BN * BK; e += NT) {
            const int jj = B_J ? e % BN : e / BK, pp = B_J ? e / BN : e % BK;
            const int j = j0 + jj, p = p0 + pp;
            Bs[pp][jj] = j < n && p < k ? lb(p, j) : (real) 0;
        }
        __syncthreads();
#pragma unroll
        for (int pp = 0; pp < BK; pp++) {
            real av[TM], bv[TN];
            for (int q = 0; q < TM; q++) av[q] = As[pp][ty + q * TY];
            for (int s = 0; s < TN; s++) bv[s] = Bs[pp][tx + s * TX];
            for (int q = 0; q < TM; q++)
                for (int s = 0; s < TN; s++) acc[q][s] += av[q] * bv[s];
        }
        __syncthreads();
    }
    for (int q = 0; q < TM; q++) {
        for (int s = 0; s < TN; s++) {
            const int i = i0 + ty + q * TY, j = j0 + tx + s * TX;
            if (i < m && j < n) sc(i, j, acc[q][s]);
        }
    }
}
// ─── end of the prelude ────────────────────────────────────────────────────────────────────────────────────
