#!/usr/bin/env bash
# One idempotent setup for development, tests, the demo and benchmarks.
# Root on a fresh Debian-like machine: apt packages, npm deps, the Python venv (moto, pinned),
# code-server (pinned), and the offline base image tarball. Everything slow is cached under .cache/.
# It never touches ~/.docker, ~/.aws or a system Docker daemon.
#
#   scripts/setup.sh            everything
#   scripts/setup.sh --only X   one part: apt | npm | venv | code-server | base-image | sdk-venv | sdk-v3-venv | debugpy
#                               | bench-venv | mcp-tools
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${SMP_CACHE:-$ROOT/.cache}"
mkdir -p "$CACHE"
# One setup at a time per cache (a second one waits), so two never build the same part into the same folder.
exec 9>"$CACHE/.setup.lock"
flock 9

MOTO_VERSION="5.2.5"
CODE_SERVER_VERSION="4.100.3"
RIPGREP_PKG_VERSION="1.15.11"
# debugpy for "Debug Locally in Docker" tests (mounted read-only into the container; matches bookworm's python 3.11).
DEBUGPY_VERSION="1.8.22"
# Benchmark peers (scripts/setup.sh --only bench-venv; npm run bench).
SAGEMAKER_VERSION="2.257.7"
BOTO3_VERSION="1.44.8"
AWSCLI_VERSION="1.46.3"
# The SageMaker Python SDK v3 (scripts/setup.sh --only sdk-v3-venv): the second reference of the SDK-parity tests.
SAGEMAKER_V3_VERSION="3.27.0"
# Pinned alongside it: sagemaker-mlops needs s3fs → aiobotocore, which pins botocore to a narrow range; without these
# pins pip backtracks through dozens of aiobotocore/s3fs releases (many minutes). These three resolve at once.
SAGEMAKER_V3_PINS=("boto3==1.43.115" "aiobotocore==3.10.0" "s3fs==2026.9.0")
# The MCP server's conformance run (test/integration/mcp-conformance.test.ts): the MCP conformance suite and the MCP
# Inspector, whose --cli mode drives every tool (v1: the last line that runs on Node 20).
MCP_CONFORMANCE_VERSION="0.1.16"
MCP_INSPECTOR_VERSION="1.0.3"
APT_PACKAGES=(chromium ripgrep build-essential python3 python3-venv pkg-config libkrb5-dev libxkbfile-dev
  libsecret-1-dev docker.io docker-registry apache2-utils debootstrap openssl iptables ca-certificates curl)
# A Japanese font for Chromium, so the Japanese workbench run (test/e2e/japanese.test.ts) draws text, not boxes.
APT_PACKAGES+=(fonts-ipafont-gothic)
# Only for the benchmarks (--only bench-venv): docker compose for the SDK's local mode.
BENCH_APT_PACKAGES=(docker-compose)

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] FAILED:\033[0m %s\n' "$*" >&2; exit 1; }

only="${2:-}"
[ "${1:-}" = "--only" ] || only=""
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

stamp_ok() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }

