#!/usr/bin/env bash
# Builds the tests' stand-in for a GPU into DIR (default tests/target/hostcuda): libcuda.so.1, the driver API on the
# host (fake_cuda.cpp); libcublas.so.13, its sgemm and dgemm (fake_cublas.cpp); and empty libcudart.so.13 and
# libcublasLt.so.13 that satisfy the JNI bindings' links to libraries whose functions nnc never calls. The tests run with DIR on LD_LIBRARY_PATH; without g++ they say so and skip.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../../../target/hostcuda}"
mkdir -p "$out"
if ! command -v g++ >/dev/null 2>&1; then
  echo "hostcuda: g++ is not installed; the tests of the CUDA backend on the host emulation will be skipped" >&2
  rm -f "$out/libcuda.so.1"
  exit 0
fi
cp "$here/nnc_host.h" "$out/nnc_host.h"
g++ -std=c++17 -O1 -fPIC -shared -Wall -Werror -Wl,-soname,libcuda.so.1 -o "$out/libcuda.so.1.tmp" "$here/fake_cuda.cpp" -ldl
mv -f "$out/libcuda.so.1.tmp" "$out/libcuda.so.1"
printf 'libcudart.so.13 { global: nnc_stub_cudart; local: *; };\n' >"$out/cudart.map"
printf 'int nnc_stub_cudart(void) { return 0; }\n' >"$out/cudart.c"
gcc -O1 -fPIC -shared -Wl,-soname,libcudart.so.13 -Wl,--version-script="$out/cudart.map" -o "$out/libcudart.so.13" "$out/cudart.c"
rm -f "$out/cudart.map" "$out/cudart.c"
# cuBLAS's sgemm and dgemm on the same streams (the bindings ask for the symbols in version libcublas.so.13), and an
# empty libcublasLt.so.13 the bindings link against too
printf 'libcublas.so.13 { global: cublas*; local: *; };\n' >"$out/cublas.map"
g++ -std=c++17 -O1 -fPIC -shared -Wall -Werror -Wl,-soname,libcublas.so.13 -Wl,--version-script="$out/cublas.map" \
  -o "$out/libcublas.so.13" "$here/fake_cublas.cpp" -L"$out" -l:libcuda.so.1 -Wl,-rpath,'$ORIGIN'
printf 'libcublasLt.so.13 { global: nnc_stub_cublaslt; local: *; };\n' >"$out/cublaslt.map"
printf 'int nnc_stub_cublaslt(void) { return 0; }\n' >"$out/cublaslt.c"
gcc -O1 -fPIC -shared -Wl,-soname,libcublasLt.so.13 -Wl,--version-script="$out/cublaslt.map" -o "$out/libcublasLt.so.13" "$out/cublaslt.c"
rm -f "$out/cublas.map" "$out/cublaslt.map" "$out/cublaslt.c"
# a driver that finds no GPU, as the real one does on a machine without one (CUDA_ERROR_NO_DEVICE)
mkdir -p "$out/nodevice"
printf 'int cuInit(unsigned flags) { (void) flags; return 100; }\n' >"$out/nodevice/cuda.c"
gcc -O1 -fPIC -shared -Wl,-soname,libcuda.so.1 -o "$out/nodevice/libcuda.so.1" "$out/nodevice/cuda.c"
cp "$out/libcudart.so.13" "$out/nodevice/"
rm -f "$out/nodevice/cuda.c"
