#!/usr/bin/env bash
# Builds minihelm (test-only Helm template renderer) offline from Debian's Go packages (design/toolchain.md §6):
#   apt-get install -y --no-install-recommends golang-go golang-github-masterminds-sprig-dev \
#     golang-gopkg-yaml.v3-dev golang-k8s-sigs-yaml-dev
# Usage: build.sh OUTPUT_BINARY
set -euo pipefail
out=${1:?usage: build.sh OUTPUT_BINARY}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Debian installs sprig and semver without their /v3 directory level: an overlay GOPATH adds it
mkdir -p "$work/gp/src/github.com/Masterminds/sprig" "$work/gp/src/github.com/Masterminds/semver" "$work/gp/src/minihelm"
ln -s /usr/share/gocode/src/github.com/Masterminds/sprig "$work/gp/src/github.com/Masterminds/sprig/v3"
ln -s /usr/share/gocode/src/github.com/Masterminds/semver "$work/gp/src/github.com/Masterminds/semver/v3"
cp "$here/main.go" "$work/gp/src/minihelm/"
cd "$work/gp/src/minihelm"
GO111MODULE=off GOPATH="$work/gp:/usr/share/gocode" GOPROXY=off GOTOOLCHAIN=local GOFLAGS= HOME="$work" \
  GOCACHE="${GOCACHE:-$work/cache}" go build -o "$out" .
