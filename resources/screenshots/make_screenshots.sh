#!/usr/bin/env bash
# Regenerates the README screenshots from the current example project, so they cannot go stale:
# every view of the catalogue in the light and the dark theme at 1366x768 and 1920x1080, drawn by
# `scalelens --screenshot` under xvfb-run with a throwaway HOME (no saved layout, no recent files).
#
#   resources/screenshots/make_screenshots.sh [BUILD_DIR]      (default: build)
#
# Writes resources/screenshots/<view>-<theme>-<W>x<H>.png. The list of views comes from
# `scalelens-cli plot --list-views`, the same catalogue the app draws (or $SCALELENS_VIEWS). PNGs are shrunk with
# optipng when it is installed. Too slow for ctest (one app start per image); the test
# "screenshots: every view has one" only checks the committed files.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build}"
out="$root/resources/screenshots"
app="$build/bin/scalelens"
cli="$build/bin/scalelens-cli"
[[ -x "$app" ]] || { echo "make_screenshots: $app not built" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "make_screenshots: xvfb-run not installed (apt-get install xvfb)" >&2; exit 1; }

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT

# SCALELENS_VIEWS="id id ..." renders only those views.
if [[ -n "${SCALELENS_VIEWS:-}" ]]; then
    views="$SCALELENS_VIEWS"
else
    [[ -x "$cli" ]] || { echo "make_screenshots: $cli not built" >&2; exit 1; }
    views=$("$cli" plot --list-views | awk '{print $1}')
fi
[[ -n "$views" ]] || { echo "make_screenshots: no views listed" >&2; exit 1; }

for size in 1366x768 1920x1080; do
    for theme in light dark; do
        for view in $views; do
            png="$out/$view-$theme-$size.png"
            HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
                xvfb-run -a -s "-screen 0 2000x1200x24" \
                "$app" --example --reset-settings --theme "$theme" --size "$size" \
                --view "$view" --screenshot "$png"
            echo "$png"
        done
    done
done

if command -v optipng >/dev/null; then
    optipng -quiet -o2 "$out"/*-light-*.png "$out"/*-dark-*.png
fi
