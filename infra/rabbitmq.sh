#!/usr/bin/env bash
# A private RabbitMQ node for tests and development (no Docker, nothing under /etc touched).
#
#   eval "$(infra/rabbitmq.sh [start] [--dir DIR])"   install (apt) if missing, start the node of DIR, wait until
#                                                     ready; prints `export RabbitMq__Url=…` lines (idempotent)
#   infra/rabbitmq.sh stop    [--dir DIR]   graceful stop (SIGTERM, SIGKILL after RABBITMQ_STOP_TIMEOUT)
#   infra/rabbitmq.sh kill    [--dir DIR]   SIGKILL the node (a simulated crash); `start` brings it back
#   infra/rabbitmq.sh restart [--dir DIR]   stop + start, on the same ports
#   infra/rabbitmq.sh status  [--dir DIR]   exit 0 when AMQP and the management API answer
#   infra/rabbitmq.sh env     [--dir DIR]   print the export lines of a started node
#   infra/rabbitmq.sh ctl     [--dir DIR] -- ARGS…   rabbitmqctl against the node (e.g. `-- set_vm_memory_high_watermark 0`)
#   infra/rabbitmq.sh install               only install Debian's rabbitmq-server (needs root or sudo)
#
# DIR (default .servers/rabbitmq at the repository root) holds everything of the node: its config, data, logs,
# Erlang cookie, the ports chosen for it and the PIDs of the processes this script started. The node is named
# after DIR, runs as the calling user (root or not) from Debian's /usr/lib/rabbitmq, with its own epmd on a port
# of its own, and listens on 127.0.0.1 only. Ports are chosen free when DIR is first started (the default DIR
# prefers 5672/15672, so `Bus__Transport=RabbitMq dotnet run` finds it without settings) and kept for restarts.
#
# The script signals only processes it started itself: every one carries SORAEVENTS_NODE_DIR=DIR in its
# environment, and a PID is signalled only after that is checked. Any other RabbitMQ on the machine, and the
# machine's configuration, are left alone.
#
# Environment: RABBITMQ_START_TIMEOUT (s, default 90), RABBITMQ_STOP_TIMEOUT (s, default 30).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START_TIMEOUT="${RABBITMQ_START_TIMEOUT:-90}"
STOP_TIMEOUT="${RABBITMQ_STOP_TIMEOUT:-30}"
RMQ_BIN=/usr/lib/rabbitmq/bin

log() { printf '[rabbitmq.sh] %s\n' "$*" >&2; }
die() {
    printf '[rabbitmq.sh] ERROR: %s\n' "$*" >&2
    exit 1
}

ACTION=start
DIR=
CTL_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        start | stop | kill | restart | status | env | ctl | install) ACTION="$1" ;;
        --dir) DIR="${2:?--dir needs a folder}"; shift ;;
        --dir=*) DIR="${1#--dir=}" ;;
        --) shift; CTL_ARGS=("$@"); break ;;
        -h | --help | help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) die "unknown argument '$1' (see infra/rabbitmq.sh --help)" ;;
    esac
    shift
done

DEFAULT_DIR="$ROOT/.servers/rabbitmq"
DIR="${DIR:-$DEFAULT_DIR}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
STATE="$DIR/node.env"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

# shellcheck source=infra/ports.sh
. "$ROOT/infra/ports.sh"

# ---------------------------------------------------------------------------------------------
# install (the only step that needs root)

ensure_installed() {
    [ -x "$RMQ_BIN/rabbitmq-server" ] && command -v curl > /dev/null 2>&1 && command -v flock > /dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ]; then
        command -v sudo > /dev/null 2>&1 || die "rabbitmq-server is not installed, and installing it needs root (sudo is not available)"
        sudo bash "$0" install || die "installing rabbitmq-server failed"
        return 0
    fi
    # shellcheck source=infra/apt.sh
    . "$ROOT/infra/apt.sh"
    log "installing rabbitmq-server with apt-get ..."
    apt_packages rabbitmq-server curl ca-certificates util-linux || die "apt-get install rabbitmq-server failed"
    [ -x "$RMQ_BIN/rabbitmq-server" ] || die "rabbitmq-server is still missing after apt-get install"
}

# ---------------------------------------------------------------------------------------------
# the node's identity and ports, chosen once per DIR

NODE= AMQP_PORT= MGMT_PORT= DIST_PORT= EPMD_PORT=

load_state() { [ -f "$STATE" ] && . "$STATE"; [ -n "$NODE" ]; }

