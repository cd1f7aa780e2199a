#!/usr/bin/env bash
# Diagnostics latency of `nnc lsp` as an editor sees it: the server started by the launcher (./nnc lsp), each sample
# opened cold and then edited 300 times, each edit timed until its diagnostics arrive (dev.nnc.bench.LspLatency).
# Usage: bench/lsp-latency.sh [--edits N]      Results: docs/benchmarks.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
source "$root/scripts/find-java.sh"
find_java 21 || { echo "needs a JDK >= 21" >&2; exit 2; }
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
./nnc check -q samples/mlp.nn >/dev/null   # builds nnc.jar if needed, and the launcher's class cache
sleep 2                                    # the cache is written in the background
for f in samples/*.nn; do
  "$JAVA_BIN" -cp bench/target/benchmarks.jar dev.nnc.bench.LspLatency --file "$f" "$@" -- "$root/nnc" lsp
done
