#!/usr/bin/env bash
# Everything GPU-side in one go, on a machine with an NVIDIA GPU, nvcc (CUDA 13) and PyTorch but no JDK, from a
# clone of this repository with bench/gpu/target/bundle.tgz in it (made by bench/gpu/bundle.sh elsewhere):
#   1. the GPU tests (dev.nnc.tests.GpuTest: every sample and the random-network family against the reference
#      interpreter, runs of steps, Fashion-MNIST to its test accuracy, a CUDA model jar), through JUnit's console;
#   2. training throughput side by side with PyTorch on the same GPU: nnc (with and without CUDA graphs, its matrix
#      products by the generated tiled kernels or by cuBLAS, mid-width layers fused or not) and
#      PyTorch at its best (optimizer implementations, the whole step as a CUDA graph), and its plain eager step;
#   3. samples/mlp.nn trained on Fashion-MNIST end to end (nnc train --backend cuda), timed;
# and prints a table. JSON lines, the tests' report and the logs go to --out.
#
# Usage: bench/gpu/run.sh [--bundle FILE] [--out DIR] [--cases seed:1024,mlp:256] [--seconds S] [--repeats R]
#                         [--skip-tests] [--skip-bench] [--skip-train] [--emulation DIR]
#   --bundle FILE    the bundle (default bench/gpu/target/bundle.tgz)
#   --out DIR        where results go (default bench/gpu/target/results)
#   --cases LIST     NETWORK:BATCH pairs for the throughput (default seed:1024,mlp:256)
#   --seconds S      timed seconds per measurement, after a warm-up of at least 3 s (nnc's: until its JIT is quiet,
#                    at most 8 s: the device's time is short) (default 2)
#   --repeats R      timed repeats; the median is reported (default 5)
#   --emulation DIR  check this script where there is no GPU, on the tests' host emulation of CUDA
#                    (DIR: tests/target/hostcuda, built by mvn verify): slow, and says nothing about speed
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bundle="$root/bench/gpu/target/bundle.tgz" out="$root/bench/gpu/target/results" cases="seed:1024,mlp:256" seconds=2 repeats=5
tests=1 bench=1 train=1 emulation=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bundle) bundle="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --skip-tests) tests=0; shift ;;
    --skip-bench) bench=0; shift ;;
    --skip-train) train=0; shift ;;
    --emulation) emulation="$(cd "$2" && pwd)"; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -f "$bundle" ]] || { echo "run.sh: no $bundle; make it with bench/gpu/bundle.sh on a machine with a JDK" >&2; exit 2; }
mkdir -p "$out"
work="$(mktemp -d /tmp/nnc-gpu.XXXXXX)"
tar -C "$work" -xzf "$bundle"
b="$work/bundle"
java="$b/jre/bin/java"
cp="$b/lib/nnc.jar"
export NNC_FASHION_MNIST="$b/data" NNC_CACHE="$work/cache"
python="${PYTHON:-python3}"
status=0

# The CUDA 13 runtime (libcudart.so.13) and cuBLAS (libcublas.so.13) the JNI bindings link against: the toolkit's,
# or PyTorch's pip packages'.
pip_lib() { "$python" -c "import nvidia.$1 as m, os; print(os.path.join(os.path.dirname(m.__file__), 'lib'))" 2>/dev/null; }
libs=()
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib "$(pip_lib cuda_runtime)" "$(pip_lib cublas)"; do
  [[ -n "$d" ]] && compgen -G "$d/lib*.so.13" >/dev/null && libs+=("$d")
done
jvm=(--enable-native-access=ALL-UNNAMED -Dnnc.root="$root")
if [[ -n "$emulation" ]]; then
  libs=("$emulation")
  jvm+=(-Dnnc.cuda.emulation="$emulation/nnc_host.h")
  echo "run.sh: on the host emulation of CUDA in $emulation: a check of this script, not of a GPU" >&2
