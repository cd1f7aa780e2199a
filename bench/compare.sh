#!/usr/bin/env bash
# Training and inference throughput, nnc against PyTorch on the CPU, side by side in one run: the same networks
# (samples/seed.nn, samples/mlp.nn, samples/lenet.nn), batch sizes and thread count, synthetic data, the same timed loop
# (dev.nnc.bench.Throughput and bench/torch_throughput.py). PyTorch is tried in several configurations per case
# and its best is reported, with the configuration that won. Results: a table, and JSON lines in bench/target/.
#
# Usage: bench/compare.sh [--backend B] [--cases seed:1,seed:64,mlp:64,mlp:256,lenet:64] [--modes train,infer]
#                         [--seconds S] [--repeats R] [--threads N] [--torch-threads SPEC] [--rounds K] [--quick]
#                         [--no-build]
#   --backend B        nnc's backend (default: $BACKEND, else jvm; falls back to interp while jvm does not exist)
#   --cases LIST       NETWORK:BATCH pairs; NETWORK is a file in samples/ without .nn (default: all four)
#   --modes LIST       train (forward, backward, optimizer step), infer (forward only) (default: both)
#   --seconds S        timed seconds per measurement, after a warm-up of at least 3 s (nnc's: and until its JIT is
#                      quiet, at most 30 s) (default 2)
#   --repeats R        timed repeats; the median is reported (default 5)
#   --threads N        threads for nnc, and the most PyTorch may use (default: the number of processors)
#   --torch-threads S  PyTorch settings to try, as torch_throughput.py --threads (default: every T:B with T, B in {1, N})
#   --rounds K         then K rounds of nnc and PyTorch's best setting in turn, one timed repeat each, and the
#                      median of the rounds' ratios (default 0: none). A machine whose speed drifts over minutes (a
#                      shared host: ±20 % seen) moves both sides of a round alike, but not a sweep of every setting
#                      measured minutes after nnc
#   --quick            --seconds 0.5 --repeats 3: a check that everything runs, not numbers to keep
#   --no-build         use bench/target/benchmarks.jar as it is
# Environment: PYTHON (default /usr/bin/python3, Debian's python3-torch), NNC_BENCH_JAVA_OPTS (extra JVM flags),
# OPENBLAS_CORETYPE (default SkylakeX on a CPU with AVX-512: Debian's OpenBLAS 0.3.21 does not pick its AVX-512
# kernels on this CPU by itself).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

backend="${BACKEND:-jvm}" cases="seed:1,seed:64,mlp:64,mlp:256" modes="train,infer" seconds=2 repeats=5
threads="$(nproc)" torch_threads="" build=1 rounds=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --backend) backend="$2"; shift 2 ;;
    --cases) cases="$2"; shift 2 ;;
    --modes) modes="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --repeats) repeats="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --torch-threads) torch_threads="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --quick) seconds=0.5 repeats=3; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rounds" =~ ^[0-9]+$ ]] || { echo "compare.sh: --rounds takes a whole number of rounds, got '$rounds'" >&2; exit 2; }
if [[ -z "$torch_threads" ]]; then
  torch_threads=1
  [[ "$threads" -gt 1 ]] && torch_threads="1,1:$threads,$threads:1,$threads"
fi

source "$root/scripts/find-java.sh"
find_java 21 || { echo "compare.sh: needs a JDK >= 21" >&2; exit 2; }
java_bin="$JAVA_BIN"
python="${PYTHON:-/usr/bin/python3}"
jar="$root/bench/target/benchmarks.jar"
if [[ "$build" == 1 ]]; then
  # Maven runs on JAVA_HOME: make it the JDK found, the project needs release 21.
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java_bin")")")" \
    mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
fi
[[ -f "$jar" ]] || { echo "compare.sh: no $jar; run without --no-build" >&2; exit 2; }

if [[ -z "${OPENBLAS_CORETYPE:-}" ]] && grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX; fi
have_torch=1
if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "compare.sh: $python cannot import torch (apt-get install python3-torch); measuring nnc alone" >&2
  have_torch=0
fi

# Full JIT (no TieredStopAtLevel), the Vector API, objects on cache lines (as ./nnc runs), and the processor count the
# JVM sizes its pools by.
java_flags=(-XX:ActiveProcessorCount="$threads" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
            -XX:ObjectAlignmentInBytes=64
            ${NNC_BENCH_JAVA_OPTS:-})
nnc() { "$java_bin" "${java_flags[@]}" -cp "$jar" dev.nnc.bench.Throughput --backend "$backend" --threads "$threads" "$@" \
          2> >(grep -v 'Using incubator modules' >&2); }

# A backend that does not exist yet (jvm, while it is written) falls back to the interpreter.
status=0
nnc --file samples/seed.nn --batch 1 --mode infer --seconds 0.01 --repeats 1 >/dev/null 2>&1 || status=$?
if [[ "$status" == 3 && "$backend" != interp ]]; then
  echo "compare.sh: nnc has no backend $backend yet; measuring the interpreter (--backend interp) instead" >&2
  backend=interp
elif [[ "$status" != 0 ]]; then
  echo "compare.sh: the nnc harness fails:" >&2
  nnc --file samples/seed.nn --batch 1 --mode infer --seconds 0.01 --repeats 1 >/dev/null || true
  exit 1
