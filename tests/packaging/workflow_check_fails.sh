#!/usr/bin/env bash
# check_workflow.sh must fail on a workflow the schema rejects, and on a README command that CI
# does not run.
set -euo pipefail
check=$1
build=$2
root="$(cd "$(dirname "$check")/.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# 1. A job without runs-on and with an unknown key.
sed -e 's/^    runs-on: macos-14$/    runs-onn: macos-14/' "$root/.github/workflows/ci.yml" >"$tmp/bad.yml"
if bash "$check" "$build" "$root/README.md" "$tmp/bad.yml" >"$tmp/out1" 2>&1; then
    echo "FAIL: a workflow with 'runs-onn' validated" >&2
    exit 1
fi
grep -q "runs-onn" "$tmp/out1" || { echo "FAIL: no message names runs-onn:" >&2; cat "$tmp/out1" >&2; exit 1; }
# 2. The README's macOS build command changed.
sed -e 's/^cmake --build --preset release$/cmake --build --preset release --verbose/' \
    "$root/README.md" >"$tmp/README.md"
if bash "$check" "$build" "$tmp/README.md" "$root/.github/workflows/ci.yml" >"$tmp/out2" 2>&1; then
    echo "FAIL: a README command missing from the workflow was accepted" >&2
    exit 1
fi
grep -q "is not a run: step of .*: cmake --build --preset release --verbose" "$tmp/out2" ||
    { echo "FAIL: no message names the README command:" >&2; cat "$tmp/out2" >&2; exit 1; }
echo "the workflow check fails on a schema error and on a README/CI mismatch"
