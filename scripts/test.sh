#!/usr/bin/env bash
# The one test command (npm test, and .ci/run): sets up everything on a fresh machine, builds, lints, then runs
# the three tiers (unit, integration, end-to-end). Any tier that fails, or runs no test, fails the run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
bash scripts/setup.sh
echo "== typecheck, lint, circular imports"
npx tsc -p . --noEmit
npm run --silent lint
echo "== build and package"
npm run --silent package
node scripts/build.mjs --production
node scripts/run-tiers.mjs "$@"
echo "npm test took $(( $(date +%s) - start ))s"
