// fake_cublas.cpp — the part of cuBLAS nnc's runtime calls (sgemm and dgemm, column-major, as cuBLAS defines them),
// on the host: built as libcublas.so.13 for the tests, linked against the stand-in driver (fake_cuda.cpp), whose
// streams its products go on, captured into graphs like kernel launches. Arguments are checked as cuBLAS checks
// them (CUBLAS_STATUS_INVALID_VALUE), so that a wrong leading dimension fails here as it would on a GPU.
#include <cstddef>
#include <functional>

extern "C" int nnc_host_enqueue(void* stream, std::function<int()>* work);

namespace {
enum : int { SUCCESS = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 7 };
enum : int { OP_N = 0, OP_T = 1 };

struct Handle {
    void* stream = nullptr;
};

template <class T>
int gemm(Handle* h, int ta, int tb, int m, int n, int k, const T* alpha, const T* a, int lda, const T* b, int ldb, const T* beta,
         T* c, int ldc) {
    if (!h) return NOT_INITIALIZED;
    if ((ta != OP_N && ta != OP_T) || (tb != OP_N && tb != OP_T) || m < 0 || n < 0 || k < 0) return INVALID_VALUE;
    int rowsA = ta == OP_N ? m : k, rowsB = tb == OP_N ? k : n;
    if (lda < (rowsA > 1 ? rowsA : 1) || ldb < (rowsB > 1 ? rowsB : 1) || ldc < (m > 1 ? m : 1)) return INVALID_VALUE;
    T al = *alpha, be = *beta;  // host pointer mode: the scalars are read at the call
    std::function<int()> work = [=]() {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                T s = 0;
                for (int p = 0; p < k; p++) {
                    T x = ta == OP_N ? a[i + (size_t) p * lda] : a[p + (size_t) i * lda];
                    T y = tb == OP_N ? b[p + (size_t) j * ldb] : b[j + (size_t) p * ldb];
                    s += x * y;
                }
                T& out = c[i + (size_t) j * ldc];
                out = be == 0 ? al * s : al * s + be * out;  // β = 0: C is not read, as cuBLAS says
            }
        }
        return 0;
    };
    return nnc_host_enqueue(h->stream, &work) == 0 ? SUCCESS : INVALID_VALUE;
}
}  // namespace

extern "C" {
int cublasCreate_v2(void** handle) {
    *handle = new Handle();
    return SUCCESS;
}

int cublasDestroy_v2(void* handle) {
    delete static_cast<Handle*>(handle);
    return SUCCESS;
}

int cublasSetStream_v2(void* handle, void* stream) {
    static_cast<Handle*>(handle)->stream = stream;
    return SUCCESS;
}

int cublasSetWorkspace_v2(void*, void*, size_t) { return SUCCESS; }
int cublasSetMathMode(void*, int) { return SUCCESS; }

const char* cublasGetStatusName(int s) { return s == INVALID_VALUE ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_NOT_INITIALIZED"; }
const char* cublasGetStatusString(int s) { return s == INVALID_VALUE ? "an invalid numeric value was used as an argument" : "the library was not initialized"; }

int cublasSgemm_v2(void* h, int ta, int tb, int m, int n, int k, const float* alpha, const float* a, int lda, const float* b, int ldb,
                   const float* beta, float* c, int ldc) {
    return gemm(static_cast<Handle*>(h), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

int cublasDgemm_v2(void* h, int ta, int tb, int m, int n, int k, const double* alpha, const double* a, int lda, const double* b,
                   int ldb, const double* beta, double* c, int ldc) {
    return gemm(static_cast<Handle*>(h), ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
}
