# shellcheck shell=bash
# Sourced by the infra scripts (run as root): installs Debian packages the one way they all need.
#
#   apt_packages PACKAGE...
#
# - noninteractive, keeping existing config files, without recommends;
# - no package's init script may start a service during the install (a temporary policy-rc.d): the
#   scripts configure their servers first and start them themselves, on loopback;
# - `apt-get update` only when needed: when there are no package lists at all, or when the install
#   fails with the lists there (stale).
# Returns non-zero, with apt-get's own messages on stderr, when the packages could not be installed.

_apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 "$@"
}

_apt_install() {
    _apt_get install -y --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

_apt_policy_created=0
_apt_remove_policy() {
    if [ "$_apt_policy_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
    _apt_policy_created=0
}

apt_packages() {
    command -v apt-get > /dev/null 2>&1 || { echo "apt-get is not available (Debian expected)" >&2; return 1; }
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        _apt_policy_created=1
        # Also when the script is interrupted mid-install: a leftover policy would stop later installs' services.
        trap _apt_remove_policy EXIT
    fi
    local rc=0
    if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -print -quit 2> /dev/null)" ]; then
        echo "no apt package lists yet: running apt-get update" >&2
        _apt_get update || rc=1
    fi
    if [ "$rc" = 0 ] && ! _apt_install "$@"; then
        echo "apt-get install failed (package lists stale?); running apt-get update and retrying" >&2
        { _apt_get update && _apt_install "$@"; } || rc=1
    fi
    _apt_remove_policy
    return "$rc"
}
