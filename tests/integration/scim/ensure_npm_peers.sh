#!/usr/bin/env bash
# Installs the SCIM test server's npm packages (server/node_modules) from the committed lockfile
# with `npm ci`, when they are missing or older than package.json or package-lock.json; quiet
# unless it fails. Concurrent runs wait for each other (a lock on this script).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
server="$here/server"

missing() {
  echo "ensure_npm_peers.sh: $1 is needed for the SCIM test server; install it" \
       "(packaging/install-deps.sh --test installs Debian's nodejs and npm)" >&2
  exit 1
}
command -v node >/dev/null 2>&1 || missing node

exec 9<"${BASH_SOURCE[0]}"
flock 9

# npm ci leaves node_modules/.package-lock.json behind: it stands for the installed tree.
installed="$server/node_modules/.package-lock.json"
if [[ -f "$installed" && ! "$server/package-lock.json" -nt "$installed" \
      && ! "$server/package.json" -nt "$installed" ]]; then
  exit 0
fi

command -v npm >/dev/null 2>&1 || missing npm
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! (cd "$server" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure_npm_peers.sh: npm ci failed in $server" >&2
  exit 1
fi
