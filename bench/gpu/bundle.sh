#!/usr/bin/env bash
# Builds what bench/gpu/run.sh needs on a GPU machine that has no JDK and no Maven, as one file,
# bench/gpu/target/bundle.tgz:
#   jre/        a Java runtime made by jlink (java.base, jdk.unsupported, java.logging, java.management,
#               jdk.incubator.vector), about 45 MB unpacked
#   lib/        nnc.jar, the tests' classes (tests.jar), the benchmark harness (bench.jar), JUnit's console launcher
#   data/       Fashion-MNIST's four files, when they are installed here (scripts/install-deps.sh), for the GPU test
#               that trains samples/mlp.nn to its test accuracy
# Usage: bench/gpu/bundle.sh [--no-build] [--no-data]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
build=1 data=1
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --no-data) data=0 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bundle.sh: unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done

source "$root/scripts/find-java.sh"
find_java 21 || { echo "bundle.sh: needs a JDK >= 21" >&2; exit 2; }
jdk="$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")"
[[ -x "$jdk/bin/jlink" ]] || { echo "bundle.sh: $jdk has no jlink" >&2; exit 2; }

if [[ "$build" == 1 ]]; then
  mvn -q -B -Dstyle.color=never -DskipTests install -pl compiler,bench -am
  mvn -q -B -Dstyle.color=never -DskipTests test-compile -pl tests
fi
out="$root/bench/gpu/target"
rm -rf "$out/bundle" "$out/bundle.tgz"
mkdir -p "$out/bundle/lib" "$out/bundle/data"

"$jdk/bin/jlink" --add-modules java.base,jdk.unsupported,java.logging,java.management,jdk.incubator.vector \
  --strip-debug --no-header-files --no-man-pages --output "$out/bundle/jre" 2> >(grep -v 'Using incubator modules' >&2)
cp compiler/target/nnc.jar "$out/bundle/lib/nnc.jar"
"$jdk/bin/jar" cf "$out/bundle/lib/tests.jar" -C tests/target/test-classes .
"$jdk/bin/jar" cf "$out/bundle/lib/bench.jar" -C bench/target/classes .
junit=1.11.4
jar="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/$junit/junit-platform-console-standalone-$junit.jar"
if [[ ! -f "$jar" ]]; then
  mvn -q -B -Dstyle.color=never dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit"
fi
cp "$jar" "$out/bundle/lib/junit-console.jar"

fashion="${NNC_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
if [[ "$data" == 1 && -f "$fashion/train-images-idx3-ubyte.gz" ]]; then
  cp "$fashion"/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz "$out/bundle/data/"
else
  echo "bundle.sh: no Fashion-MNIST in $fashion (scripts/install-deps.sh installs it): the GPU test that trains on it will be skipped" >&2
fi

tar -C "$out" -czf "$out/bundle.tgz" bundle
size=$(stat -c %s "$out/bundle.tgz")
echo "bench/gpu/target/bundle.tgz: $((size / 1024 / 1024)) MB (unpacked: $(du -sh "$out/bundle" | cut -f1))"