choose_state() {
    local id
    id=$(printf '%s' "$DIR" | sha1sum | cut -c1-10)
    NODE="soraevents-$id@localhost"
    if [ "$DIR" = "$DEFAULT_DIR" ] && port_free 5672 && port_free 15672; then
        AMQP_PORT=5672 MGMT_PORT=15672
    else
        AMQP_PORT=$(free_port) MGMT_PORT=$(free_port "$AMQP_PORT")
    fi
    DIST_PORT=$(free_port "$AMQP_PORT" "$MGMT_PORT")
    EPMD_PORT=$(free_port "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT")
    printf 'NODE=%s\nAMQP_PORT=%s\nMGMT_PORT=%s\nDIST_PORT=%s\nEPMD_PORT=%s\n' \
        "$NODE" "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT" "$EPMD_PORT" > "$STATE"
}

print_env() {
    printf "export RabbitMq__Url='amqp://guest:guest@127.0.0.1:%s/'\n" "$AMQP_PORT"
    printf "export RabbitMq__ManagementUrl='http://127.0.0.1:%s/'\n" "$MGMT_PORT"
    printf "export SORAEVENTS_RABBITMQ_DIR='%s'\n" "$DIR"
}

# Everything the node and its CLI tools read comes from DIR, never from /etc/rabbitmq.
node_env() {
    export HOME="$DIR/home" \
        RABBITMQ_NODENAME="$NODE" \
        RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT="$AMQP_PORT" \
        RABBITMQ_DIST_PORT="$DIST_PORT" \
        ERL_EPMD_PORT="$EPMD_PORT" \
        ERL_EPMD_ADDRESS=127.0.0.1 \
        RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf" \
        RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf" \
        RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins" \
        RABBITMQ_MNESIA_BASE="$DIR/data" \
        RABBITMQ_LOG_BASE="$DIR/log" \
        RABBITMQ_PID_FILE="$DIR/data/beam.pid" \
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
        SORAEVENTS_NODE_DIR="$DIR"
}

configure() {
    mkdir -p "$DIR/home" "$DIR/data" "$DIR/log"
    : > "$DIR/rabbitmq-env.conf"
    cat > "$DIR/rabbitmq.conf" << EOF
# Written by infra/rabbitmq.sh for this folder's private node; rewritten at every start.
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
EOF
    echo '[rabbitmq_management].' > "$DIR/enabled_plugins"
    if [ ! -s "$DIR/home/.erlang.cookie" ]; then
        (umask 077 && head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$DIR/home/.erlang.cookie")
    fi
    chmod 400 "$DIR/home/.erlang.cookie"
}

# ---------------------------------------------------------------------------------------------
# processes this script started (checked by the marker in their environment before any signal)

ours() { # pid -> 0 when it is alive and was started for this DIR
    local p="$1"
    [ -n "$p" ] && [ -r "/proc/$p/environ" ] || return 1
    [ "$(cut -d' ' -f3 < "/proc/$p/stat" 2> /dev/null)" != Z ] || return 1
    tr '\0' '\n' < "/proc/$p/environ" 2> /dev/null | grep -qxF "SORAEVENTS_NODE_DIR=$DIR"
}

pid_of() { cat "$DIR/$1.pid" 2> /dev/null || true; }

group_alive() { # pgid -> 0 while any process of that group started for DIR lives
    local d
    for d in /proc/[0-9]*; do
        [ "$(awk '{print $5}' "$d/stat" 2> /dev/null)" = "$1" ] || continue
        ours "${d#/proc/}" && return 0
    done
    return 1
}

wait_group_gone() { # pgid seconds
    local deadline=$((SECONDS + $2))
    while group_alive "$1"; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.2
    done
}

signal_group() { # signal pgid (the group leader's PID was recorded by this script and is checked again here)
    ours "$2" || group_alive "$2" || return 0
    kill "-$1" -- "-$2" 2> /dev/null || true
}

# ---------------------------------------------------------------------------------------------
# probes

amqp_ok() { # AMQP 0-9-1 handshake: the protocol header must be answered by connection.start (a METHOD frame)
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
    body=$(curl -fsS --max-time 5 -u guest:guest "http://127.0.0.1:$MGMT_PORT/api/overview" 2> /dev/null) || return 1
    case "$body" in *"\"node\":\"$NODE\""*) return 0 ;; *) return 1 ;; esac
}

ready() { amqp_ok && mgmt_ok; }

diagnostics() {
    log "---- diagnostics ($DIR/log) ----"
    local f
    for f in "$DIR/log/startup.log" "$DIR/log/$NODE.log"; do
        [ -f "$f" ] || continue
        log "last lines of $f:"
        tail -n 30 "$f" >&2 || true
    done
    log "---------------------"
}

# ---------------------------------------------------------------------------------------------
# lifecycle

