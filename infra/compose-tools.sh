#!/usr/bin/env bash
# Installs Debian's docker-compose (1.29) when it is missing. The test suite only runs
# `docker-compose config` to validate docker-compose.yml: that needs no Docker engine, which these
# machines do not have.
set -euo pipefail

if command -v docker-compose > /dev/null 2>&1; then
    echo "docker-compose present: $(docker-compose version --short 2>/dev/null || echo unknown)"
    exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq docker-compose > /dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq docker-compose > /dev/null
fi
echo "docker-compose installed: $(docker-compose version --short 2>/dev/null || echo unknown)"
