#!/usr/bin/env bash
# Measures `nnc check` on every sample: cold (first check in a fresh JVM, 20 forks) and warm, with JMH.
# Usage: bench/check-latency.sh [extra JMH options]     Results: docs/benchmarks.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/find-java.sh"
find_java 21 || { echo "needs a JDK >= 21" >&2; exit 2; }
java_bin="$JAVA_BIN"
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
# The JVM flags are the launcher's (./nnc), so cold numbers are what a user of ./nnc sees.
flags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"   # the launcher's (./nnc)
jmh() { "$java_bin" -jar bench/target/benchmarks.jar -p dir="$root/samples" "$@"; }

# 1. A plain fresh JVM per check: no class cache.
jmh 'CheckLatency.cold' -jvmArgs "$flags" -f 20 -wi 0 -i 1 -rf text -rff bench/target/check-cold-plain.txt "$@"

# 2. A fresh JVM with the class cache ./nnc keeps beside its jar (AOT cache on JDK 25+, AppCDS before).
#    The cache is recorded from one in-process run of the same work (JMH -f 0), on the class path the forks use.
cache_args="$flags"
if [[ "$JAVA_VERSION" -ge 25 ]]; then
  rm -f bench/target/check.aot
  "$java_bin" $flags -XX:AOTCacheOutput=bench/target/check.aot -cp bench/target/benchmarks.jar org.openjdk.jmh.Main \
    -p dir="$root/samples" 'CheckLatency.cold' -f 0 -wi 0 -i 1 >/dev/null 2>&1
  cache_args="$flags -XX:AOTCache=$root/bench/target/check.aot -Xlog:aot=off -Xlog:cds=off"
else
  cache_args="$flags -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$root/bench/target/check.jsa -Xlog:cds=off"
  "$java_bin" $cache_args -cp bench/target/benchmarks.jar org.openjdk.jmh.Main \
    -p dir="$root/samples" 'CheckLatency.cold' -f 0 -wi 0 -i 1 >/dev/null 2>&1
fi
jmh 'CheckLatency.cold' -jvmArgs "$cache_args" -f 20 -wi 0 -i 1 -rf text -rff bench/target/check-cold-cached.txt "$@"

# 3. Warm: the steady state of a long-running process (an editor's language server).
jmh 'CheckLatency.warm' -f 2 -wi 3 -w 2s -i 5 -r 2s -rf text -rff bench/target/check-warm.txt "$@"
