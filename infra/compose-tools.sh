#!/usr/bin/env bash
# Installs Debian's docker-compose (1.29) when it is missing. The test suite only runs
# `docker-compose config` to validate docker-compose.yml: that needs no Docker engine, which these
# machines do not have.
set -euo pipefail

if command -v docker-compose > /dev/null 2>&1; then
    echo "docker-compose present: $(docker-compose version --short 2>/dev/null || echo unknown)"
    exit 0
fi

if [ "$(id -u)" != 0 ]; then
    command -v sudo > /dev/null 2>&1 || { echo "compose-tools.sh: must run as root (sudo is not available)" >&2; exit 1; }
    exec sudo bash "$0" "$@"
fi

# shellcheck source=infra/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
apt_packages docker-compose > /dev/null || { echo "compose-tools.sh: apt-get install docker-compose failed" >&2; exit 1; }
echo "docker-compose installed: $(docker-compose version --short 2>/dev/null || echo unknown)"
