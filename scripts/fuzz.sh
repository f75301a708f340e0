#!/usr/bin/env bash
# Runs each fuzzer for FUZZTIME (default 30s), one after the other, as CI
# does. A failing input is written under the package's testdata/fuzz/ and
# fails the script: commit it, it becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-30s}"
failed=0
run() { # dir package fuzzer
	echo "== $3 ($2, $fuzztime)"
	(cd "$1" && go test -run '^$' -fuzz "^$3\$" -fuzztime "$fuzztime" "$2") || failed=1
}
run . ./spec FuzzLoad
run . ./spec FuzzExtendsGraph
run . ./internal/workspace FuzzOutputPath
run . ./internal/cleanpath FuzzSameAsFilepath
run e2e . FuzzGenerate
run e2e . FuzzHostileValue
exit "$failed"
