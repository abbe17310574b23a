#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what the tests need (apt
# packages, npm test peers), builds, and runs every test (unit, contract, integration against
# real servers, end-to-end through the CLI).
#
#   tests/run-all.sh [BUILD_DIR]      (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$root/build}")

"$root/packaging/install-deps.sh" --test
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIDSYNC_BUILD_TESTS=ON
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" --timeout 900
