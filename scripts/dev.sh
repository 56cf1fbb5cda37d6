#!/usr/bin/env bash
# HaloSpot's one entry point for a fresh Debian 12 machine: installs what is needed (apt-get),
# builds, and then either starts HaloSpot on the built-in sandbox (`run`) or runs the whole test
# suite under a private D-Bus session with an unlocked gnome-keyring (`test`, what CI runs).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"

usage() {
    cat <<USAGE
usage: scripts/dev.sh run                     install, build, start HaloSpot on the sandbox (demo)
       scripts/dev.sh test                    install, build, check formatting, run every test
       scripts/dev.sh build                   install and build only (dev preset)
USAGE
}

# Packages from Debian 12. Build: Qt 6.4 modules; tests: keyring, D-Bus, X server, formatter,
# and headless Chromium for the OAuth round trip through a real browser.
build_packages=(cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-httpserver-dev qt6-websockets-dev qt6-networkauth-dev qtkeychain-qt6-dev
    libqt6sql6-sqlite libgl-dev)
test_packages=(gnome-keyring dbus-x11 dbus xvfb xauth clang-format chromium)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi
    echo "Installing: ${missing[*]}" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset"
}

check_format() {
    # Every tracked C++ file (and so every changed one) must already be in .clang-format's layout.
    local bad=()
    while IFS= read -r f; do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
    done < <(git ls-files '*.cpp' '*.h')
    if [ ${#bad[@]} -gt 0 ]; then
        echo "clang-format would change these files (run clang-format -i on them):" >&2
        printf '  %s\n' "${bad[@]}" >&2
        return 1
    fi
    echo "clang-format: all C++ files are formatted."
}

run_tests() {
    # A private session bus and an unlocked keyring with an empty password, as a desktop has.
    dbus-run-session -- bash -c '
        set -euo pipefail
        eval "$(printf "ci-pass" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)" || true
        export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
        export QT_QPA_PLATFORM=offscreen
        ctest --preset ci -j2
    '
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
run)
    install_packages "${build_packages[@]}"
    build dev
    if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
        echo "No display found (DISPLAY and WAYLAND_DISPLAY are empty): HaloSpot's window needs a" >&2
        echo "desktop session. Headless, 'build/dev/src/app/halospot sandbox' runs the services alone." >&2
        exit 1
    fi
    echo "Starting HaloSpot on its built-in sandbox (demo data; nothing leaves this machine)." >&2
    exec build/dev/src/app/halospot --sandbox "$@"
    ;;
build)
    install_packages "${build_packages[@]}"
    build dev
    ;;
test)
    install_packages "${build_packages[@]}" "${test_packages[@]}"
    check_format
    build ci
    run_tests
    ;;
*)
    usage
    exit 2
    ;;
esac
