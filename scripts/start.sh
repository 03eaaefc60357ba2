#!/usr/bin/env bash
# Sets up and runs Varde on this machine: installs dependencies, builds the extension for
# Chromium and Firefox, tells you where to load it from, then runs the sync server on
# http://localhost:1234 with its embedded SQLite database in ./data (Ctrl+C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> Installing dependencies (npm ci)"
  npm ci
fi

echo "==> Building the extension"
npx wxt build
npx wxt build -b firefox

root=$(pwd)
cat <<MSG

Varde is built. Load the extension:
  Chrome / Chromium / Edge: open chrome://extensions, turn on "Developer mode",
                            click "Load unpacked" and choose
                            ${root}/.output/chrome-mv3
  Firefox:                  open about:debugging#/runtime/this-firefox,
                            click "Load Temporary Add-on…" and choose
                            ${root}/.output/firefox-mv2/manifest.json

MSG

if [ -f sync-server/main.ts ]; then
  echo "==> Starting the sync server on http://localhost:${PORT:-1234} (data in ${VARDE_DATA_DIR:-./data})"
  exec npm run server
fi
