#!/usr/bin/env bash
# Builds the .deb with CPack and checks it the way a distribution would:
#   lintian (no error; a warning fails unless listed below with its reason),
#   appstreamcli validate on the AppStream metainfo, desktop-file-validate on the .desktop file,
#   and the files lintian does not look for (manual pages, MIME type, icon).
#
#   bash packaging/check_deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
for tool in cpack dpkg-deb lintian appstreamcli desktop-file-validate; do
    if ! command -v "$tool" >/dev/null; then
        echo "check_deb: '$tool' is missing: run bash packaging/dev.sh deps" >&2
        exit 1
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Warnings kept, each with its reason (tag names as lintian prints them).
allowed_warnings=(
)

if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$tmp" >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    exit 1
fi
deb=$(ls "$tmp"/*.deb)
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

status=0
lintian --tag-display-limit 0 --display-info "$deb" >"$tmp/lintian.log" 2>&1 || true
while IFS= read -r line; do
    case "$line" in
        E:*)
            echo "lintian error: $line" >&2
            status=1
            ;;
        W:*)
            tag=$(awk '{print $3}' <<<"$line")
            ok=0
            for a in "${allowed_warnings[@]}"; do
                [[ "$tag" == "$a" ]] && ok=1
            done
            if ((ok)); then
                echo "lintian warning kept: $line"
            else
                echo "lintian warning: $line" >&2
                status=1
            fi
            ;;
        N:* | *"running with root privileges"*) ;;
        *) echo "lintian: $line" ;;
    esac
done <"$tmp/lintian.log"

root=$tmp/root
dpkg-deb -x "$deb" "$root"
metainfo=$root/usr/share/metainfo/io.github.scalelens.ScaleLens.metainfo.xml
desktop=$root/usr/share/applications/io.github.scalelens.ScaleLens.desktop
if ! appstreamcli validate --no-net --explain "$metainfo"; then
    status=1
fi
if ! desktop-file-validate "$desktop"; then
    status=1
fi
# The metainfo's launchable names the installed .desktop file.
if ! grep -q "<launchable type=\"desktop-id\">$(basename "$desktop")</launchable>" "$metainfo"; then
    echo "check_deb: the metainfo's launchable is not $(basename "$desktop")" >&2
    status=1
fi
for f in usr/share/man/man1/scalelens.1.gz usr/share/man/man1/scalelens-cli.1.gz \
    usr/share/mime/packages/scalelens-mime.xml usr/share/icons/hicolor/scalable/apps/scalelens.svg \
    usr/share/doc/scalelens/copyright usr/share/doc/scalelens/changelog.gz \
    usr/share/scalelens/examples/chinchilla_summary.csv; do
    if [[ ! -s "$root/$f" ]]; then
        echo "check_deb: the package lacks /$f" >&2
        status=1
    fi
done
if ! zcat "$root/usr/share/man/man1/scalelens-cli.1.gz" | grep -q '^\.SS fit$'; then
    echo "check_deb: scalelens-cli(1) lacks the fit command's section" >&2
    status=1
fi
if ((status == 0)); then
    echo "check_deb: lintian, appstreamcli and desktop-file-validate pass"
fi
exit $status