fi
if [[ ${#libs[@]} -gt 0 ]]; then
  LD_LIBRARY_PATH="$(IFS=:; echo "${libs[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export LD_LIBRARY_PATH
fi

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader 2>/dev/null || echo "nvidia-smi: none"
  nvcc --version 2>/dev/null | tail -n1 || echo "nvcc: none"
  "$java" -version 2>&1 | head -n1
  "$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null || echo "torch: none"
  echo "LD_LIBRARY_PATH: ${LD_LIBRARY_PATH:-}"
} | tee "$out/machine.txt"

# ─── 1. the GPU tests ──────────────────────────────────────────────────────────────────────────────────
if [[ "$tests" == 1 ]]; then
  echo; echo "== GPU tests (dev.nnc.tests.GpuTest)"
  test_class=dev.nnc.tests.GpuTest
  # on the emulation the same checks run as CudaBackendTest (GpuTest refuses a driver that is not a GPU's)
  [[ -n "$emulation" ]] && test_class=dev.nnc.tests.CudaBackendTest
  "$java" "${jvm[@]}" -Dnnc.hostcuda="${emulation:-/nonexistent}" -cp "$b/lib/junit-console.jar:$b/lib/tests.jar:$cp" \
    org.junit.platform.console.ConsoleLauncher execute --disable-banner --details=tree --select-class "$test_class" \
    >"$out/tests.log" 2>&1
  # what the tests said of the device and the data, every failure, and the counts
  grep -E 'skipped:|GpuTest:|CudaBackendTest:' "$out/tests.log" | sort -u
  grep -E '✘' "$out/tests.log" | head -n 20
  grep -E 'tests (successful|failed|skipped|aborted)' "$out/tests.log" || { tail -n 20 "$out/tests.log"; status=1; }
  grep -qE '\b0 tests failed' "$out/tests.log" || status=1
fi

# ─── 2. throughput side by side with PyTorch ─────────────────────────────────────────────────────────────
results="$out/throughput.jsonl"
if [[ "$bench" == 1 ]]; then
  echo; echo "== training throughput, ${seconds} s x ${repeats} per measurement"
  : >"$results"
  have_torch=1
  "$python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null || have_torch=0
  [[ "$have_torch" == 0 ]] && echo "run.sh: PyTorch with CUDA is not available here; measuring nnc alone" >&2
  for c in ${cases//,/ }; do
    net="${c%%:*}" batch="${c##*:}"
    # CUDA graphs or launches one by one; matrix products by the generated tiled kernels or by cuBLAS; mid-width
    # layers fused into chains or not
    for setting in "true kernels true" "false kernels true" "true cublas true" "true kernels false"; do
      read -r graphs gemm chains <<<"$setting"
      echo "  nnc $net, batch $batch, CUDA graphs $graphs, products by $gemm, chains $chains ..." >&2
      "$java" "${jvm[@]}" -Dnnc.cuda.graphs="$graphs" -Dnnc.cuda.gemm="$gemm" -Dnnc.cuda.chains="$chains" -cp "$b/lib/bench.jar:$cp" \
        dev.nnc.bench.Throughput --file "samples/$net.nn" --case "$net" --backend cuda --batch "$batch" --mode train --threads 1 \
        --seconds "$seconds" --repeats "$repeats" --max-warmup 8 >>"$results" 2>>"$out/bench.log" || { echo "run.sh: nnc's $net:$batch failed (see $out/bench.log)" >&2; status=1; }
    done
    if [[ "$have_torch" == 1 ]]; then
      echo "  PyTorch $net, batch $batch ..." >&2
      "$python" bench/torch_throughput.py --device cuda --threads 1 --case "$net" --batch "$batch" --mode train \
        --seconds "$seconds" --repeats "$repeats" >>"$results" 2>>"$out/bench.log" || { echo "run.sh: PyTorch's $net:$batch failed" >&2; status=1; }
    fi
  done
  "$python" - "$results" <<'PY'
import json, sys
rows, nnc, torch, eager = [], {}, {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["case"], r["batch"])
    if key not in rows:
        rows.append(key)
    if r["tool"] == "nnc":
        if key not in nnc or r["samples_per_s"] > nnc[key]["samples_per_s"]:
            nnc[key] = r
    elif r.get("best"):
        torch[key] = r
    elif r["config"].endswith(("sgd", "adam-foreach")) and "graph" not in r["config"]:
        eager[key] = r  # PyTorch's default step: SGD's for-loop, Adam's foreach
head = ["case", "batch", "nnc samples/s", "nnc setting", "PyTorch best", "its setting", "nnc/best", "PyTorch eager", "nnc/eager"]
table = []
for key in rows:
    n, t, e = nnc.get(key), torch.get(key), eager.get(key)
    f = lambda r: f"{r['samples_per_s']:,.0f}" if r else "-"
    table.append([key[0], str(key[1]), f(n), n["config"] if n else "-", f(t), t["config"] if t else "-",
                  f"{n['samples_per_s'] / t['samples_per_s']:.1f}x" if n and t else "-", f(e),
                  f"{n['samples_per_s'] / e['samples_per_s']:.1f}x" if n and e else "-"])
w = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]
print("  ".join(c.ljust(w[i]) for i, c in enumerate(head)))
print("  ".join("-" * x for x in w))
for r in table:
    print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))
device = next((r.get("device") for r in list(nnc.values()) + list(torch.values()) if r.get("device")), "?")
print(f"device: {device}; every setting measured is in {sys.argv[1]}")
PY
fi

# ─── 3. Fashion-MNIST end to end ──────────────────────────────────────────────────────────────────────────
if [[ "$train" == 1 ]]; then
  echo; echo "== nnc train samples/mlp.nn --backend cuda (Fashion-MNIST, 10 epochs)"
  d="$b/data"
  if [[ -f "$d/train-images-idx3-ubyte.gz" ]]; then
    start=$(date +%s.%N)
    "$java" "${jvm[@]}" -jar "$cp" train samples/mlp.nn --backend cuda -o "$out/mlp.safetensors" \
      --data "$d/train-images-idx3-ubyte.gz,$d/train-labels-idx1-ubyte.gz" --test "$d/t10k-images-idx3-ubyte.gz,$d/t10k-labels-idx1-ubyte.gz" \
      >"$out/train-mlp.log" 2>&1 || status=1
    end=$(date +%s.%N)
    grep -E '^epoch|^test:' "$out/train-mlp.log" | tail -n 4
    echo "the whole command: $(awk "BEGIN { printf \"%.1f\", $end - $start }") s"
  else
    echo "no Fashion-MNIST in the bundle: skipped"
  fi
fi
rm -rf "$work"
echo; echo "results in $out"
exit "$status"
