#!/usr/bin/env bash
# Installs the Debian packages the project's tests and samples need, and the npm packages of the editor grammar's
# test. Idempotent: when everything is already installed it only runs dpkg -s and looks for ide/test/node_modules, so
# it is cheap to call before every test run.
set -euo pipefail

# python3-torch: PyTorch for /usr/bin/python3 (Debian bookworm). The gradient tests compare nnc's symbolically
# derived gradients with PyTorch's autograd (tests/src/test/python/torch_reference.py).
# dataset-fashion-mnist: the Fashion-MNIST IDX files in /usr/share/datasets/fashion-mnist/ (samples/mlp.nn).
# neovim: a real editor for the language server's test (tests/src/test/nvim), with its built-in LSP client.
# openjdk-17-jre-headless: the oldest Java a model jar runs on, which Java17Test runs them with (bookworm's default).
# python3-onnx: ONNX's checker (onnx.checker.check_model), which OnnxExportTest runs on an exported model.
PACKAGES=(python3-torch dataset-fashion-mnist neovim openjdk-17-jre-headless python3-onnx)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  SUDO=()
  [[ "$(id -u)" -ne 0 ]] && SUDO=(sudo)

  install() {
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  }
  # Try without apt-get update first (fast when the package lists are fresh); update only if that fails.
  if ! install; then
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    install
  fi
fi

# The engine VS Code tokenizes with (vscode-textmate, vscode-oniguruma), for the grammar's tests: the versions
# ide/test/package-lock.json pins, from the npm registry; skipped where Node.js is not installed.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if command -v npm >/dev/null 2>&1 && [[ ! -d "$root/ide/test/node_modules/vscode-textmate" ]]; then
  npm ci --prefix "$root/ide/test" --no-audit --no-fund --loglevel=error
fi
