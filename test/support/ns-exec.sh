#!/bin/sh
# Runs a command in the current (private) mount namespace with its own /etc/hosts and /etc/docker/certs.d,
# so a test dockerd resolves an ECR-shaped host name to loopback and trusts a test CA without touching the
# machine's files. Called as: unshare --mount --propagation private -- sh ns-exec.sh HOSTS CERTS_D cmd args...
set -eu
hosts="$1"; certs="$2"; shift 2
mount --bind "$hosts" /etc/hosts
mkdir -p /etc/docker/certs.d 2>/dev/null || true
mount --bind "$certs" /etc/docker/certs.d
exec "$@"
