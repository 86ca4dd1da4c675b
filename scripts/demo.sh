#!/usr/bin/env bash
# npm run demo: sets everything up on a fresh machine, then opens the extension on examples/census in code-server
# against a local AWS emulator (moto). Ctrl+C stops everything it started.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# `npm run demo -- --env`: only print the running demo's environment block (no setup, no build).
if [ "${1:-}" = "--env" ]; then exec node --import tsx scripts/demo.ts --env; fi
bash scripts/setup.sh
npm run --silent package
exec node --import tsx scripts/demo.ts "$@"