fi

mkdir -p bench/target
results="bench/target/compare-$(date +%Y%m%d-%H%M%S).jsonl"
echo "nnc ($backend backend, $threads threads, $("$java_bin" -version 2>&1 | head -n1)) vs PyTorch; ${seconds} s x ${repeats} per measurement; JSON lines in $results" >&2
echo "CPU: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) processors" >&2
for c in ${cases//,/ }; do
  net="${c%%:*}" batch="${c##*:}"
  [[ -f "samples/$net.nn" ]] || { echo "compare.sh: no samples/$net.nn" >&2; exit 2; }
  for mode in ${modes//,/ }; do
    echo "  $net, batch $batch, $mode ..." >&2
    nnc --file "samples/$net.nn" --case "$net" --batch "$batch" --mode "$mode" --seconds "$seconds" --repeats "$repeats" >>"$results"
    if [[ "$have_torch" == 1 ]]; then
      "$python" bench/torch_throughput.py --case "$net" --batch "$batch" --mode "$mode" --seconds "$seconds" \
        --repeats "$repeats" --threads "$torch_threads" >>"$results"
      if [[ "$rounds" -gt 0 ]]; then
        # PyTorch's best setting, as torch_throughput.py's arguments: "threads=T [blas=B] VARIANT [omp=…] [aten=A]"
        best=$("$python" - "$results" "$net" "$batch" "$mode" <<'BEST'
import json, sys
best = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("best") and (r["case"], str(r["batch"]), r["mode"]) == tuple(sys.argv[2:5]):
        best = r["config"]
words = dict(w.split("=", 1) for w in best.split() if "=" in w)
variant = next(w for w in best.split() if "=" not in w)
print(f"--threads {words['threads']}:{words.get('blas', words['threads'])} --variants {variant} --aten-cpu {words.get('aten', 'default')}")
BEST
)
        echo "  $net, batch $batch, $mode: $rounds rounds of nnc and PyTorch ($best) in turn ..." >&2
        for ((k = 1; k <= rounds; k++)); do
          for side in nnc torch; do
            if [[ "$side" == nnc ]]; then
              nnc --file "samples/$net.nn" --case "$net" --batch "$batch" --mode "$mode" --seconds "$seconds" --repeats 1
            else
              # shellcheck disable=SC2086 # $best is the arguments, word by word
              "$python" bench/torch_throughput.py --case "$net" --batch "$batch" --mode "$mode" --seconds "$seconds" \
                --repeats 1 $best | grep -v '"best": true'
            fi | "$python" -c 'import json, sys
for line in sys.stdin: r = json.loads(line); r["round"] = int(sys.argv[1]); print(json.dumps(r))' "$k" >>"$results"
          done
        done
      fi
    fi
  done
done

# The table: nnc's number, PyTorch's best with the setting that won, and the ratio.
"$python" - "$results" <<'EOF'
import json, sys
import statistics
rows, nnc, torch, configs, rounds = [], {}, {}, {}, {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    key = (r["case"], r["batch"], r["mode"])
    if "round" in r:
        rounds.setdefault(key, {}).setdefault(r["round"], {})[r["tool"]] = r["samples_per_s"]
        continue
    if key not in rows and (r["tool"] == "nnc" or r.get("best")):
        rows.append(key)
    if r["tool"] == "nnc":
        nnc[key] = r
    elif r.get("best"):
        torch[key] = r
    else:
        configs.setdefault(key, []).append(r)
head = ["case", "batch", "mode", "nnc samples/s", "PyTorch samples/s", "PyTorch's best setting", "nnc/PyTorch"]
if rounds:
    head.append("in turn: median (range)")
table = []
for key in rows:
    n, t = nnc.get(key), torch.get(key)
    table.append([key[0], str(key[1]), key[2],
                  f"{n['samples_per_s']:,.0f}" if n else "-",
                  f"{t['samples_per_s']:,.0f}" if t else "-",
                  t["config"] if t else "-",
                  f"{n['samples_per_s'] / t['samples_per_s']:.2f}x" if n and t else "-"])
    if rounds:
        ratios = [r["nnc"] / r["pytorch"] for r in rounds.get(key, {}).values() if "nnc" in r and r.get("pytorch")]
        table[-1].append(f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f}, {len(ratios)} rounds)" if ratios else "-")
w = [max(len(r[i]) for r in [head] + table) for i in range(len(head))]
right = {1, 3, 4, 6}
fmt = lambda r: "  ".join(c.rjust(w[i]) if i in right else c.ljust(w[i]) for i, c in enumerate(r))
backend = next(iter(nnc.values()))["backend"] if nnc else "?"
print(f"nnc backend: {backend}")
print(fmt(head))
print("  ".join("-" * x for x in w))
for r in table:
    print(fmt(r))
if torch:
    t = next(iter(torch.values()))
    print(f"PyTorch {t['torch']}, BLAS {t.get('blas', '?')}, OPENBLAS_CORETYPE={t.get('openblas_coretype') or '(unset)'}; "
          "every PyTorch setting tried is in the JSON lines")
EOF
