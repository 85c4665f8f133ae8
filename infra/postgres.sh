#!/usr/bin/env bash
# A private PostgreSQL server for tests and development (no Docker, nothing under /etc touched).
#
#   eval "$(infra/postgres.sh [start] [--dir DIR])"   install (apt) if missing, create the server's data in DIR on
#                                                     first use, start it, wait until ready; prints export lines
#   infra/postgres.sh stop    [--dir DIR]   fast shutdown
#   infra/postgres.sh kill    [--dir DIR]   immediate shutdown (a simulated crash: recovery at the next start)
#   infra/postgres.sh restart [--dir DIR]   stop + start, on the same port
#   infra/postgres.sh status  [--dir DIR]   exit 0 when the server accepts the role's password login
#   infra/postgres.sh env     [--dir DIR]   print the export lines of a started server
#
# DIR (default .servers/postgres at the repository root) holds the server's data, log, socket and the port chosen
# for it (kept for restarts; the default DIR prefers 5432). It runs Debian's /usr/lib/postgresql/15 binaries
# directly with pg_ctl, as the calling user, or as `postgres` when called as root (PostgreSQL refuses root), on
# 127.0.0.1 only. Role `soraevents` / password `soraevents` owns the server (tests create throw-away databases
# with it), and a database `soraevents` exists for the service.
#
# Printed: POSTGRES_TEST_URL (the server's maintenance database, for the tests) and SORAEVENTS_POSTGRES_URL
# (database soraevents, for Store__ConnectionString). pg_ctl signals only the postmaster whose PID file is in
# DIR, so no other PostgreSQL on the machine is touched.
#
# Environment: POSTGRES_START_TIMEOUT (s, default 60).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"
PG_VERSION=15
BIN="/usr/lib/postgresql/$PG_VERSION/bin"
ROLE=soraevents
PASSWORD=soraevents

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() {
    printf '[postgres.sh] ERROR: %s\n' "$*" >&2
    exit 1
}

ACTION=start
DIR=
while [ $# -gt 0 ]; do
    case "$1" in
        start | stop | kill | restart | status | env | install) ACTION="$1" ;;
        --dir) DIR="${2:?--dir needs a folder}"; shift ;;
        --dir=*) DIR="${1#--dir=}" ;;
        -h | --help | help)
            sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        *) die "unknown argument '$1' (see infra/postgres.sh --help)" ;;
    esac
    shift
done

DEFAULT_DIR="$ROOT/.servers/postgres"
DIR="${DIR:-$DEFAULT_DIR}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
DATA="$DIR/data"
STATE="$DIR/server.env"
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

# shellcheck source=infra/ports.sh
. "$ROOT/infra/ports.sh"

ensure_installed() {
    [ -x "$BIN/postgres" ] && [ -x "$BIN/pg_ctl" ] && [ -x /usr/bin/psql ] && command -v flock > /dev/null 2>&1 && return 0
    if [ "$(id -u)" != 0 ]; then
        command -v sudo > /dev/null 2>&1 || die "PostgreSQL $PG_VERSION is not installed, and installing it needs root (sudo is not available)"
        sudo bash "$0" install || die "installing PostgreSQL failed"
        return 0
    fi
    # shellcheck source=infra/apt.sh
    . "$ROOT/infra/apt.sh"
    log "installing postgresql-$PG_VERSION with apt-get ..."
    apt_packages "postgresql-$PG_VERSION" postgresql-client util-linux || die "apt-get install postgresql-$PG_VERSION failed"
    [ -x "$BIN/postgres" ] || die "PostgreSQL $PG_VERSION is still missing after apt-get install"
}

# As root the server runs as `postgres`, which must be able to reach DIR.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

PORT=
load_state() { [ -f "$STATE" ] && . "$STATE"; [ -n "$PORT" ]; }

choose_port() {
    if [ "$DIR" = "$DEFAULT_DIR" ] && port_free 5432; then PORT=5432; else PORT=$(free_port); fi
    printf 'PORT=%s\n' "$PORT" > "$STATE"
}

url() { printf 'Host=127.0.0.1;Port=%s;Username=%s;Password=%s;Database=%s' "$PORT" "$ROLE" "$PASSWORD" "$1"; }

print_env() {
    printf "export POSTGRES_TEST_URL='%s'\n" "$(url postgres)"
    printf "export SORAEVENTS_POSTGRES_URL='%s'\n" "$(url soraevents)"
    printf "export SORAEVENTS_POSTGRES_DIR='%s'\n" "$DIR"
}

