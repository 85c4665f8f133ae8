# shellcheck shell=bash
# Sourced by the infra scripts: free TCP ports for private servers.
#
#   port_free PORT          0 when no socket on this machine (any address, any state) uses PORT
#   free_port [EXCLUDED…]   prints a free port in 20000-32767 (below Linux's ephemeral range, so outgoing
#                           connections do not take it meanwhile), not one of EXCLUDED
#
# A port found free can still be taken by another program before the server binds it; the scripts that
# start a server check that it came up and choose again when it did not.

_ports_in_use() {
    # local_address is "ADDR:PORT" in hex, column 2 of /proc/net/tcp and tcp6
    local _ local_address _rest
    cat /proc/net/tcp /proc/net/tcp6 2> /dev/null | while read -r _ local_address _rest; do
        case "$local_address" in *:*) echo $((16#${local_address##*:})) ;; esac
    done | sort -u
}

port_free() {
    ! _ports_in_use | grep -qx "$1"
}

free_port() {
    local used p i
    used=$(_ports_in_use)
    for i in $(seq 1 200); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 12768))
        printf '%s\n' "$used" "$@" | grep -qx "$p" && continue
        echo "$p"
        return 0
    done
    echo "no free port found in 20000-32767" >&2
    return 1
}
