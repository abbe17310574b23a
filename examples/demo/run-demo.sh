#!/usr/bin/env bash
# The idsync demo: a real Full Import and Delta Import of the HR connector (a CSV file
# connector) into the embedded RocksDB store, then a look at what was staged.
#
#   examples/demo/run-demo.sh [BUILD_DIR]      (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$root" && realpath -m "${1:-build}")
idsync=("$build/bin/idsync" --manifest "$here/idsync.json")
[[ -x "$build/bin/idsync" ]] || { echo "run-demo: $build/bin/idsync not found; build first" >&2; exit 2; }

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; }

# Start from a clean state; the shipped sample stays untouched.
rm -rf "$here/state"
mkdir -p "$here/state"
cp "$here/data/hr.csv" "$here/state/hr.csv"
cp "$here/data/badges.csv" "$here/state/badges.csv"

step "Installed plugins" idsync plugins
"${idsync[@]}" plugins
step "Check the manifest" idsync manifest check
"${idsync[@]}" manifest check
step "Full Import of HR (stage only)" idsync run-profile --connector HR --profile "Full Import"
"${idsync[@]}" run-profile --connector HR --profile "Full Import"
step "What was staged" idsync cs search --connector HR
"${idsync[@]}" cs search --connector HR
step "One object, in full" idsync cs show --connector HR --anchor 1006
"${idsync[@]}" cs show --connector HR --anchor 1006

# The HR system changes: a title, a leaver, a joiner.
sed -i 's/^1004,Edsger,Dijkstra,Edsger Dijkstra,edsger.dijkstra@contoso.example,Research,Scientist,/1004,Edsger,Dijkstra,Edsger Dijkstra,edsger.dijkstra@contoso.example,Research,Distinguished Scientist,/' "$here/state/hr.csv"
sed -i '/^1011,/d' "$here/state/hr.csv"
echo '1016,Hedy,Lamarr,Hedy Lamarr,hedy.lamarr@contoso.example,Research,Inventor,1003,SMTP:hedy.lamarr@contoso.example' >>"$here/state/hr.csv"

step "Delta Import after the HR file changed" idsync run-profile --connector HR --profile "Delta Import"
"${idsync[@]}" run-profile --connector HR --profile "Delta Import"
# Nothing has been synced yet, so every object is still a pending add: the leaver's add is
# withdrawn and the joiner's is staged, and the changed title is in the pending add.
step "The connector space after the delta" idsync cs search --connector HR
"${idsync[@]}" cs search --connector HR
step "The changed object" idsync cs show --connector HR --anchor 1004
"${idsync[@]}" cs show --connector HR --anchor 1004
# Into the metaverse: HR projects every person; Badges joins on employeeId. Badges wins mail,
# HR wins displayName (the rules' precedence, examples/demo/rules).
step "Full Import of Badges, then Full Sync of HR and Badges" idsync run-profile ...
"${idsync[@]}" run-profile --connector Badges --profile "Full Import"
"${idsync[@]}" run-profile --connector HR --profile "Full Sync"
"${idsync[@]}" run-profile --connector Badges --profile "Full Sync"
step "The metaverse" idsync mv search
"${idsync[@]}" mv search
ada=$("${idsync[@]}" mv search --attr employeeId=1001 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
step "Ada in the metaverse: where each value came from" idsync mv show --id "$ada"
"${idsync[@]}" mv show --id "$ada"
step "Run history" idsync history
"${idsync[@]}" history
printf '\nDemo finished. Try: %s cs search --connector HR --json\n' "${idsync[*]}"