# apt_ensure LABEL WHY PACKAGE...: installs the packages that are missing (as root, with apt-get), or says why not.
apt_ensure() {
  local label="$1" why="$2" missing=() p
  shift 2
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "$label: all packages present ($*)"; return; fi
  [ "$(id -u)" = 0 ] || die "apt packages missing (${missing[*]}$why) and not root: install them with apt-get"
  command -v apt-get >/dev/null || die "apt packages missing (${missing[*]}$why) and no apt-get on this machine"
  log "$label: installing ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

setup_apt() {
  apt_ensure apt "" "${APT_PACKAGES[@]}"
}

setup_npm() {
  local want_hash
  want_hash="$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -d "$ROOT/node_modules" ] && stamp_ok "$ROOT/node_modules/.smp-stamp" "$want_hash"; then
    log "npm: node_modules up to date"; return
  fi
  log "npm: installing dependencies (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  echo "$want_hash" > "$ROOT/node_modules/.smp-stamp"
}

setup_venv() {
  local venv="$CACHE/venv" stamp="moto[server]==$MOTO_VERSION"
  if [ -x "$venv/bin/moto_server" ] && stamp_ok "$venv/.smp-stamp" "$stamp"; then log "venv: moto $MOTO_VERSION present"; return; fi
  log "venv: creating $venv with moto[server]==$MOTO_VERSION"
  local py=/usr/bin/python3; [ -x "$py" ] || py="$(command -v python3)"
  rm -rf "$venv"
  "$py" -m venv "$venv" || die "python3 -m venv failed (apt package python3-venv)"
  "$venv/bin/pip" install -q --disable-pip-version-check "moto[server]==$MOTO_VERSION" || die "pip install moto failed"
  echo "$stamp" > "$venv/.smp-stamp"
}

setup_bench_compose() {
  # The SDK's local mode (instance_type="local", the Local benchmark's peer) runs its containers with
  # `docker compose` (v2) or else `docker-compose`: Debian's docker-compose package (v1) is the one that goes with
  # docker.io. Only the benchmark needs it, so it is not in APT_PACKAGES (the test setup stays as it is).
  apt_ensure "bench apt" "; the SDK's local mode needs docker compose" "${BENCH_APT_PACKAGES[@]}"
  command -v docker-compose >/dev/null || die "docker-compose is not on PATH after installing it"
}

setup_bench_venv() {
  setup_venv
  setup_bench_compose
  setup_sdk_venv
}

setup_sdk_venv() {
  # The pinned SageMaker Python SDK (v2), boto3 and the AWS CLI (v1, which vendors its own botocore): the SDK-parity
  # integration test's reference and the benchmarks' peers. Their own venv, so they never move the versions under
  # the pinned moto. All three honour AWS_ENDPOINT_URL. Checked on Python 3.11 (bookworm), 2026-11-27.
  local venv="$CACHE/bench-venv" stamp="sagemaker==$SAGEMAKER_VERSION boto3==$BOTO3_VERSION awscli==$AWSCLI_VERSION"
  if [ -x "$venv/bin/aws" ] && stamp_ok "$venv/.smp-stamp" "$stamp"; then log "bench venv: peers present ($stamp)"; return; fi
  log "bench venv: creating $venv with $stamp (a minute or two)"
  local py=/usr/bin/python3; [ -x "$py" ] || py="$(command -v python3)"
  rm -rf "$venv"
  "$py" -m venv "$venv" || die "python3 -m venv failed (apt package python3-venv)"
  "$venv/bin/pip" install -q --disable-pip-version-check \
    "sagemaker==$SAGEMAKER_VERSION" "boto3==$BOTO3_VERSION" "awscli==$AWSCLI_VERSION" \
    || die "pip install of the benchmark peers (sagemaker, boto3, awscli) failed"
  "$venv/bin/python" -c "import sagemaker.processing, boto3" >/dev/null 2>&1 || die "the SageMaker Python SDK does not import"
  "$venv/bin/aws" --version >/dev/null 2>&1 || die "the AWS CLI does not run"
  echo "$stamp" > "$venv/.smp-stamp"
}

setup_sdk_v3_venv() {
  # The pinned SageMaker Python SDK v3 (sagemaker.core.processing, sagemaker.mlops.workflow) in a venv of its own:
  # the v3 reference of the SDK-parity tests (test/integration/sdk-v3-parity.test.ts). Its own venv because v3 pins
  # other boto3/pydantic versions than the v2 peers. Checked on Python 3.11 (bookworm), 2026-12-07.
  local venv="$CACHE/sdk-v3-venv" stamp="sagemaker==$SAGEMAKER_V3_VERSION ${SAGEMAKER_V3_PINS[*]}"
  if [ -x "$venv/bin/python" ] && stamp_ok "$venv/.smp-stamp" "$stamp"; then log "sdk v3 venv: $stamp present"; return; fi
  log "sdk v3 venv: creating $venv with $stamp (a minute or two)"
  local py=/usr/bin/python3; [ -x "$py" ] || py="$(command -v python3)"
  rm -rf "$venv"
  "$py" -m venv "$venv" || die "python3 -m venv failed (apt package python3-venv)"
  "$venv/bin/pip" install -q --disable-pip-version-check "sagemaker==$SAGEMAKER_V3_VERSION" "${SAGEMAKER_V3_PINS[@]}" \
    || die "pip install sagemaker==$SAGEMAKER_V3_VERSION failed"
  # (Importing sagemaker.mlops.workflow makes a boto3 client: it needs a region, any region.)
  AWS_DEFAULT_REGION=us-east-1 "$venv/bin/python" -c "import sagemaker.core.processing, sagemaker.mlops.workflow" >/dev/null 2>&1 \
    || die "the SageMaker Python SDK v3 does not import (sagemaker.core.processing, sagemaker.mlops.workflow)"
  echo "$stamp" > "$venv/.smp-stamp"
}

setup_code_server() {
  local dir="$CACHE/code-server"
  if [ -f "$dir/node_modules/code-server/out/node/entry.js" ] && stamp_ok "$dir/.smp-stamp" "$CODE_SERVER_VERSION"; then
    log "code-server: $CODE_SERVER_VERSION present"; return
  fi
  command -v rg >/dev/null || die "ripgrep (rg) is needed to install code-server offline"
  log "code-server: installing $CODE_SERVER_VERSION (about a minute)"
  rm -rf "$dir"; mkdir -p "$dir"
  # @vscode/ripgrep downloads rg in its postinstall; seed its cache with the system rg instead.
  local tmp; tmp="$(mktemp -d)"
  local rgcache="$tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  mkdir -p "$rgcache/pkg"
  cp "$(command -v rg)" "$rgcache/pkg/rg"
  tar -C "$rgcache/pkg" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
  echo '{"name":"smp-code-server","private":true,"allowScripts":{"code-server":true}}' > "$dir/package.json"
  (cd "$dir" && TMPDIR="$tmp" npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir=/usr \
    npm install --no-audit --no-fund --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >"$tmp/npm.log" 2>&1) \
    || { tail -40 "$tmp/npm.log" >&2; die "npm install code-server@$CODE_SERVER_VERSION failed"; }
  [ -f "$dir/node_modules/code-server/out/node/entry.js" ] || die "code-server installed without out/node/entry.js"
  # The postinstall must have produced the native modules and the vscode server's node_modules.
  [ -d "$dir/node_modules/code-server/lib/vscode/node_modules" ] \
    || { tail -40 "$tmp/npm.log" >&2; die "code-server postinstall did not run (lib/vscode/node_modules missing)"; }
  rm -rf "$tmp"
  echo "$CODE_SERVER_VERSION" > "$dir/.smp-stamp"
}

debian_mirror() {
  local m=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)"
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m="$(awk '$1=="deb" && $3 !~ /security/ {print $2; exit}' /etc/apt/sources.list)"
  fi
  [ -n "$m" ] || die "cannot find a Debian mirror in the apt sources for debootstrap"
  echo "$m"
}

