#!/usr/bin/env bash
# Validates .github/workflows/ci.yml against the GitHub Actions schema (@action-validator/cli,
# installed into BUILD_DIR/tools by `bash packaging/dev.sh test-tools`), and checks that every
# command of the README's macOS and Windows sections is a `run:` step of the workflow, so the
# README says what CI runs. Lines that start the app (scalelens.app, scalelens.exe) are exempt.
#
#   bash packaging/check_workflow.sh BUILD_DIR [README] [WORKFLOW]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=$1
readme=${2:-$root/README.md}
workflow=${3:-$root/.github/workflows/ci.yml}
validator=$build/tools/node_modules/.bin/action-validator
if [[ ! -x "$validator" ]]; then
    bash "$root/packaging/dev.sh" test-tools "$build"
fi
"$validator" "$workflow"
echo "$workflow: valid workflow"

# The workflow's run: commands, one a line, trimmed.
runs=$(sed -n -E 's/^ *(- )?run: *(.*[^ ]) *$/\2/p' "$workflow")
status=0
checked=0
for section in "### macOS" "### Windows"; do
    # Lines of the fenced code blocks between this heading and the next one.
    commands=$(awk -v h="$section" '
        index($0, h) == 1 { on = 1; next }
        on && /^#/ { exit }
        on && /^```/ { fence = !fence; next }
        on && fence { print }' "$readme")
    if [[ -z "$commands" ]]; then
        echo "$readme: no commands under '$section'" >&2
        status=1
    fi
    while IFS= read -r line; do
        cmd=$(sed -E -e 's/[[:space:]]+#.*$//' -e 's/[[:space:]]+$//' <<<"$line")
        [[ -z "$cmd" || "$cmd" == *scalelens.app* || "$cmd" == *scalelens.exe* ]] && continue
        checked=$((checked + 1))
        if ! grep -qxF -- "$cmd" <<<"$runs"; then
            echo "$readme: '$section' command is not a run: step of $workflow: $cmd" >&2
            status=1
        fi
    done <<<"$commands"
done
if ((status == 0)); then
    echo "README: $checked macOS/Windows commands, each a step of the workflow"
fi
exit $status
