#!/usr/bin/env bash
# Build step (exec-maven-plugin, process-resources): installs onnxruntime-web exactly as
# src/main/web/package-lock.json pins it (npm ci, no install scripts) into WORK and copies the
# files the web export ships into DEST, a folder on the classpath (the jar carries them).
# npm runs only when WORK does not already hold an install of the same lock file.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$1"
dest="$2"
src="$here/src/main/web"
mkdir -p "$work" "$dest"
dist="$work/node_modules/onnxruntime-web/dist"
if ! cmp -s "$src/package-lock.json" "$work/installed-lock.json" || [ ! -d "$dist" ]; then
  command -v npm >/dev/null \
    || { echo "web-runtime: npm not found; install Node.js and npm (Debian: apt-get install npm)" >&2; exit 1; }
  cp "$src/package.json" "$src/package-lock.json" "$work/"
  (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >&2)
  cp "$src/package-lock.json" "$work/installed-lock.json"
fi
# The WebAssembly build only: its loader, the module glue it imports, and the runtime itself.
for f in ort.wasm.min.js ort-wasm-simd-threaded.mjs ort-wasm-simd-threaded.wasm; do
  cmp -s "$dist/$f" "$dest/$f" || cp "$dist/$f" "$dest/$f"
done
# name, version and licence of what is shipped
cmp -s "$dist/../package.json" "$dest/package.json" || cp "$dist/../package.json" "$dest/package.json"
