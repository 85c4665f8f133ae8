#!/usr/bin/env bash
# Local RabbitMQ broker for tests and development (no Docker needed).
#
#   infra/rabbitmq.sh [start]   install (apt) if missing, configure, start, wait until ready (idempotent)
#   infra/rabbitmq.sh stop      graceful stop (SIGTERM, then SIGKILL after RABBITMQ_STOP_TIMEOUT)
#   infra/rabbitmq.sh restart   stop + start (fault tests restart the broker with this)
#   infra/rabbitmq.sh kill      SIGKILL the broker (simulated crash); `start` brings it back
#   infra/rabbitmq.sh status    exit 0 and print the URL if AMQP and the management API answer
#   infra/rabbitmq.sh reset     stop, wipe the node's data directory, start
#   infra/rabbitmq.sh install   only install (apt) and configure; start nothing
#
# Uses Debian's rabbitmq-server package (3.10.x), no systemd: the node runs as the `rabbitmq`
# user, started with `rabbitmq-server -detached`, and listens on loopback only:
#   AMQP       127.0.0.1:5672   (guest/guest, allowed from loopback by RabbitMQ's default)
#   management 127.0.0.1:15672  (HTTP API; tests create throw-away virtual hosts through it)
# The node is named rabbit@localhost so it never depends on the machine's host name.
#
# Environment: RABBITMQ_START_TIMEOUT (s, default 90), RABBITMQ_STOP_TIMEOUT (s, default 30),
#              RABBITMQ_STALE_WAIT (s, default 30: how long an existing but unresponsive node may
#              take to become ready before it is replaced), RABBITMQ_AUTO_RESET=0 to never wipe
#              the node's data after a failed boot.
set -euo pipefail

ACTION="${1:-start}"
START_TIMEOUT="${RABBITMQ_START_TIMEOUT:-90}"
STOP_TIMEOUT="${RABBITMQ_STOP_TIMEOUT:-30}"
AUTO_RESET="${RABBITMQ_AUTO_RESET:-1}"
STALE_WAIT="${RABBITMQ_STALE_WAIT:-30}"

NODE="rabbit@localhost"
AMQP_PORT=5672
MGMT_PORT=15672
AMQP_URL="amqp://guest:guest@127.0.0.1:${AMQP_PORT}/"
MGMT_URL="http://127.0.0.1:${MGMT_PORT}/"
ETC=/etc/rabbitmq
LIB=/var/lib/rabbitmq
LOGDIR=/var/log/rabbitmq
START_LOG="$LOGDIR/detached-start.log"
LOCK_FILE=/run/lock/soraevents-rabbitmq.lock

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

log() { printf '[rabbitmq.sh] %s\n' "$*" >&2; }
die() {
    printf '[rabbitmq.sh] ERROR: %s\n' "$*" >&2
    exit 1
}

case "$ACTION" in
    start | stop | restart | kill | status | reset | install) ;;
    -h | --help | help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown action '$ACTION' (expected start|stop|restart|kill|status|reset|install)" ;;
esac

# Everything but `status` needs root (apt, /etc/rabbitmq, starting the node as rabbitmq).
if [ "$(id -u)" != 0 ] && [ "$ACTION" != status ]; then
    command -v sudo > /dev/null 2>&1 || die "must run as root (sudo is not available)"
    exec sudo --preserve-env=RABBITMQ_START_TIMEOUT,RABBITMQ_STOP_TIMEOUT,RABBITMQ_STALE_WAIT,RABBITMQ_AUTO_RESET \
        bash "$0" "$@"
fi

# ---------------------------------------------------------------------------------------------
# probes (cheap: no Erlang CLI involved)

# AMQP 0-9-1 handshake: send the protocol header, expect a METHOD frame (type 1, connection.start).
amqp_ok() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    timeout 5 bash -c '
        exec 3<> "/dev/tcp/127.0.0.1/$1" || exit 1
        printf "AMQP\x00\x00\x09\x01" >&3
        b=$(head -c 1 <&3 | od -An -tu1 | tr -d " ")
        exec 3>&-
        [ "$b" = 1 ]' amqp_ok "$AMQP_PORT" > /dev/null 2>&1
}

mgmt_ok() {
    local body
    body=$(curl -fsS --max-time 5 -u guest:guest "${MGMT_URL}api/overview" 2> /dev/null) || return 1
    case "$body" in *rabbitmq_version*) return 0 ;; *) return 1 ;; esac
}

