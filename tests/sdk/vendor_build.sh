#!/usr/bin/env bash
# A vendor's path, end to end: install the SDK alone into a fresh prefix, build the example
# connector out of tree with find_package(idsync-sdk), then let the host load it and run the
# contract kit on it.
#   vendor_build.sh <build dir of idsync> <idsync binary>
set -euo pipefail
build=$1
idsync=$2
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/idsync-vendor-XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"

cmake --install "$build" --component sdk --prefix "$work/sdk" >/dev/null
test -f "$work/sdk/include/idsync/plugin_abi.h"
test ! -e "$work/sdk/bin"  # the SDK component is headers and CMake files only

cmake -S "$source_dir/examples/vendor-connector" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/sdk" >/dev/null
cmake --build "$work/build" >/dev/null
plugin_dir="$work/build/plugins/inline_connector"
test -f "$plugin_dir/plugin.json"

cat >"$work/idsync.json" <<JSON
{ "store": {"path": "state/store"}, "plugin_dirs": ["build/plugins"],
  "connectors": [{ "name": "Inline", "type": "example.inline",
    "config": {"objects": ["u1;cn=Ada;mail=a@x;mail=b@x", "u2;cn=Grace"]},
    "run_profiles": {"Full Import": [{"type": "full_import", "page_size": 1}]} }] }
JSON
"$idsync" --manifest "$work/idsync.json" plugins | grep -q "connector type example.inline"
"$idsync" --manifest "$work/idsync.json" run-profile --connector Inline --profile "Full Import" | grep -q success
"$idsync" --manifest "$work/idsync.json" cs show --connector Inline --anchor u1 --json \
  | python3 -c 'import json,sys; o=json.load(sys.stdin); assert o["attributes"]["mail"]==["a@x","b@x"], o'
"$idsync" plugin check "$plugin_dir" --connector-config "$source_dir/examples/vendor-connector/connector-config.json"
echo "vendor build: OK"
