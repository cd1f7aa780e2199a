#!/usr/bin/env bash
# How the time of whole commands grows with a program's size: programs far larger and deeper than people write,
# generated at sizes n, 2n, 4n, 8n — a sum of n terms, a chain of n equations, n levels of nested calls, a file of
# n equations of 100 characters — each through `nnc check` and `nnc train` (one epoch on three samples), the
# median of a few runs of the whole command, JVM start included. Linear growth shows as a ratio near 2 from one
# size to the next (the first sizes carry the JVM's start, about 0.5 s, and its warm-up).
#
# Usage: bench/scaling.sh [--repeats R] [--kinds sum,chain,calls,file] [--no-build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
repeats=3 kinds="sum,chain,calls,file" build=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --repeats) repeats="$2"; shift 2 ;;
    --kinds) kinds="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "scaling.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
# shellcheck source=scripts/find-java.sh
source "$root/scripts/find-java.sh"
find_java 21 || { echo "scaling.sh: needs a JDK 21 or newer" >&2; exit 2; }
if [[ $build == 1 ]]; then mvn -q -B -DskipTests -pl compiler -am package; fi
jar="$root/compiler/target/nnc.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'x1,x2,y\n1,2,3\n2,3,4\n3,4,5\n' > "$work/data.csv"

generate() { # KIND N FILE
  python3 - "$1" "$2" "$3" <<'PY'
import sys
kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
head = "network N {\n  input x[2]\n  target y\n  param w ~ normal(0, 0.001)\n  param b = 0.25\n"
tail = "  output o\n  loss J = mse(o, y)\n}\n"
if kind == "sum":
    body = "  o = b" + "".join(" + w*x[1]" if k % 2 == 0 else " - w*x[2]" for k in range(n)) + "\n"
elif kind == "chain":
    body = "  a0 = w*x[1] + b\n" + "".join(f"  a{k} = a{k-1} * 0.5 + w*x[2]\n" for k in range(1, n)) + f"  o = a{n-1}\n"
elif kind == "calls":
    body = "  o = " + "tanh(-" * (n // 2) + "(w*x[1] + b)" + ")" * (n // 2) + "\n"
elif kind == "file":
    line = lambda k: f"  a{k} = (a{k-1} + w*x[2]) * 0.5 - tanh(a{k-1} * w) * 0.001 + b * b * 0.25 - 0.0625 * (b + b)\n"
    body = "  a0 = w*x[1] + b\n" + "".join(line(k) for k in range(1, n)) + f"  o = a{n-1}\n"
open(path, "w").write(head + body + tail)
PY
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

timed() { # runs the command REPEATS times; prints the median wall time in seconds
  for _ in $(seq "$repeats"); do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || { echo "scaling.sh: failed: $*" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc
  done | median
}

declare -A base=([sum]=6250 [chain]=1250 [calls]=120 [file]=3125)
declare -A unit=([sum]=terms [chain]=equations [calls]=levels [file]=equations)
printf '%-6s %8s %-10s %9s %6s %9s %6s\n' kind n unit "check s" ratio "train s" ratio
IFS=, read -ra list <<< "$kinds"
for kind in "${list[@]}"; do
  prev_check="" prev_train=""
  for m in 1 2 4 8; do
    n=$(( ${base[$kind]} * m ))
    f="$work/$kind-$n.nn"
    generate "$kind" "$n" "$f"
    c=$(timed "$JAVA_BIN" -jar "$jar" check "$f")
    t=$(timed "$JAVA_BIN" -jar "$jar" train "$f" --data "$work/data.csv" --epochs 1 --quiet -o "$work/w.safetensors")
    rc=$([[ -n $prev_check ]] && echo "scale=2; $c / $prev_check" | bc || echo "")
    rt=$([[ -n $prev_train ]] && echo "scale=2; $t / $prev_train" | bc || echo "")
    size=$(( $(stat -c %s "$f") / 1024 ))
    printf '%-6s %8d %-10s %9.2f %6s %9.2f %6s   (%d KiB)\n' "$kind" "$n" "${unit[$kind]}" "$c" "$rc" "$t" "$rt" "$size"
    prev_check=$c prev_train=$t
  done
done
