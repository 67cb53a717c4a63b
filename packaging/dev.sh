#!/usr/bin/env bash
# One-command set-up for Debian/Ubuntu (see README.md).
#
#   bash packaging/dev.sh run    install what is missing, build, start ScaleLens on the example project
#   bash packaging/dev.sh test   install what is missing, build, run every test (ctest); with
#                                SCALELENS_ASAN=1 then again under AddressSanitizer + UBSan
#   bash packaging/dev.sh build  install what is missing and build
#   bash packaging/dev.sh deps   only install what is missing
#   bash packaging/dev.sh test-tools [BUILD_DIR]   only the npm test tool (BUILD_DIR/tools)
#   bash packaging/dev.sh list-packages [build|test|run]   print the Debian packages, one a line
#
# The package lists below are the single source: the README, CI and the test
# "packaging: dev.sh installs every CMake package" read them through list-packages.
#
# Packages already installed are skipped; apt-get runs only when something is missing, through
# sudo when not root. Other systems: see README.md (Homebrew, vcpkg).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
action="${1:-run}"

# Build and test dependencies, by Debian 12 package name.
packages=(
    cmake ninja-build g++ pkg-config ccache
    qt6-base-dev qt6-charts-dev qt6-svg-dev libgl-dev
    # Qt6Charts' CMake package requires Qt6OpenGL/OpenGLWidgets; --no-install-recommends
    # does not bring their development files.
    libqt6opengl6-dev
    libceres-dev libeigen3-dev libboost-dev libsqlite3-dev libfast-float-dev libcli11-dev catch2
    libprotobuf-dev protobuf-compiler
    qt6-qpa-plugins fonts-dejavu-core
)
# Only what the tests need besides the build: pdftotext checks exported PDFs; lintian,
# desktop-file-validate and appstreamcli check the .deb; npm installs the workflow validator.
test_packages=(poppler-utils lintian desktop-file-utils appstream)
# Debian's npm, unless an npm is already there (NodeSource's nodejs ships its own and conflicts).
if ! command -v npm >/dev/null 2>&1; then
    test_packages+=(npm)
fi
# To show a window when there is no display, the run command uses Xvfb.
run_packages=()
if [[ "$action" == "run" && -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
    run_packages=(xvfb xauth)
fi

install_missing() {
    local missing=()
    local p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if ((${#missing[@]} == 0)); then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "dev.sh: missing packages: ${missing[*]}; this script installs them with apt-get only." >&2
        echo "        On macOS or Windows follow README.md (Homebrew / vcpkg)." >&2
        exit 1
    fi
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo=(sudo)
    fi
    echo "dev.sh: installing ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Test tools outside Debian: the GitHub Actions workflow validator, into <build>/tools.
action_validator_version=0.6.0
install_test_tools() {
    local dir="${1:-build}/tools"
    if [[ -x "$dir/node_modules/.bin/action-validator" ]]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        echo "dev.sh: npm is missing (Debian package npm, or Node.js from nodejs.org)" >&2
        exit 1
    fi
    echo "dev.sh: installing @action-validator/cli $action_validator_version into $dir"
    npm install --prefix "$dir" --no-audit --no-fund --silent \
        "@action-validator/cli@$action_validator_version"
}

build() {
    # ccache (when present) shares compiled objects between clones of the project.
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
    cmake --preset release
    # Two jobs by default: the reference machines have 2 cores and the Ceres/Qt units are big.
    cmake --build --preset release --parallel "${SCALELENS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
}

# The whole suite again under AddressSanitizer + UBSan (preset asan, build-asan/): any report
# fails its test (the test preset sets ASAN_OPTIONS/UBSAN_OPTIONS/LSAN_OPTIONS). Part of
# `dev.sh test` and so of CI; SCALELENS_ASAN=0 skips it for a quick local run.
sanitizer_tests() {
    if [[ "${SCALELENS_ASAN:-1}" == 0 ]]; then
        echo "dev.sh: AddressSanitizer + UBSan suite skipped (SCALELENS_ASAN=0)"
        return 0
    fi
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
    # The asan preset builds with -g, and ccache then hashes the build folder (the debug info
    # names it) unless told not to: without this a clone in another folder rebuilds everything.
    export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
    cmake --preset asan
    cmake --build --preset asan --parallel "${SCALELENS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
    ctest --preset asan --parallel "${SCALELENS_JOBS:-2}"
}

case "$action" in
    list-packages)
        case "${2:-all}" in
            build) printf '%s\n' "${packages[@]}" ;;
            test) printf '%s\n' "${test_packages[@]}" ;;
            run) printf '%s\n' xvfb xauth ;;
            all) printf '%s\n' "${packages[@]}" "${test_packages[@]}" xvfb xauth ;;
            *)
                echo "usage: bash packaging/dev.sh list-packages [build|test|run]" >&2
                exit 2
                ;;
        esac
        ;;
    deps)
        install_missing "${packages[@]}" "${test_packages[@]}"
        ;;
    build)
        install_missing "${packages[@]}"
        build
        ;;
    test-tools)
        install_test_tools "${2:-build}"
        ;;
    test)
        install_missing "${packages[@]}" "${test_packages[@]}"
        install_test_tools build
        build
        ctest --preset release --parallel "${SCALELENS_JOBS:-2}"
        sanitizer_tests
        ;;
    run)
        install_missing "${packages[@]}" "${run_packages[@]}"
        build
        if ((${#run_packages[@]} > 0)); then
            echo "dev.sh: no display found; starting ScaleLens under Xvfb (use a desktop session to see it)."
            exec xvfb-run -a -s '-screen 0 1600x1000x24' build/bin/scalelens --example
        fi
        exec build/bin/scalelens --example
        ;;
    *)
        echo "usage: bash packaging/dev.sh run|test|build|deps|test-tools|list-packages" >&2
        exit 2
        ;;
esac
