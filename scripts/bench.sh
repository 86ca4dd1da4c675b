#!/usr/bin/env bash
# `npm run bench`: sets up what the benchmarks need (apt packages, npm deps, moto's venv, code-server, the offline
# base image, the peers' venv with the SageMaker Python SDK, boto3 and the AWS CLI, and Debian's docker-compose for
# the SDK's local mode), builds the production
# bundles and .vsix, then runs bench/run.ts, which starts moto (and the private dockerd where a benchmark needs
# it), measures ours beside the peers and writes bench/RESULTS.md. Arguments go to bench/run.ts, e.g.
#   npm run bench -- --only list --runs 3
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
bash scripts/setup.sh
bash scripts/setup.sh --only bench-venv
echo "== build and package (production)"
npm run --silent package >/dev/null
node --import tsx bench/run.ts "$@"
echo "npm run bench took $(( $(date +%s) - start ))s"
