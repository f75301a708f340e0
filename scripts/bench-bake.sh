#!/usr/bin/env bash
# Benchmarks wharf bake and wharf affected over the synthetic monorepo
# (scripts/monorepo), next to check ./... on the same tree in the same
# minutes: base.yaml gets a publish: key, the tree a wharf.bake.yaml and a
# git history of one commit. Needs /usr/bin/time (GNU time), git and bc.
# BENCHMARKS.md records the numbers.
#
#   RUNS=5 scripts/bench-bake.sh [N]   (default N: 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
runs="${RUNS:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
go build -trimpath -o "$work/wharf" ./cmd/wharf
W="$work/wharf"
tree="$work/mono"
go run ./scripts/monorepo -n "$n" -o "$tree"
cd "$tree"
cat >>base.yaml <<'YAML'
publish:
  repository: "{registry}/shop/{name}"
  tags: ["{version}", latest]
  cache: "{registry}/shop/cache:{name}"
YAML
"$W" generate ./... >/dev/null
"$W" bake --variable REGISTRY=registry.example.com ./... >/dev/null
git init -q -b main && git add -A && git -c user.name=bench -c user.email=bench@example.com commit -qm tree
dirs=(services/team01/svc*)
one="${dirs[0]}"

# m LABEL CMD...: one run under GNU time: wall, CPU (user+sys), peak RSS, load.
m() {
	local label=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null || true
	read -r wall u s rss <"$work/time"
	printf '%-40s wall %6.2f s  cpu %5.2f s  rss %4d MB  load %s\n' "$label" "$wall" "$(echo "$u + $s" | bc)" $((rss / 1024)) "$(cut -d' ' -f1 /proc/loadavg)"
}
echo "# $(date -u +%FT%TZ) $(go version | cut -d' ' -f3) $(nproc) cores, $n services; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$runs"); do
	m "bake (fresh, writes nothing)" "$W" bake
	mv wharf.bake.yaml "$work/config"
	m "check ./... without wharf.bake.yaml" "$W" check ./...
	mv "$work/config" wharf.bake.yaml
	m "check ./... with wharf.bake.yaml" "$W" check ./...
	m "affected --since HEAD (clean tree)" "$W" affected --since HEAD
	echo x >"$one/extra.py"
	m "affected, one service's file added" "$W" affected --since HEAD
	rm "$one/extra.py"
	echo "# touched" >>base.yaml
	m "affected, base.yaml changed (all)" "$W" affected --since HEAD --format bake-targets
	git checkout -q -- base.yaml
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
