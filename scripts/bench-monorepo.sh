#!/usr/bin/env bash
# Benchmarks wharf over synthetic monorepos of 1,000 and 10,000 services:
# generate ./... (writing every file), check ./... on the fresh tree (the CI
# case), and one `wharf generate` of one spec including process start.
# Needs /usr/bin/time (GNU time) and hyperfine (Debian: apt-get install
# hyperfine time). Numbers go to stdout; BENCHMARKS.md records them.
#
#   scripts/bench-monorepo.sh [SIZES...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs="${RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -trimpath -o "$work/wharf" ./cmd/wharf
wharf="$work/wharf"
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version | cut -d' ' -f3) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# measure LABEL CMD...: one run under GNU time; prints wall s, CPU s, peak RSS.
measure() {
	local label=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null
	read -r wall user sys rss <"$work/time"
	printf '%-28s wall %6.2f s  cpu %6.2f s  peak RSS %4d MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024))
}

for n in "${sizes[@]}"; do
	tree="$work/mono$n"
	go run ./scripts/monorepo -n "$n" -o "$tree"
	cd "$tree"
	measure "generate ./... ($n, cold)" "$wharf" generate ./...
	for i in $(seq "$runs"); do
		measure "check ./... ($n) #$i" "$wharf" check ./...
	done
	measure "generate ./... ($n, fresh)" "$wharf" generate ./...
	cd - >/dev/null
done

# One spec, including process start.
one="$work/mono${sizes[0]}/services/team01/svc00001"
hyperfine --warmup 3 --runs 30 --style basic -N "$wharf generate $one" "$wharf check $one" 2>&1 | grep -E 'Benchmark|Time|Range'
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