port_open() { timeout 3 bash -c "exec 3<> /dev/tcp/127.0.0.1/$1" > /dev/null 2>&1; }

ready() { amqp_ok && mgmt_ok; }

# PIDs of RabbitMQ *server* VMs owned by the rabbitmq user (any node name, so nodes left by an
# older configuration are found too). Erlang CLI tools (rabbitmqctl ...) are not matched.
broker_pids() {
    local uid d comm cmd
    uid=$(id -u rabbitmq 2> /dev/null) || return 0
    for d in /proc/[0-9]*; do
        comm=
        read -r comm < "$d/comm" 2> /dev/null || continue
        case "$comm" in beam* | erlexec) ;; *) continue ;; esac
        [ "$(stat -c %u "$d" 2> /dev/null)" = "$uid" ] || continue
        cmd=$(tr '\0' ' ' < "$d/cmdline" 2> /dev/null) || continue
        case "$cmd" in *" -s rabbit boot"* | *"-boot start_sasl"*) echo "${d#/proc/}" ;; esac
    done
}

alive() { # pids... -> 0 if any of them still exists
    local p
    for p in "$@"; do
        if [ -e "/proc/$p" ] && [ "$(cut -d' ' -f3 < "/proc/$p/stat" 2> /dev/null)" != Z ]; then
            return 0
        fi
    done
    return 1
}

diagnostics() {
    local f
    log "---- diagnostics ----"
    for f in "$START_LOG" "$LOGDIR/$NODE.log"; do
        if [ -f "$f" ]; then
            log "last lines of $f:"
            tail -n 40 "$f" >&2 || true
        fi
    done
    if [ -f "$LIB/erl_crash.dump" ]; then
        log "an Erlang crash dump exists: $LIB/erl_crash.dump ($(head -n 3 "$LIB/erl_crash.dump" | tr '\n' ' '))"
    fi
    log "broker processes: $(broker_pids | tr '\n' ' ')"
    log "---------------------"
}

# ---------------------------------------------------------------------------------------------
# install

# shellcheck source=infra/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

ensure_installed() {
    local missing=()
    [ -x /usr/sbin/rabbitmq-server ] || missing+=(rabbitmq-server)
    command -v curl > /dev/null 2>&1 || missing+=(curl ca-certificates)
    command -v flock > /dev/null 2>&1 || missing+=(util-linux)
    [ "${#missing[@]}" -eq 0 ] && return 0

    log "installing ${missing[*]} with apt-get ..."
    apt_packages "${missing[@]}" || die "apt-get install ${missing[*]} failed"
    [ -x /usr/sbin/rabbitmq-server ] || die "rabbitmq-server is still missing after apt-get install"
    log "installed ${missing[*]}"
}

# ---------------------------------------------------------------------------------------------
# configuration (only rewritten when different; CONFIG_CHANGED=1 means a running node is stale)

CONFIG_CHANGED=0

write_file() { # path content
    local path="$1" content="$2" tmp
    if [ -f "$path" ] && [ "$(cat "$path")" = "$content" ]; then return 0; fi
    tmp=$(mktemp "$path.XXXXXX")
    printf '%s\n' "$content" > "$tmp"
    chmod 644 "$tmp"
    chown rabbitmq:rabbitmq "$tmp"
    mv -f "$tmp" "$path"
    CONFIG_CHANGED=1
    log "wrote $path"
}

