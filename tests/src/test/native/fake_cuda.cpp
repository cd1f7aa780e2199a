// fake_cuda.cpp — the part of the CUDA driver API nnc's runtime calls, on the host: built as libcuda.so.1 for the
// tests, so that the runtime's real JavaCPP calls (contexts, memory, modules, launches, streams, graphs) run on
// machines without a GPU. "Device memory" is host memory; a module is a shared object compiled from nnc's CUDA C
// with nnc_host.h, named by the image `NNCHOST:/path/to/module.so`; a launch calls the module's entry for the
// kernel, which runs the grid (see nnc_host.h). Work on a stream runs at once, except while the stream is being
// captured into a graph, when launches are recorded and replayed by cuGraphLaunch. The stand-in cuBLAS
// (fake_cublas.cpp, libcublas.so.13) puts its products on streams the same way.
//
// New allocations are filled with 0xFF bytes, a NaN in float and double, so that a kernel reading memory nothing
// wrote shows up in the results.
#include <dlfcn.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

enum : int {
    SUCCESS = 0,
    INVALID_VALUE = 1,
    OUT_OF_MEMORY = 2,
    NOT_INITIALIZED = 3,
    INVALID_IMAGE = 200,
    INVALID_HANDLE = 400,
    NOT_FOUND = 500,
    STREAM_CAPTURE_UNSUPPORTED = 900,
};

namespace {
bool initialized = false;
int context_marker = 0;

struct Module {
    void* handle;
    size_t (*args_size)();
};

struct Function {
    Module* module;
    int (*entry)(unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void**);
    std::string name;
};

// Work on a stream: a kernel launch, or a cuBLAS product (fake_cublas.cpp); run at once, or kept by a capture.
typedef std::function<int()> Work;

struct Graph {
    std::vector<Work> work;
};

struct Stream {
    Graph* capture = nullptr;
};

Stream legacy;

Stream* stream_of(void* s) { return s ? static_cast<Stream*>(s) : &legacy; }

int enqueue(void* s, Work w) {
    Stream* st = stream_of(s);
    if (st->capture) {
        st->capture->work.push_back(std::move(w));
        return SUCCESS;
    }
    return w();
}
}  // namespace

// For the stand-in cuBLAS: work on a stream, as this driver runs or captures it.
extern "C" int nnc_host_enqueue(void* stream, std::function<int()>* work) { return enqueue(stream, *work); }

extern "C" {
// ─── initialisation, devices, contexts ──────────────────────────────────────────────────────────────────────

// A marker the tests look for, to know they talk to this stand-in and not to a real driver.
int nnc_host_cuda() { return 1; }

CUresult cuInit(unsigned) {
    initialized = true;
    return SUCCESS;
}

CUresult cuDriverGetVersion(int* v) {
    *v = 13000;
    return SUCCESS;
}

CUresult cuDeviceGetCount(int* n) {
    if (!initialized) return NOT_INITIALIZED;
    *n = 1;
    return SUCCESS;
}

CUresult cuDeviceGet(int* d, int ordinal) {
    if (ordinal != 0) return INVALID_VALUE;
    *d = 0;
    return SUCCESS;
}

CUresult cuDeviceGetName(char* name, int len, int) {
    strncpy(name, "nnc host emulation", len);
    if (len > 0) name[len - 1] = 0;
    return SUCCESS;
}

CUresult cuDeviceGetAttribute(int* v, int attribute, int) {
    switch (attribute) {
        case 75: *v = 9; break;   // compute capability major
        case 76: *v = 0; break;   // minor
        case 16: *v = 2; break;   // multiprocessors
        default: *v = 0;
    }
    return SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t* bytes, int) {
    *bytes = size_t(8) << 30;
    return SUCCESS;
}

CUresult cuDevicePrimaryCtxRetain(void** ctx, int) {
    *ctx = &context_marker;
    return SUCCESS;
}

CUresult cuDevicePrimaryCtxRelease_v2(int) { return SUCCESS; }
CUresult cuCtxSetCurrent(void*) { return SUCCESS; }
CUresult cuCtxSynchronize() { return SUCCESS; }
CUresult cuCtxSynchronize_v2(void*) { return SUCCESS; }

// ─── memory ─────────────────────────────────────────────────────────────────────────────────────────────────

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    void* m = malloc(bytes ? bytes : 1);
    if (!m) return OUT_OF_MEMORY;
    memset(m, 0xFF, bytes);
    *p = reinterpret_cast<CUdeviceptr>(m);
    return SUCCESS;
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    free(reinterpret_cast<void*>(p));
    return SUCCESS;
}

CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t n) {
    memcpy(reinterpret_cast<void*>(dst), src, n);
    return SUCCESS;
}

CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t n) {
    memcpy(dst, reinterpret_cast<void*>(src), n);
    return SUCCESS;
}

CUresult cuMemcpyDtoD_v2(CUdeviceptr dst, CUdeviceptr src, size_t n) {
    memmove(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), n);
    return SUCCESS;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t n, void* s) {
    if (stream_of(s)->capture) return STREAM_CAPTURE_UNSUPPORTED;
    return cuMemcpyHtoD_v2(dst, src, n);
}

CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t n, void* s) {
    if (stream_of(s)->capture) return STREAM_CAPTURE_UNSUPPORTED;
    return cuMemcpyDtoH_v2(dst, src, n);
}

CUresult cuMemsetD8_v2(CUdeviceptr p, unsigned char v, size_t n) {
    memset(reinterpret_cast<void*>(p), v, n);
    return SUCCESS;
}

CUresult cuMemsetD32_v2(CUdeviceptr p, unsigned v, size_t n) {
    unsigned* q = reinterpret_cast<unsigned*>(p);
    for (size_t k = 0; k < n; k++) q[k] = v;
    return SUCCESS;
}

CUresult cuMemsetD8Async(CUdeviceptr p, unsigned char v, size_t n, void* s) {
    if (stream_of(s)->capture) return STREAM_CAPTURE_UNSUPPORTED;
    return cuMemsetD8_v2(p, v, n);
}

// ─── modules and launches ───────────────────────────────────────────────────────────────────────────────────

CUresult cuModuleLoadData(void** module, const void* image) {
    const char* s = static_cast<const char*>(image);
    if (strncmp(s, "NNCHOST:", 8) != 0) return INVALID_IMAGE;  // a real fatbin or cubin: this is no GPU
    void* h = dlopen(s + 8, RTLD_NOW | RTLD_LOCAL);
    if (!h) return INVALID_IMAGE;
    auto size = reinterpret_cast<size_t (*)()>(dlsym(h, "nnc_host_args_size"));
    if (!size) {
        dlclose(h);
        return INVALID_IMAGE;
    }
    *module = new Module{h, size};
    return SUCCESS;
}

CUresult cuModuleUnload(void* module) {
    auto m = static_cast<Module*>(module);
    dlclose(m->handle);
    delete m;
    return SUCCESS;
}

CUresult cuModuleGetFunction(void** f, void* module, const char* name) {
    auto m = static_cast<Module*>(module);
    std::string entry = std::string("nnc_host_") + name;
    void* e = dlsym(m->handle, entry.c_str());
    if (!e) return NOT_FOUND;
    *f = new Function{m, reinterpret_cast<decltype(Function::entry)>(e), name};
    return SUCCESS;
}

CUresult cuLaunchKernel(void* fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, void* s, void** params, void** extra) {
    if (!fn || !params || extra || shared) return INVALID_VALUE;
    auto f = static_cast<Function*>(fn);
    size_t n = f->module->args_size();
    std::vector<unsigned char> args(n);
    memcpy(args.data(), params[0], n);  // arguments are copied at the launch, as CUDA does
    return enqueue(s, [f, gx, gy, gz, bx, by, bz, args]() mutable {
        void* p[1] = {args.data()};
        return f->entry(gx, gy, gz, bx, by, bz, p) ? INVALID_VALUE : SUCCESS;
    });
}

// ─── streams and graphs ─────────────────────────────────────────────────────────────────────────────────────

CUresult cuStreamCreate(void** s, unsigned) {
    *s = new Stream();
    return SUCCESS;
}

CUresult cuStreamDestroy_v2(void* s) {
    delete static_cast<Stream*>(s);
    return SUCCESS;
}

CUresult cuStreamSynchronize(void*) { return SUCCESS; }

CUresult cuStreamBeginCapture_v2(void* s, int) {
    Stream* st = stream_of(s);
    if (st == &legacy || st->capture) return STREAM_CAPTURE_UNSUPPORTED;
    st->capture = new Graph();
    return SUCCESS;
}

CUresult cuStreamEndCapture(void* s, void** graph) {
    Stream* st = stream_of(s);
    if (!st->capture) return INVALID_VALUE;
    *graph = st->capture;
    st->capture = nullptr;
    return SUCCESS;
}

CUresult cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long) {
    *exec = new Graph(*static_cast<Graph*>(graph));
    return SUCCESS;
}

CUresult cuGraphLaunch(void* exec, void* s) {
    if (stream_of(s)->capture) return STREAM_CAPTURE_UNSUPPORTED;
    for (Work& w : static_cast<Graph*>(exec)->work) {
        CUresult r = w();
        if (r != SUCCESS) return r;
    }
    return SUCCESS;
}

CUresult cuGraphExecDestroy(void* exec) {
    delete static_cast<Graph*>(exec);
    return SUCCESS;
}

CUresult cuGraphDestroy(void* graph) {
    delete static_cast<Graph*>(graph);
    return SUCCESS;
}

CUresult cuGetErrorName(CUresult r, const char** s) {
    static const std::map<int, const char*> names = {
        {SUCCESS, "CUDA_SUCCESS"}, {INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE"}, {OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY"},
        {NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED"}, {INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE"},
        {INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE"}, {NOT_FOUND, "CUDA_ERROR_NOT_FOUND"},
        {STREAM_CAPTURE_UNSUPPORTED, "CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED"}};
    auto it = names.find(r);
    if (it == names.end()) return INVALID_VALUE;
    *s = it->second;
    return SUCCESS;
}

CUresult cuGetErrorString(CUresult r, const char** s) {
    if (cuGetErrorName(r, s) != SUCCESS) return INVALID_VALUE;
    return SUCCESS;
}

}
