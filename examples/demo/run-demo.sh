#!/usr/bin/env bash
# The idsync demo: two sources (HR and Badges, CSV files) join into the metaverse, rules with
# precedence decide who wins each attribute, and an outbound rule provisions people into an
# LDIF directory. An Initial sync cycle builds everything; then HR changes (a new title, a
# leaver, a joiner) and a Delta sync cycle carries just those changes through.
#
#   examples/demo/run-demo.sh [BUILD_DIR]      (default: build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "$root" && realpath -m "${1:-build}")
idsync=("$build/bin/idsync" --manifest "$here/idsync.json")
[[ -x "$build/bin/idsync" ]] || { echo "run-demo: $build/bin/idsync not found; build first" >&2; exit 2; }

step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "${*:2}"; }

# Start from a clean state; the shipped sample stays untouched. The directory starts empty.
rm -rf "$here/state"
mkdir -p "$here/state"
cp "$here/data/hr.csv" "$here/state/hr.csv"
cp "$here/data/badges.csv" "$here/state/badges.csv"
: >"$here/state/directory.ldif"

step "Installed plugins" idsync plugins
"${idsync[@]}" plugins
step "Check the manifest and the sync rules" idsync manifest check
"${idsync[@]}" manifest check

# Full imports of HR, Badges and Directory; Full Syncs: HR projects every person, Badges joins
# on employeeId (its mail wins by precedence, HR's displayName wins), and the outbound rule
# provisions people with a mail address into Directory; the export writes them to the LDIF.
step "Initial sync cycle" idsync sync-cycle start --policy-type Initial
"${idsync[@]}" sync-cycle start --policy-type Initial
step "The metaverse" idsync mv search
"${idsync[@]}" mv search
ada=$("${idsync[@]}" mv search --attr employeeId=1001 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
step "Ada in the metaverse: where each value came from" idsync mv show --id "$ada"
"${idsync[@]}" mv show --id "$ada"
step "Ada in the directory the export wrote" "grep -A14 'uid=1001,' state/directory.ldif"
grep -A14 'uid=1001,' "$here/state/directory.ldif"

# The HR system changes: a title, a leaver, a joiner.
sed -i 's/^1004,Edsger,Dijkstra,Edsger Dijkstra,edsger.dijkstra@contoso.example,Research,Scientist,/1004,Edsger,Dijkstra,Edsger Dijkstra,edsger.dijkstra@contoso.example,Research,Distinguished Scientist,/' "$here/state/hr.csv"
sed -i '/^1011,/d' "$here/state/hr.csv"
echo '1016,Hedy,Lamarr,Hedy Lamarr,hedy.lamarr@contoso.example,Research,Inventor,1003,SMTP:hedy.lamarr@contoso.example' >>"$here/state/hr.csv"

# Stage HR's changes, then ask the engine what syncing Edsger would do, before anything happens:
# the rules in scope, his new title and the rule that wins it, the update it would queue.
step "Stage HR's changes" idsync run-profile --connector HR --profile '"Delta Import"'
"${idsync[@]}" run-profile --connector HR --profile "Delta Import"
step "Preview Edsger's sync (commits nothing)" idsync object trace --connector HR --anchor 1004
"${idsync[@]}" object trace --connector HR --anchor 1004

# The Delta cycle: the Directory import confirms what the Initial cycle exported; the Delta
# Syncs flow HR's three staged changes; the export sends one title update, one delete and one
# add, which the next cycle's Directory import will confirm.
step "Delta sync cycle after the HR file changed" idsync sync-cycle start --policy-type Delta
"${idsync[@]}" sync-cycle start --policy-type Delta
step "Edsger's new title in the directory" "grep -A14 'uid=1004,' state/directory.ldif | grep title"
grep -A14 'uid=1004,' "$here/state/directory.ldif" | grep '^title'
step "Ken left HR: deprovisioned from the directory" "grep -c 'uid=1011,' state/directory.ldif"
grep -c 'uid=1011,' "$here/state/directory.ldif" || true
step "Hedy joined: provisioned" "grep 'uid=1016,' state/directory.ldif"
grep 'uid=1016,' "$here/state/directory.ldif"
step "Nothing is left to export" idsync pending-exports --connector Directory
"${idsync[@]}" pending-exports --connector Directory
step "Run history of the Delta cycle" idsync history --last 9
"${idsync[@]}" history --last 9
printf '\nDemo finished. Try: %s history --json\n' "${idsync[*]}"