# unmount_under DIR: unmounts every mount point at or below DIR, deepest first (a lazy unmount if busy).
unmount_under() {
  local m
  [ -d "$1" ] || return 0
  findmnt -rn -o TARGET | awk -v d="$1" 'index($0, d) == 1' | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" || die "cannot unmount $m"
  done
}

setup_base_image() {
  # An offline base image: Debian bookworm minbase with python3, pandas and scikit-learn (what the census
  # example needs), imported into the private dockerd later with `docker import`.
  local dir="$CACHE/base-image" stamp="bookworm-minbase python3 pandas sklearn v1"
  if [ -f "$dir/python-base.tar" ] && stamp_ok "$dir/.smp-stamp" "$stamp"; then log "base image: cached"; return; fi
  [ "$(id -u)" = 0 ] || die "building the base image needs root (debootstrap)"
  command -v debootstrap >/dev/null || die "debootstrap missing"
  log "base image: debootstrap bookworm with python3, pandas, scikit-learn (a minute or two)"
  mkdir -p "$dir"; local rootfs="$dir/rootfs"
  unmount_under "$rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=python3,python3-pandas,python3-sklearn bookworm "$rootfs" "$(debian_mirror)" \
    >"$dir/debootstrap.log" 2>&1 || { tail -20 "$dir/debootstrap.log" >&2; die "debootstrap failed"; }
  # debootstrap can leave the chroot's /proc (or /sys) mounted on some kernels: never archive or delete through it.
  unmount_under "$rootfs"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" --exclude='./proc/*' --exclude='./sys/*' --exclude='./dev/*' -cf "$dir/python-base.tar.tmp" . \
    && mv "$dir/python-base.tar.tmp" "$dir/python-base.tar"
  unmount_under "$rootfs"
  rm -rf "$rootfs"
  echo "$stamp" > "$dir/.smp-stamp"
}

setup_debugpy() {
  # The debugger the debug-mode local run mounts into the container (tests and e2e point the setting at it), as the
  # Python Debugger extension would supply it: a folder holding the debugpy package. Wheels for CPython 3.11 on
  # linux x86_64 (the offline base image's python, glibc 2.36), whatever python runs this script: the wheel with
  # pydevd's compiled speedups (the pure-python one works too, but traces the script several times slower).
  local dir="$CACHE/debugpy" stamp="debugpy==$DEBUGPY_VERSION cp311 manylinux_2_34 x86_64"
  if [ -f "$dir/libs/debugpy/__main__.py" ] && stamp_ok "$dir/.smp-stamp" "$stamp"; then log "debugpy: $DEBUGPY_VERSION present"; setup_debugpy_wheel; return; fi
  setup_venv
  log "debugpy: installing $DEBUGPY_VERSION into $dir/libs"
  rm -rf "$dir"; mkdir -p "$dir"
  "$CACHE/venv/bin/pip" install -q --disable-pip-version-check --no-deps --only-binary=:all: \
    --python-version 3.11 --implementation cp --abi cp311 --platform manylinux_2_34_x86_64 \
    --target "$dir/libs" "debugpy==$DEBUGPY_VERSION" || die "pip install debugpy==$DEBUGPY_VERSION failed"
  [ -f "$dir/libs/debugpy/__main__.py" ] || die "debugpy installed without debugpy/__main__.py"
  ls "$dir"/libs/debugpy/_vendored/pydevd/_pydevd_bundle/pydevd_cython*.so >/dev/null 2>&1 || die "debugpy installed without pydevd's speedups"
  echo "$stamp" > "$dir/.smp-stamp"
  setup_debugpy_wheel
}

