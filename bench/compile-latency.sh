#!/usr/bin/env bash
# Measures parse-to-loaded-class for the JVM backend on the MLP and the notes' network: cold (one compile in a
# fresh JVM, 20 forks, without and with the class cache ./nnc keeps for the commands that compute) and warm,
# with JMH, under the JVM flags ./nnc uses for nnc train.
# Usage: bench/compile-latency.sh [extra JMH options]     Results: docs/benchmarks.md
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/scripts/find-java.sh"
find_java 21 || { echo "needs a JDK >= 21" >&2; exit 2; }
cd "$root"
mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package
flags="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED"   # the launcher's, for nnc train
jmh() { "$JAVA_BIN" -jar bench/target/benchmarks.jar -p dir="$root/samples" "$@"; }

# 1. A plain fresh JVM per compile.
jmh 'CompileLatency.cold' -jvmArgs "$flags" -f 20 -wi 0 -i 1 -rf text -rff bench/target/compile-cold-plain.txt "$@"

# 2. With the class cache made as ./nnc makes it for train, predict and eval (AOT cache on JDK 25+, AppCDS before).
#    The cache is recorded from one in-process run of the same work (JMH -f 0), on the class path the forks use.
if [[ "$JAVA_VERSION" -ge 25 ]]; then
  rm -f bench/target/compile.aot
  "$JAVA_BIN" $flags -XX:AOTCacheOutput=bench/target/compile.aot -cp bench/target/benchmarks.jar org.openjdk.jmh.Main \
    -p dir="$root/samples" 'CompileLatency.cold' -f 0 -wi 0 -i 1 >/dev/null 2>&1
  cache_args="$flags -XX:AOTCache=$root/bench/target/compile.aot -Xlog:aot=off -Xlog:cds=off"
else
  cache_args="$flags -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$root/bench/target/compile.jsa -Xlog:cds=off"
  "$JAVA_BIN" $cache_args -cp bench/target/benchmarks.jar org.openjdk.jmh.Main \
    -p dir="$root/samples" 'CompileLatency.cold' -f 0 -wi 0 -i 1 >/dev/null 2>&1
fi
jmh 'CompileLatency.cold' -jvmArgs "$cache_args" -f 20 -wi 0 -i 1 -rf text -rff bench/target/compile-cold-cached.txt "$@"

# 3. Warm: the steady state.
jmh 'CompileLatency.warm' -jvmArgs "$flags" -f 1 -wi 5 -i 5 -rf text -rff bench/target/compile-warm.txt "$@"
