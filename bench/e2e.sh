#!/usr/bin/env bash
# End to end, nnc against PyTorch on the CPU: `./nnc train` (what a user runs) and an equivalent PyTorch script
# (bench/torch_train.py: the same network, data files, epochs, batch and optimizer, tensors preloaded, a randperm
# shuffle an epoch), each run as a whole process timed from outside with /usr/bin/time. Prints, per case, both
# sides' time of each epoch (as each prints it), of all the epochs, and of the whole process (start, compile or
# import, data, training, test), both test accuracies, both peak RSS, and the ratios (PyTorch's time / nnc's).
# PyTorch runs in each thread setting asked for, and the table shows its fastest, naming the setting.
#
# The issue's two measurements: bench/e2e.sh (5 epochs of the MLP: compare the epochs) and bench/e2e.sh
# --epochs 3 (compare the whole process); the notes' network runs its 100 epochs in both. Before the clock, nnc runs once untimed (1 epoch of the MLP at batch 64), and the script
# waits for the class cache ./nnc makes in the background on its first run of a computing command, so every timed
# run starts as a user's second run does; PyTorch is imported once untimed too (the files in the page cache).
#
# Usage: bench/e2e.sh [--cases mlp:64,mlp:256,seed:64:100] [--epochs E] [--repeats R] [--torch-threads SPEC]
#                     [--no-build]
#   --cases LIST       NETWORK:BATCH[:EPOCHS]: mlp (samples/mlp.nn on Fashion-MNIST's IDX files) or seed
#                      (samples/seed.nn, the notes' network, on a generated CSV of 100,000 samples, tested on
#                      another of 10,000; both made once by samples/data/make_data.py's rule, in bench/target/)
#                      (default: mlp:64,mlp:256,seed:64:100 — 100 epochs of the notes' network, as the issue timed it)
#   --epochs E         epochs of a case that names none (default 5)
#   --repeats R        timed runs of each side and setting; medians are reported (default 3)
#   --torch-threads S  PyTorch's settings to try, comma-separated, as torch_train.py --threads: default (PyTorch's
#                      own choice), N, or T:B (PyTorch's intra-op threads T, OpenBLAS's B); or all: default, 1,
#                      1:P, P:1, P for P processors (default: 1:P,default — 1:P was PyTorch's best training
#                      at batch 64 and 256 in bench/compare.sh here)
#   --no-build         use compiler/target/nnc.jar as it is (./nnc still builds it when it is missing or stale)
# Environment: PYTHON (default /usr/bin/python3, Debian's python3-torch), OPENBLAS_CORETYPE (default SkylakeX on a
# CPU with AVX-512: Debian's OpenBLAS 0.3.21 does not pick its AVX-512 kernels on this CPU by itself).
# Results: the table, and one JSON line a run in bench/target/e2e-DATE.jsonl.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

cases="mlp:64,mlp:256,seed:64:100" epochs=5 repeats=3 torch_threads="" build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --epochs) epochs="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --torch-threads) torch_threads="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "e2e.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
p="$(nproc)"
case "$torch_threads" in
  "") torch_threads="1:$p,default" ;;
  all) torch_threads="default,1,1:$p,$p:1,$p" ;;
esac

