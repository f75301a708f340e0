#!/bin/sh
# Runs Renovate itself on a fixture repository with the preset in this
# folder (e2e's TestRenovatePreset): Renovate's local platform, a registry
# on loopback, no other network. Opt-in, not part of go test ./...: it
# installs the renovate npm package (about 300 MB) and takes about a
# minute.
#
#   renovate/test.sh              # installs renovate into $RENOVATE_DIR
#   RENOVATE_VERSION=44.121.2 renovate/test.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${RENOVATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wharf-renovate}
version=${RENOVATE_VERSION:-44.121.2}
mkdir -p "$dir"
if [ ! -x "$dir/node_modules/.bin/renovate" ] || [ "$("$dir/node_modules/.bin/renovate" --version 2>/dev/null)" != "$version" ]; then
	(cd "$dir" && [ -f package.json ] || npm init -y >/dev/null)
	(cd "$dir" && npm install --no-audit --no-fund "renovate@$version" core-js@3)
fi
# Renovate 44 asks for Node 24. On an older Node, core-js supplies what it
# uses (Set methods, iterator helpers, RegExp.escape), and the test lowers
# Renovate's "Unsupported node environment" error to a warning. Say so.
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 24 ]; then
	echo "renovate/test.sh: Node $(node --version) is older than Renovate $version supports (^24.11); running it with core-js polyfills" >&2
	printf "import 'core-js/actual/index.js';\n" > "$dir/polyfill.mjs"
	NODE_OPTIONS="--import=$dir/polyfill.mjs${NODE_OPTIONS:+ $NODE_OPTIONS}"
	export NODE_OPTIONS WHARF_RENOVATE_ALLOW_NODE=1
fi
cd "$here/../e2e"
WHARF_RENOVATE="$dir/node_modules/.bin/renovate" exec go test -run TestRenovatePreset -count=1 -v .
