#!/usr/bin/env bash
# THE one command for a fresh machine (Debian, Node 20, root, npm registry and apt reachable):
# installs what the tests need, then runs them all with `npm test` (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "==> Node $(node --version), npm $(npm --version)"
node -e 'if (Number(process.versions.node.split(".")[0]) < 20) { console.error("Node 20 or newer is required"); process.exit(1); }'

# Debian's Chromium runs the end-to-end tests (Playwright's own browser download does not
# work here). better-sqlite3 compiles from source when no prebuilt binary can be fetched,
# which needs a C++ toolchain and Python.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]}. Run as root, or install them first." >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
fi
/usr/bin/chromium --version

echo '==> npm ci'
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci

echo '==> npm test'
exec npm test
