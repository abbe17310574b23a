#!/usr/bin/env bash
# Installs the Debian 12 packages idsync needs to build and test. Idempotent: packages already
# present are skipped, and apt is only asked when something is missing.
#
#   packaging/install-deps.sh            build dependencies (what the demo needs)
#   packaging/install-deps.sh --test     also the real servers the test suite starts
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-filesystem1.81-dev
  librocksdb-dev libldap-dev libcurl4-openssl-dev libssl-dev
  libspdlog-dev libfmt-dev catch2 libcli11-dev libjemalloc-dev
)
# Real peers for the integration tests: Samba AD DC (samba-ad-dc and samba-ad-provision hold
# what `samba-tool domain provision` and a DC need), slapd, Node.js for the SCIM server.
# The package test: dpkg-dev for dpkg-shlibdeps (cpack's Depends), systemd for systemd-analyze.
test_packages=(
  samba samba-dsdb-modules samba-ad-dc samba-ad-provision ldap-utils slapd iproute2 openssl
  nodejs npm python3 clang-format dpkg-dev systemd
)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  wanted+=("${test_packages[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    # A newer Node.js from another source also satisfies the test peers.
    if [[ "$pkg" == nodejs || "$pkg" == npm ]] && command -v "${pkg/nodejs/node}" >/dev/null; then
      continue
    fi
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
# slapd asks debconf questions at install; answer none, the tests bring their own config.
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