start_epmd() {
    ours "$(pid_of epmd)" && return 0
    node_env
    setsid epmd -port "$EPMD_PORT" -address 127.0.0.1 < /dev/null >> "$DIR/log/epmd.log" 2>&1 9>&- &
    echo $! > "$DIR/epmd.pid"
}

launch() {
    node_env
    : > "$DIR/log/startup.log"
    # setsid: the node is a process group of its own (stopped as one) and does not hold the caller's terminal.
    # Debian's wrapper in /usr/sbin would switch to the rabbitmq user and read /etc/rabbitmq; the real script does not.
    setsid "$RMQ_BIN/rabbitmq-server" < /dev/null >> "$DIR/log/startup.log" 2>&1 9>&- &
    echo $! > "$DIR/node.pid"
}

# Returns 0 ready, 2 the node died, 1 timeout.
wait_ready() {
    local deadline=$(($1))
    while :; do
        ours "$(pid_of node)" || return 2
        ready && return 0
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.5
    done
}

stop_node() { # graceful: the launcher turns SIGTERM into an orderly shutdown of the VM
    local pid
    pid=$(pid_of node)
    if ! ours "$pid" && ! group_alive "${pid:-0}"; then
        return 0
    fi
    log "stopping node $NODE"
    ours "$pid" && kill -TERM "$pid" 2> /dev/null || true
    if ! wait_group_gone "$pid" "$STOP_TIMEOUT"; then
        log "node did not stop within ${STOP_TIMEOUT}s; SIGKILL"
        signal_group KILL "$pid"
        wait_group_gone "$pid" 10 || die "node processes survived SIGKILL (group $pid)"
    fi
}

stop_epmd() {
    local pid
    pid=$(pid_of epmd)
    ours "$pid" && kill -TERM "$pid" 2> /dev/null || true
}

kill_node() {
    local pid
    pid=$(pid_of node)
    group_alive "${pid:-0}" || return 0
    log "killing node $NODE (SIGKILL)"
    signal_group KILL "$pid"
    wait_group_gone "$pid" 10 || die "node processes survived SIGKILL (group $pid)"
}

start_node() {
    local t0=$SECONDS rc attempt
    configure
    for attempt in 1 2 3; do
        start_epmd
        launch
        rc=0
        wait_ready "SECONDS + START_TIMEOUT" || rc=$?
        if [ "$rc" = 0 ]; then
            log "node $NODE ready in $((SECONDS - t0))s (AMQP 127.0.0.1:$AMQP_PORT, management 127.0.0.1:$MGMT_PORT, data $DIR)"
            return 0
        fi
        diagnostics
        kill_node || true
        # A port taken between choosing and binding (another run picked it too) is the usual cause: choose again,
        # unless a restart must keep the ports its clients know.
        if [ "$rc" = 2 ] && [ "${KEEP_PORTS:-0}" = 0 ] && [ "$attempt" -lt 3 ]; then
            log "the node died while booting; choosing other ports and trying again"
            stop_epmd
            rm -rf "$DIR/data"
            choose_state
            configure
            continue
        fi
        break
    done
    die "RabbitMQ node $NODE did not become ready (see diagnostics above; logs in $DIR/log)"
}

with_lock() {
    exec 9> "$DIR/lock"
    flock -w 120 9 || die "another infra/rabbitmq.sh is working on $DIR"
}

case "$ACTION" in
    install)
        ensure_installed
        ;;
    start)
        ensure_installed
        with_lock
        if load_state && ours "$(pid_of node)"; then
            ready || wait_ready "SECONDS + START_TIMEOUT" || { diagnostics; die "node $NODE runs but does not answer"; }
        else
            load_state || choose_state
            start_node
        fi
        print_env
        ;;
    restart)
        ensure_installed
        with_lock
        load_state || die "no node was ever started in $DIR"
        stop_node
        KEEP_PORTS=1 start_node
        print_env
        ;;
    stop)
        with_lock
        load_state || exit 0
        stop_node
        stop_epmd
        ;;
    kill)
        with_lock
        load_state || exit 0
        kill_node
        ;;
    status)
        load_state || { echo "no node in $DIR"; exit 1; }
        if ready; then echo "RabbitMQ node $NODE ready at amqp://guest:guest@127.0.0.1:$AMQP_PORT/"; else echo "RabbitMQ node $NODE not ready"; exit 1; fi
        ;;
    env)
        load_state || die "no node was ever started in $DIR"
        print_env
        ;;
    ctl)
        load_state || die "no node was ever started in $DIR"
        node_env
        exec "$RMQ_BIN/rabbitmqctl" -n "$NODE" "${CTL_ARGS[@]}"
        ;;
esac