setup_debugpy_wheel() {
  # debugpy's pure-python wheel, so that the extension's "Install debugpy" (pip --target into its storage) is tested
  # offline: the test installs it with --no-index --find-links from here.
  local wheels="$CACHE/debugpy/wheels"
  [ -f "$wheels/debugpy-$DEBUGPY_VERSION-py2.py3-none-any.whl" ] && return
  setup_venv
  log "debugpy: keeping the $DEBUGPY_VERSION wheel in $wheels"
  mkdir -p "$wheels"
  "$CACHE/venv/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary=:all: --platform any \
    -d "$wheels" "debugpy==$DEBUGPY_VERSION" || die "pip download debugpy==$DEBUGPY_VERSION failed"
  [ -f "$wheels/debugpy-$DEBUGPY_VERSION-py2.py3-none-any.whl" ] || die "no debugpy-$DEBUGPY_VERSION-py2.py3-none-any.whl downloaded"
}

setup_mcp_tools() {
  local dir="$CACHE/mcp-tools" stamp="conformance@$MCP_CONFORMANCE_VERSION inspector@$MCP_INSPECTOR_VERSION"
  if [ -f "$dir/node_modules/@modelcontextprotocol/inspector/cli/build/cli.js" ] && stamp_ok "$dir/.smp-stamp" "$stamp"; then
    log "mcp-tools: $stamp present"; return
  fi
  log "mcp-tools: installing $stamp (about two minutes)"
  rm -rf "$dir"; mkdir -p "$dir"
  echo '{"name":"smp-mcp-tools","private":true}' > "$dir/package.json"
  (cd "$dir" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts --save-exact \
    "@modelcontextprotocol/conformance@$MCP_CONFORMANCE_VERSION" "@modelcontextprotocol/inspector@$MCP_INSPECTOR_VERSION" >"$dir/npm.log" 2>&1) \
    || { tail -40 "$dir/npm.log" >&2; die "npm install of the MCP conformance suite and Inspector failed"; }
  echo "$stamp" > "$dir/.smp-stamp"
}

if [ -n "$only" ]; then
  want apt && setup_apt
  want npm && setup_npm
  want venv && setup_venv
  want code-server && setup_code_server
  want base-image && setup_base_image
  want sdk-venv && setup_sdk_venv
  want sdk-v3-venv && setup_sdk_v3_venv
  want debugpy && setup_debugpy
  want mcp-tools && setup_mcp_tools
  [ "$only" = "bench-venv" ] && setup_bench_venv
  log "done"
  exit 0
fi

# Everything: apt first (the other parts need its tools), then the other parts at the same time — they are bound by
# the network and the disk, and none writes what another reads (debugpy, which needs the moto venv's pip, runs after
# it in the same part). Each part's output goes to its own log, printed whole when the part ends; a part that fails
# fails setup, with its log, once all parts have ended (each part is idempotent: a re-run redoes only what is missing).
setup_apt
LOGS="$CACHE/setup-logs"
mkdir -p "$LOGS"
declare -A part_pid=() part_start=()
part() { # part NAME FUNCTION...: runs the functions one after another in the background, output to $LOGS/NAME.log
  local name="$1" f
  shift
  ( for f in "$@"; do "$f"; done ) >"$LOGS/$name.log" 2>&1 &
  part_pid[$name]=$!
  part_start[$name]=$(date +%s)
}
part npm setup_npm
part venv+debugpy setup_venv setup_debugpy
part code-server setup_code_server
part base-image setup_base_image
part sdk-venv setup_sdk_venv
part sdk-v3-venv setup_sdk_v3_venv
part mcp-tools setup_mcp_tools
failed=()
while [ ${#part_pid[@]} -gt 0 ]; do
  done_pid=""
  rc=0
  wait -n -p done_pid "${part_pid[@]}" || rc=$?
  for name in "${!part_pid[@]}"; do
    [ "${part_pid[$name]}" = "$done_pid" ] || continue
    unset "part_pid[$name]"
    cat "$LOGS/$name.log"
    if [ "$rc" = 0 ]; then
      log "$name: ok in $(( $(date +%s) - part_start[$name] )) s"
    else
      failed+=("$name")
      printf '\033[1;31m[setup] %s FAILED (exit %s) after %s s; its log: %s\033[0m\n' "$name" "$rc" "$(( $(date +%s) - part_start[$name] ))" "$LOGS/$name.log" >&2
    fi
  done
done
[ ${#failed[@]} -eq 0 ] || die "part(s) failed: ${failed[*]} (logs above and in $LOGS)"
log "done"
