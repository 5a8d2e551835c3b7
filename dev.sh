#!/usr/bin/env bash
# The two commands of the README, and the steps they are made of:
#   ./dev.sh run [ravenous args...]   install what is missing, build, run the server
#   ./dev.sh test                     install what is missing, build, run every test
#   ./dev.sh deps | build             the single steps
# Works on a fresh Debian bookworm machine as root (or with sudo).
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
JOBS=${JOBS:-$(nproc)}

# Everything the build and the tests need, all from Debian's archive.
PACKAGES=(
    g++ cmake ninja-build pkg-config ccache
    libboost1.81-dev libsqlite3-dev nlohmann-json3-dev libspdlog-dev libsodium-dev
    libyaml-cpp-dev libpcre2-dev libgtest-dev libgmock-dev libbenchmark-dev
)
TEST_PACKAGES=(nodejs npm)

install_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "dev.sh: installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

deps() {
    install_packages "${PACKAGES[@]}"
}

test_deps() {
    deps
    # A Node.js already on the machine is fine; otherwise Debian's.
    command -v node >/dev/null && command -v npm >/dev/null || install_packages "${TEST_PACKAGES[@]}"
    (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
}

build() {
    cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
    cmake --build "$BUILD_DIR" -j "$JOBS"
}

case "${1:-}" in
    deps) deps ;;
    build) deps; build ;;
    run)
        shift
        deps
        build
        exec "$BUILD_DIR/ravenous" "$@"
        ;;
    test)
        test_deps
        build
        ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" --timeout 300
        if [ -x "$BUILD_DIR/tests/bench/ravenous-bench" ]; then
            "$BUILD_DIR/tests/bench/ravenous-bench" --quick
        fi
        ;;
    *)
        sed -n '2,7p' "$0"
        exit 2
        ;;
esac
