#!/usr/bin/env bash
# The one test command (npm test, and .ci/run): sets up everything on a fresh machine, builds, lints, then runs
# the three tiers (unit, integration, end-to-end). Any tier that fails, or runs no test, fails the run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
# Setup's apt and npm parts first: the checks and the build need node_modules. The rest of setup (venvs, code-server,
# the offline base image: mostly network and disk) then runs while the checks and the build (mostly CPU) run; each
# of the three writes to its own log, printed whole when it ends, and any that fails fails the run.
bash scripts/setup.sh --only apt
bash scripts/setup.sh --only npm
mkdir -p test-results
declare -A pids=()
started() { # started NAME COMMAND...: runs the command in the background, output to test-results/NAME.log
  local name="$1"
  shift
  "$@" >"test-results/$name.log" 2>&1 &
  pids[$name]=$!
}
started setup bash scripts/setup.sh
started checks bash -c 'echo "== typecheck, lint, circular imports" && npx tsc -p . --noEmit && npm run --silent lint'
started build bash -c 'echo "== build and package" && npm run --silent package'
failed=()
for name in checks build setup; do
  rc=0
  wait "${pids[$name]}" || rc=$?
  cat "test-results/$name.log"
  [ "$rc" = 0 ] || failed+=("$name (exit $rc)")
done
[ ${#failed[@]} -eq 0 ] || { echo "FAILED before the tiers: ${failed[*]}" >&2; exit 1; }
echo "== setup, checks and build took $(( $(date +%s) - start ))s"
node scripts/run-tiers.mjs "$@"
echo "npm test took $(( $(date +%s) - start ))s"
