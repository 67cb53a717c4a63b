#!/usr/bin/env bash
# The drift check must fail when dev.sh lacks a package the build uses: feed it a cache whose
# only CMake package (Qt6Core, from the real cache) comes from a package missing from the list.
set -euo pipefail
check=$1
cache=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grep -E '^Qt6Core_DIR:PATH=' "$cache" >"$tmp/CMakeCache.txt"
owner=$(dpkg -S "$(sed 's/.*=//' "$tmp/CMakeCache.txt")/Qt6CoreConfig.cmake" | cut -d: -f1)
if bash "$check" "$tmp/CMakeCache.txt" cmake 2>"$tmp/err"; then
    echo "FAIL: the check passed with a list (cmake) lacking '$owner'" >&2
    exit 1
fi
if ! grep -q "Qt6Core_DIR: .* comes from '$owner', which packaging/dev.sh does not install" "$tmp/err"; then
    echo "FAIL: the check failed without naming Qt6Core and '$owner':" >&2
    cat "$tmp/err" >&2
    exit 1
fi
# And with the package listed, the same cache passes.
bash "$check" "$tmp/CMakeCache.txt" cmake "$owner"
echo "drift check fails without '$owner' and passes with it"
