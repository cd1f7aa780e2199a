# Sourced by the repository's scripts. find_java MIN sets JAVA_BIN and JAVA_VERSION to the first java of at
# least version MIN among NNC_JAVA_HOME, JAVA_HOME, the java on PATH and the usual install places (newest
# names first); it returns 1 if there is none. Each probe starts a JVM, so it stops at the first that fits.
java_spec_version() { # the feature version of a java binary, e.g. 25
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

find_java() {
  local min="${1:-21}" candidates=() d c v
  [[ -n "${NNC_JAVA_HOME:-}" ]] && candidates+=("$NNC_JAVA_HOME/bin/java")
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  while IFS= read -r d; do
    [[ -x "$d/bin/java" ]] && candidates+=("$d/bin/java")
  done < <(ls -d /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
                 "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home 2>/dev/null | sort -rV)
  for c in "${candidates[@]}"; do
    v="$(java_spec_version "$c")"
    if [[ -n "$v" && "$v" -ge "$min" ]]; then
      JAVA_BIN="$c"
      JAVA_VERSION="$v"
      return 0
    fi
  done
  return 1
}