source "$root/scripts/find-java.sh"
find_java 21 || { echo "e2e.sh: needs a JDK >= 21" >&2; exit 2; }
python="${PYTHON:-/usr/bin/python3}"
[[ -x /usr/bin/time ]] || { echo "e2e.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
"$python" -c 'import torch' 2>/dev/null || { echo "e2e.sh: $python cannot import torch (apt-get install python3-torch)" >&2; exit 2; }
if [[ "$build" == 1 ]]; then
  # Maven runs on JAVA_HOME: make it the JDK found, the project needs release 21.
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")" \
    mvn -q -B -Dstyle.color=never -DskipTests -pl compiler -am package
fi
if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi

fmnist=/usr/share/datasets/fashion-mnist
mlp_data="$fmnist/train-images-idx3-ubyte.gz,$fmnist/train-labels-idx1-ubyte.gz"
mlp_test="$fmnist/t10k-images-idx3-ubyte.gz,$fmnist/t10k-labels-idx1-ubyte.gz"
seed_data=bench/target/e2e-data/seed-100000.csv
seed_test=bench/target/e2e-data/seed-test-10000.csv
mkdir -p bench/target/e2e-data
if [[ ! -f "$seed_data" || ! -f "$seed_test" ]]; then
  "$python" - "$seed_data" "$seed_test" <<'EOF'
import random, sys
sys.path.insert(0, "samples/data")
from make_data import seed_rows  # seed.csv's rule, drawn larger; fixed seeds, so the same bytes every time
for path, count, seed in ((sys.argv[1], 100_000, 1), (sys.argv[2], 10_000, 2)):
    with open(path, "w", newline="\n", encoding="ascii") as f:
        f.write("x1,x2,x3,y\n")
        f.writelines(",".join(row) + "\n" for row in seed_rows(random.Random(seed), count))
EOF
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Untimed: nnc's first run (its class cache is made in the background meanwhile), then the wait for that cache.
echo "e2e.sh: an untimed nnc run first, and its class cache ..." >&2
./nnc train samples/mlp.nn --data "$mlp_data" --test "$mlp_test" --epochs 1 --batch 64 -o "$tmp/warmup.safetensors" \
  >"$tmp/warmup.out" || { cat "$tmp/warmup.out" >&2; exit 1; }
cache="compiler/target/nnc.jar.compute.aot" # the launcher's name for it; JDK 25 and later, unless NNC_NO_CACHE=1
if [[ "$JAVA_VERSION" -ge 25 && "${NNC_NO_CACHE:-}" != 1 ]]; then
  for _ in $(seq 300); do [[ -f "$cache" ]] && break; sleep 1; done
  [[ -f "$cache" ]] || echo "e2e.sh: warning: no $cache after 5 minutes; nnc's runs start without it" >&2
fi
"$python" -c 'import torch' # untimed, so that both sides start with their files in the page cache

results="bench/target/e2e-$(date +%Y%m%d-%H%M%S).jsonl"
echo "e2e.sh: nnc ($("$JAVA_BIN" -version 2>&1 | head -n1)) vs PyTorch ($torch_threads), $repeats run(s) each; JSON lines in $results" >&2
# timed TOOL CASE BATCH EPOCHS SETTING REPEAT COMMAND…: runs the command under /usr/bin/time, records it
timed() {
  local tool="$1" net="$2" batch="$3" n="$4" setting="$5" repeat="$6"; shift 6
  if ! /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"; then
    cat "$tmp/out" "$tmp/err" >&2
    echo "e2e.sh: $tool failed: $*" >&2
    exit 1
  fi
  "$python" bench/e2e_report.py record --tool "$tool" --case "$net" --batch "$batch" --epochs "$n" --setting "$setting" \
    --repeat "$repeat" --stdout "$tmp/out" --time "$tmp/time" >>"$results" || { cat "$tmp/out" >&2; exit 1; }
}
for c in ${cases//,/ }; do
  IFS=: read -r net batch n <<<"$c"
  n="${n:-$epochs}"
  case "$net" in
    mlp) data="$mlp_data" test="$mlp_test" ;;
    seed) data="$seed_data" test="$seed_test" ;;
    *) echo "e2e.sh: no case $net (mlp or seed)" >&2; exit 2 ;;
  esac
  for r in $(seq "$repeats"); do
    echo "  $net, batch $batch, $n epoch(s), run $r of $repeats ..." >&2
    # --split 1: all of the data trains (seed.nn's train block holds a fifth out for validation)
    timed nnc "$net" "$batch" "$n" jvm "$r" ./nnc train "samples/$net.nn" --data "$data" --test "$test" --split 1 \
      --epochs "$n" --batch "$batch" -o "$tmp/weights.safetensors"
    for s in ${torch_threads//,/ }; do
      timed pytorch "$net" "$batch" "$n" "$s" "$r" "$python" bench/torch_train.py --case "$net" --threads "$s" \
        --data "$data" --test "$test" --epochs "$n" --batch "$batch"
    done
  done
done
"$python" bench/e2e_report.py table "$results"
# the machine, which the ratios hold for: the same tools on another CPU give other ratios
echo "CPU: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) processors, $(grep -m1 '^cpu MHz' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') MHz"
