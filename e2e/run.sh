#!/usr/bin/env bash
# Real-build e2e run: builds the pinned BuildKit tools and the Debian-built
# base images (both cached under e2e/.cache/), starts a loopback registry and
# buildkitd, generates every e2e/cases/*/ Dockerfile with the wharf CLI,
# builds it with BuildKit and runs the image with runc.
#
# Installs nothing. Needs root and: runc umoci debootstrap (Debian packages),
# Go, and network access to the Debian mirror, the Go module proxy and npm.
#
#   e2e/run.sh                 # everything
#   e2e/run.sh -run TestCases  # extra args go to `go test`
set -euo pipefail
cd "$(dirname "$0")"

if [[ $(id -u) != 0 ]]; then
	echo "e2e/run.sh: must run as root (buildkitd, chroot, umoci unpack, runc)" >&2
	exit 2
fi
missing=()
for bin in runc umoci debootstrap unshare chroot go; do
	command -v "$bin" >/dev/null || missing+=("$bin")
done
if ((${#missing[@]})); then
	echo "e2e/run.sh: missing ${missing[*]}; install with: apt-get install -y runc umoci debootstrap" >&2
	exit 2
fi

export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
start=$(date +%s)
# -parallel 4: builds mostly wait on buildkitd and the network, so more run
# at once than the 2 cores (go test's default).
# -count=1: a real build depends on the mirrors, the proxies and the image
# cache, none of which go test's result cache sees; never replay a result.
WHARF_E2E=1 go test -count=1 -v -timeout 40m -parallel 4 "$@" ./...
echo "e2e/run.sh: done in $(($(date +%s) - start))s"
