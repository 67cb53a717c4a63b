#!/usr/bin/env bash
# One-command set-up for Debian/Ubuntu (see README.md).
#
#   bash packaging/dev.sh run    install what is missing, build, start ScaleLens on the example project
#   bash packaging/dev.sh test   install what is missing, build, run every test (ctest)
#   bash packaging/dev.sh build  install what is missing and build
#   bash packaging/dev.sh deps   only install what is missing
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
    libceres-dev libeigen3-dev libboost-dev libsqlite3-dev libcli11-dev catch2
    libprotobuf-dev protobuf-compiler
    qt6-qpa-plugins fonts-dejavu-core
)
# Only what the tests need besides the build (pdftotext checks exported PDFs).
test_packages=(poppler-utils)
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

build() {
    # ccache (when present) shares compiled objects between clones of the project.
    export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
    cmake --preset release
    # Two jobs by default: the reference machines have 2 cores and the Ceres/Qt units are big.
    cmake --build --preset release --parallel "${SCALELENS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
}

case "$action" in
    deps)
        install_missing "${packages[@]}" "${test_packages[@]}"
        ;;
    build)
        install_missing "${packages[@]}"
        build
        ;;
    test)
        install_missing "${packages[@]}" "${test_packages[@]}"
        build
        ctest --preset release --parallel "${SCALELENS_JOBS:-2}"
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
        echo "usage: bash packaging/dev.sh run|test|build|deps" >&2
        exit 2
        ;;
esac
