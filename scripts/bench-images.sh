#!/usr/bin/env bash
# Measures image quality with real BuildKit builds (e2e/bench_test.go,
# TestImageQuality): runner vs builder vs single-stage image size, cold build
# time (buildkitd's cache pruned first) and rebuild time after one source
# file changes, with the steps taken from cache; for python, the wheel
# hand-off by COPY against python.install: mount. Prints a markdown table;
# BENCHMARKS.md records it.
#
# Needs what e2e/run.sh needs (root, runc, umoci, debootstrap; see
# e2e/README.md). Prunes the cache of its own buildkitd only.
#
#   scripts/bench-images.sh [OUT.md]   (the table also goes to OUT.md)
set -euo pipefail
cd "$(dirname "$0")/../e2e"
if [[ $(id -u) != 0 ]]; then
	echo "bench-images.sh: must run as root (buildkitd, umoci unpack, runc)" >&2
	exit 2
fi
out="${1:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ -n $out ]] || out="$work/table.md"
out="$(realpath -m "$out")"

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version | cut -d' ' -f3) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
if ! WHARF_E2E=1 WHARF_E2E_BENCH=1 WHARF_E2E_BENCH_OUT="$out" \
	go test -v -count=1 -run '^TestImageQuality$' -timeout 30m . >"$work/log" 2>&1; then
	grep -v '^#' "$work/log" | tail -80 >&2
	echo "bench-images.sh: TestImageQuality failed" >&2
	exit 1
fi
grep -E 'bench_test.go:[0-9]+: [a-z-]+ \((cold|warm)\)|rebuild ran|install: mount saves' "$work/log" | sed 's/^ *bench_test.go:[0-9]*: /# /'
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$out"