configure() {
    getent passwd rabbitmq > /dev/null || die "user 'rabbitmq' does not exist (is the rabbitmq-server package fully installed? try: dpkg --configure -a)"
    mkdir -p "$ETC" "$LIB/mnesia" "$LOGDIR"
    chown rabbitmq:rabbitmq "$ETC" "$LIB" "$LIB/mnesia" "$LOGDIR"

    write_file "$ETC/rabbitmq-env.conf" "# Managed by infra/rabbitmq.sh (SoraEvents): local loopback-only test broker.
# Node name independent of the machine's host name; Erlang distribution and epmd on loopback.
NODENAME=$NODE
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS=\"-kernel inet_dist_use_interface {127,0,0,1}\""

    write_file "$ETC/rabbitmq.conf" "# Managed by infra/rabbitmq.sh (SoraEvents): local loopback-only test broker.
# loopback_users is left at its default, so guest/guest works from 127.0.0.1 only.
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT"

    # Enable the management plugin offline (no running node needed). Skip the slow Erlang CLI
    # when the plugins file already lists it.
    if ! grep -qs 'rabbitmq_management[],]' "$ETC/enabled_plugins"; then
        log "enabling rabbitmq_management (offline)"
        (cd "$LIB" && rabbitmq-plugins enable --offline rabbitmq_management < /dev/null > /dev/null 9>&-) ||
            die "rabbitmq-plugins enable --offline rabbitmq_management failed"
        CONFIG_CHANGED=1
    fi
    [ -f "$ETC/enabled_plugins" ] && chown rabbitmq:rabbitmq "$ETC/enabled_plugins"

    # The Erlang cookie must exist and belong to rabbitmq (the package's postinst creates it).
    if [ ! -s "$LIB/.erlang.cookie" ]; then
        (umask 077 && head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$LIB/.erlang.cookie")
    fi
    chown rabbitmq:rabbitmq "$LIB/.erlang.cookie"
    chmod 400 "$LIB/.erlang.cookie"
}

# ---------------------------------------------------------------------------------------------
# lifecycle

wait_gone() { # seconds pids... -> 0 when none of the pids is left
    local deadline=$((SECONDS + $1))
    shift
    while alive "$@"; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
    return 0
}

stop_broker() {
    local pids
    pids=$(broker_pids | tr '\n' ' ')
    if [ -z "${pids// /}" ]; then
        log "broker is not running"
        return 0
    fi
    log "stopping broker (pid $pids) ..."
    # RabbitMQ handles SIGTERM as a graceful shutdown (same as `rabbitmqctl stop`), and this also
    # reaches nodes left over under another node name or with a different Erlang cookie.
    # shellcheck disable=SC2086
    kill -TERM $pids 2> /dev/null || true
    # shellcheck disable=SC2086
    kill -CONT $pids 2> /dev/null || true # in case it was suspended (SIGSTOP) by a fault test
    # shellcheck disable=SC2086
    if ! wait_gone "$STOP_TIMEOUT" $pids; then
        log "broker did not stop within ${STOP_TIMEOUT}s; sending SIGKILL to $pids"
        # shellcheck disable=SC2086
        kill -KILL $pids 2> /dev/null || true
        # shellcheck disable=SC2086
        wait_gone 10 $pids || die "could not stop broker processes: $pids"
    fi
    log "broker stopped"
}

kill_broker() {
    local pids
    pids=$(broker_pids | tr '\n' ' ')
    if [ -z "${pids// /}" ]; then
        log "broker is not running"
        return 0
    fi
    log "killing broker (SIGKILL, pid $pids)"
    # shellcheck disable=SC2086
    kill -KILL $pids 2> /dev/null || true
    # shellcheck disable=SC2086
    wait_gone 10 $pids || die "broker processes survived SIGKILL: $pids"
}

wipe_node_data() {
    log "wiping node data: $LIB/mnesia/$NODE*"
    rm -rf "${LIB:?}/mnesia/$NODE" "${LIB:?}/mnesia/$NODE"-* "${LIB:?}/mnesia/$NODE".pid
}

launch() {
    # Files created by root (e.g. by earlier manual runs) would stop the node from booting.
    chown -R rabbitmq:rabbitmq "$LIB" "$LOGDIR"
    : > "$START_LOG"
    chown rabbitmq:rabbitmq "$START_LOG"
    log "starting broker: rabbitmq-server -detached (node $NODE)"
    # Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user (su) when run as root.
    # setsid + redirected stdio: the node must not hold this script's (or CI's) pipes open.
    if ! (cd "$LIB" && setsid rabbitmq-server -detached < /dev/null >> "$START_LOG" 2>&1 9>&-); then
        diagnostics
        die "rabbitmq-server -detached failed"
    fi
}

# Wait until AMQP and the management API answer. Returns 0 ready, 2 node died, 1 timeout.
wait_ready() {
    local deadline=$1 seen=0 grace=$((SECONDS + 15))
    while :; do
        if [ -n "$(broker_pids)" ]; then
            seen=1
            ready && return 0
        elif [ "$seen" = 1 ] || [ "$SECONDS" -ge "$grace" ]; then
            # the VM existed and is gone (or never appeared): boot failed
            return 2
        fi
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 1
    done
}

ports_free() { # a foreign listener would make the node die at boot (and look like corrupt data)
    local p
    for p in "$AMQP_PORT" "$MGMT_PORT" 25672; do
        if port_open "$p"; then
            die "port 127.0.0.1:$p is in use by a process that is not this machine's rabbitmq-server (see: ss -ltnp | grep :$p)"
        fi
    done
}

start_broker() {
    local t0=$SECONDS deadline rc attempt=1
    ports_free
    deadline=$((SECONDS + START_TIMEOUT))
    while :; do
        launch
        rc=0
        wait_ready "$deadline" || rc=$?
        [ "$rc" = 0 ] && break
        if [ "$rc" = 2 ] && [ "$attempt" = 1 ] && [ "$AUTO_RESET" = 1 ] && [ "$SECONDS" -lt "$deadline" ]; then
            diagnostics
            log "the node died while booting; its data may be corrupt (e.g. a node killed mid-write)."
            log "RETRYING ONCE WITH A FRESH DATA DIRECTORY (set RABBITMQ_AUTO_RESET=0 to prevent this)"
            wipe_node_data
            attempt=2
            continue
        fi
        diagnostics
        if [ "$rc" = 2 ]; then
            die "RabbitMQ node exited while booting (see diagnostics above; 'infra/rabbitmq.sh reset' wipes its data)"
        fi
        kill_broker || true
        die "RabbitMQ was not ready within ${START_TIMEOUT}s (AMQP on 127.0.0.1:$AMQP_PORT and/or management API on ${MGMT_URL}api/overview did not answer); the unresponsive node was killed"
    done
    # Confirm with RabbitMQ's own readiness check (fast now that the listeners answer).
    if ! timeout 60 rabbitmqctl -q await_startup --timeout 50 < /dev/null > /dev/null 2>&1 9>&-; then
        diagnostics
        die "rabbitmqctl await_startup failed although the listeners answer"
    fi
    log "broker started in $((SECONDS - t0))s"
}

do_start() {
    ensure_installed
    configure
    if [ -n "$(broker_pids)" ]; then
        if [ "$CONFIG_CHANGED" = 1 ]; then
            log "configuration changed: restarting the running node"
            stop_broker
        elif ready; then
            return 0 # already running and ready (the fast, idempotent path)
        else
            # Running but not answering: still booting (e.g. started by a concurrent caller before
            # we got the lock, or right after a crash), or wedged / half-started. Give it a while.
            log "a broker process exists but is not ready yet; waiting up to ${STALE_WAIT}s"
            local rc=0
            wait_ready $((SECONDS + STALE_WAIT)) || rc=$?
            if [ "$rc" = 0 ]; then return 0; fi
            log "stale or unresponsive node: replacing it"
            stop_broker
        fi
    elif ready; then
        log "no local rabbitmq-server process, but a broker already answers on 127.0.0.1:$AMQP_PORT and $MGMT_URL; using it"
        return 0
    fi
    start_broker
}

if [ "$ACTION" != status ]; then
    mkdir -p "$(dirname "$LOCK_FILE")" 2> /dev/null || LOCK_FILE=/tmp/soraevents-rabbitmq.lock
    exec 9> "$LOCK_FILE"
    flock -w 300 9 || die "another infra/rabbitmq.sh is still running (lock $LOCK_FILE)"
fi

case "$ACTION" in
    start)
        do_start
        echo "RabbitMQ ready at $AMQP_URL"
        ;;
    restart)
        ensure_installed
        configure
        stop_broker
        start_broker
        echo "RabbitMQ ready at $AMQP_URL"
        ;;
    reset)
        ensure_installed
        configure
        stop_broker
        wipe_node_data
        start_broker
        echo "RabbitMQ ready at $AMQP_URL"
        ;;
    install)
        ensure_installed
        configure
        log "installed and configured (not started)"
        ;;
    stop)
        [ -x /usr/sbin/rabbitmq-server ] || {
            log "rabbitmq-server is not installed"
            exit 0
        }
        stop_broker
        ;;
    kill)
        kill_broker
        ;;
    status)
        if ready; then
            echo "RabbitMQ ready at $AMQP_URL (management $MGMT_URL)"
        else
            pids=$(broker_pids | tr '\n' ' ')
            echo "RabbitMQ not ready (broker pids: ${pids:-none})"
            exit 1
        fi
        ;;
esac
