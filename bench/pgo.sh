#!/usr/bin/env bash
# pgo.sh [N]: refresh cmd/debrief/default.pgo, the CPU profile the Go
# toolchain builds debrief's binary with (profile-guided optimisation:
# `go build` and `go run` use it by themselves), from full builds of a
# generated corpus of N incidents (default 10000). Run it after a change
# to the build's hot paths; a stale profile costs speed, never behaviour.
set -euo pipefail
N=${1:-10000}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
DEBRIEF_BENCH_INCIDENTS=$N go test ./internal/build -run '^$' -bench '^BenchmarkBuild$' -benchtime 3x \
  -o "$tmp/build.test" -cpuprofile "$tmp/cpu.pprof"
cp "$tmp/cpu.pprof" cmd/debrief/default.pgo # a CPU profile is what PGO reads
ls -l cmd/debrief/default.pgo