psql_role() { PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -qAt -h 127.0.0.1 -p "$PORT" -U "$ROLE" "$@" < /dev/null; }

ready() { psql_role -d postgres -c 'SELECT 1' > /dev/null 2>&1; }

running() { as_owner "$BIN/pg_ctl" -D "$DATA" status > /dev/null 2>&1; }

init_data() {
    [ -f "$DATA/PG_VERSION" ] && return 0
    log "creating a server in $DATA"
    mkdir -p "$DATA" "$DIR/run"
    local pwfile="$DIR/.pw"
    (umask 077 && printf '%s\n' "$PASSWORD" > "$pwfile")
    if [ "$(id -u)" = 0 ]; then
        chown -R postgres:postgres "$DIR"
        runuser -u postgres -- test -x "$DIR" ||
            die "user postgres cannot reach $DIR (a parent folder is not searchable); choose another --dir"
    fi
    as_owner "$BIN/initdb" -D "$DATA" -U "$ROLE" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 > "$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; rm -f "$pwfile"; die "initdb failed"; }
    rm -f "$pwfile"
}

configure() {
    # Rewritten at every start, so a restart picks up the port kept in server.env.
    cat > "$DATA/soraevents.conf" << EOF
# Written by infra/postgres.sh for this folder's private server.
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR/run'
ssl = off
# several service instances and parallel test classes each keep a connection pool
max_connections = 300
EOF
    grep -q "^include_if_exists = 'soraevents.conf'" "$DATA/postgresql.conf" ||
        echo "include_if_exists = 'soraevents.conf'" >> "$DATA/postgresql.conf"
    mkdir -p "$DIR/run"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$DIR"
    return 0
}

start_server() {
    local t0=$SECONDS deadline attempt
    for attempt in 1 2 3; do
        configure
        # setsid: the server does not hold the caller's terminal or pipes; 9>&-: nor this script's lock.
        if as_owner setsid "$BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t "$START_TIMEOUT" start < /dev/null > "$DIR/pg_ctl.log" 2>&1 9>&-; then
            deadline=$((SECONDS + START_TIMEOUT))
            until ready; do
                [ "$SECONDS" -ge "$deadline" ] && die "PostgreSQL in $DIR started but does not accept the role's login"
                sleep 0.2
            done
            psql_role -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'soraevents'" | grep -q 1 ||
                psql_role -d postgres -c "CREATE DATABASE soraevents" > /dev/null
            log "server ready in $((SECONDS - t0))s (127.0.0.1:$PORT, data $DATA)"
            return 0
        fi
        tail -n 20 "$DIR/server.log" >&2 2> /dev/null || true
        # The usual cause: the port was taken after it was chosen (another run picked it too). A restart keeps it.
        if [ "${KEEP_PORT:-0}" = 1 ] || [ "$attempt" = 3 ]; then break; fi
        log "start failed; choosing another port"
        choose_port
    done
    die "PostgreSQL in $DIR did not start (log: $DIR/server.log)"
}

stop_server() { # mode
    running || return 0
    log "stopping server in $DIR (-m $1)"
    as_owner "$BIN/pg_ctl" -D "$DATA" -m "$1" -w -t 60 stop > /dev/null 2>&1 9>&- || die "pg_ctl stop failed (log: $DIR/server.log)"
}

with_lock() {
    exec 9> "$DIR/lock"
    flock -w 120 9 || die "another infra/postgres.sh is working on $DIR"
}

case "$ACTION" in
    install) ensure_installed ;;
    start)
        ensure_installed
        with_lock
        load_state || choose_port
        init_data
        if running; then
            ready || die "the server in $DIR runs but does not accept the role's login"
        else
            start_server
        fi
        print_env
        ;;
    restart)
        ensure_installed
        with_lock
        load_state || die "no server was ever started in $DIR"
        stop_server fast
        KEEP_PORT=1 start_server
        print_env
        ;;
    stop)
        with_lock
        load_state || exit 0
        stop_server fast
        ;;
    kill)
        with_lock
        load_state || exit 0
        stop_server immediate
        ;;
    status)
        load_state || { echo "no server in $DIR"; exit 1; }
        if ready; then echo "PostgreSQL ready at $(url postgres)"; else echo "PostgreSQL in $DIR not ready"; exit 1; fi
        ;;
    env)
        load_state || die "no server was ever started in $DIR"
        print_env
        ;;
esac
