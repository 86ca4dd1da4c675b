#!/usr/bin/env bash
# npm run demo: sets everything up on a fresh machine, then opens the extension on examples/census in code-server
# against a local AWS emulator (moto). Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run --silent package
exec node --import tsx scripts/demo.ts "$@"
