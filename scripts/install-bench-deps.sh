#!/usr/bin/env bash
# Installs what bench/compare.sh needs beyond scripts/install-deps.sh: OpenBLAS. Debian's python3-torch links the
# BLAS the system's alternatives choose; without OpenBLAS that is the reference BLAS, about 20 times slower, and a
# comparison with PyTorch would not be fair. Idempotent.
set -euo pipefail
"$(dirname "${BASH_SOURCE[0]}")/install-deps.sh"
dpkg -s libopenblas0-pthread >/dev/null 2>&1 && exit 0
SUDO=()
[[ "$(id -u)" -ne 0 ]] && SUDO=(sudo)
if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libopenblas0-pthread; then
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libopenblas0-pthread
fi
