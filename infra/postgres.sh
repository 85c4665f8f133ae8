#!/usr/bin/env bash
# Local PostgreSQL server for tests and development (no Docker needed).
#
#   infra/postgres.sh [start]   install (apt) if missing, configure, start, wait until ready, create the
#                               role soraevents (idempotent)
#   infra/postgres.sh stop      fast shutdown (pg_ctlcluster ... stop -m fast)
#   infra/postgres.sh restart   stop + start
#   infra/postgres.sh status    exit 0 and print the connection string if the server accepts connections
#
# Uses Debian's postgresql package (15), no systemd: the cluster 15/main runs as the `postgres` user,
# started with `pg_ctlcluster 15 main start`, and listens on TCP 127.0.0.1:5432 only (plus its Unix
# socket in /var/run/postgresql). Role `soraevents` (password `soraevents`, LOGIN CREATEDB) is what the
# tests and the service use; tests create a throw-away database per test class with it.
#
# Environment: POSTGRES_START_TIMEOUT (s, default 60), POSTGRES_STOP_TIMEOUT (s, default 30).
set -euo pipefail

ACTION="${1:-start}"
START_TIMEOUT="${POSTGRES_START_TIMEOUT:-60}"
STOP_TIMEOUT="${POSTGRES_STOP_TIMEOUT:-30}"

PG_VERSION=15
CLUSTER=main
HOST=127.0.0.1
PORT=5432
ROLE=soraevents
PASSWORD=soraevents
CONNECTION="Host=$HOST;Port=$PORT;Username=$ROLE;Password=$PASSWORD"
BIN="/usr/lib/postgresql/$PG_VERSION/bin"
ETC="/etc/postgresql/$PG_VERSION/$CLUSTER"
MANAGED_CONF="$ETC/conf.d/soraevents.conf"
SERVER_LOG="/var/log/postgresql/postgresql-$PG_VERSION-$CLUSTER.log"
LOCK_FILE=/run/lock/soraevents-postgres.lock

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}"

log() { printf '[postgres.sh] %s\n' "$*" >&2; }
die() {
    printf '[postgres.sh] ERROR: %s\n' "$*" >&2
    exit 1
}

case "$ACTION" in
    start | stop | restart | status) ;;
    -h | --help | help)
        sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
        exit 0
        ;;
    *) die "unknown action '$ACTION' (expected start|stop|restart|status)" ;;
esac

# ---------------------------------------------------------------------------------------------
# probes

# The server accepts connections on the TCP address the service and the tests use.
ready() { [ -x /usr/bin/pg_isready ] && pg_isready -q -h "$HOST" -p "$PORT" -t 3 > /dev/null 2>&1; }

# The role can log in over TCP with its password and create databases.
role_ok() {
    local out
    out=$(PGPASSWORD="$PASSWORD" PGCONNECT_TIMEOUT=5 psql -X -qAt -h "$HOST" -p "$PORT" -U "$ROLE" -d postgres \
        -c "SELECT rolcreatedb FROM pg_roles WHERE rolname = current_user" 2> /dev/null < /dev/null) || return 1
    [ "$out" = t ]
}

if [ "$ACTION" = status ]; then
    if ready && role_ok; then
        echo "PostgreSQL ready at $CONNECTION"
        exit 0
    fi
    if ready; then
        echo "PostgreSQL answers on $HOST:$PORT but role '$ROLE' cannot log in (run infra/postgres.sh)"
    else
        echo "PostgreSQL not ready on $HOST:$PORT"
    fi
    exit 1
fi

# Everything but `status` needs root (apt, /etc/postgresql, starting the cluster as postgres).
if [ "$(id -u)" != 0 ]; then
    command -v sudo > /dev/null 2>&1 || die "must run as root (sudo is not available)"
    exec sudo --preserve-env=POSTGRES_START_TIMEOUT,POSTGRES_STOP_TIMEOUT bash "$0" "$@"
fi

mkdir -p "$(dirname "$LOCK_FILE")" 2> /dev/null || LOCK_FILE=/tmp/soraevents-postgres.lock
exec 9> "$LOCK_FILE"
flock -w 300 9 || die "another infra/postgres.sh is still running (lock $LOCK_FILE)"

# ---------------------------------------------------------------------------------------------
# install

# shellcheck source=infra/apt.sh
. "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

ensure_installed() {
    local missing=()
    { [ -x "$BIN/postgres" ] && [ -x /usr/bin/pg_ctlcluster ]; } || missing+=(postgresql)
    { [ -x /usr/bin/psql ] && [ -x /usr/bin/pg_isready ]; } || missing+=(postgresql-client)
    [ "${#missing[@]}" -eq 0 ] && return 0

    log "installing ${missing[*]} with apt-get ..."
    apt_packages "${missing[@]}" || die "apt-get install ${missing[*]} failed"
    [ -x "$BIN/postgres" ] || die "PostgreSQL $PG_VERSION is still missing after apt-get install (is Debian's default postgresql another major version?)"
    log "installed ${missing[*]}"
}

# ---------------------------------------------------------------------------------------------
# cluster and configuration (CONFIG_CHANGED=1 means a running server must restart to apply it)

CONFIG_CHANGED=0

ensure_cluster() {
    if [ ! -f "$ETC/postgresql.conf" ] || [ ! -f "/var/lib/postgresql/$PG_VERSION/$CLUSTER/PG_VERSION" ]; then
        log "creating cluster $PG_VERSION/$CLUSTER"
        pg_createcluster "$PG_VERSION" "$CLUSTER" > /dev/null || die "pg_createcluster $PG_VERSION $CLUSTER failed"
    fi
}

configure() {
    local content tmp
    mkdir -p "$ETC/conf.d"
    content="# Managed by infra/postgres.sh (SoraEvents): local loopback-only server for tests and development.
listen_addresses = '$HOST'
port = $PORT
# loopback only: no TLS (Debian's default turns it on with a snake-oil certificate)
ssl = off
# several service instances and parallel test classes each keep a connection pool
max_connections = 200"
    if [ -f "$MANAGED_CONF" ] && [ "$(cat "$MANAGED_CONF")" = "$content" ]; then return 0; fi
    tmp=$(mktemp "$MANAGED_CONF.XXXXXX")
    printf '%s\n' "$content" > "$tmp"
    chmod 644 "$tmp"
    chown postgres:postgres "$tmp"
    mv -f "$tmp" "$MANAGED_CONF"
    CONFIG_CHANGED=1
    log "wrote $MANAGED_CONF"
}

# Password logins over TCP from 127.0.0.1 (Debian's pg_hba.conf has this line; put it back if removed).
ensure_hba() {
    local hba="$ETC/pg_hba.conf"
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+(scram-sha-256|md5)' "$hba"; then
        printf 'host all all 127.0.0.1/32 scram-sha-256 # added by infra/postgres.sh\n' >> "$hba"
        CONFIG_CHANGED=1
        log "added a password login line for 127.0.0.1 to $hba"
    fi
}

# ---------------------------------------------------------------------------------------------
# lifecycle

running() { pg_ctlcluster "$PG_VERSION" "$CLUSTER" status > /dev/null 2>&1; }

port_open() { timeout 3 bash -c "exec 3<> /dev/tcp/$HOST/$1" > /dev/null 2>&1; }

diagnostics() {
    log "---- diagnostics ----"
    if [ -f "$SERVER_LOG" ]; then
        log "last lines of $SERVER_LOG:"
        tail -n 30 "$SERVER_LOG" >&2 || true
    fi
    pg_lsclusters >&2 2> /dev/null || true
    log "---------------------"
}

stop_server() {
    if ! running; then
        log "server is not running"
        return 0
    fi
    log "stopping server (pg_ctlcluster $PG_VERSION $CLUSTER stop -m fast)"
    pg_ctlcluster "$PG_VERSION" "$CLUSTER" stop -m fast -- -t "$STOP_TIMEOUT" ||
        pg_ctlcluster "$PG_VERSION" "$CLUSTER" stop -m immediate ||
        die "could not stop the cluster $PG_VERSION/$CLUSTER"
    log "server stopped"
}

start_server() {
    local t0=$SECONDS deadline
    if port_open "$PORT"; then
        die "port $HOST:$PORT is in use by a process that is not this machine's PostgreSQL $PG_VERSION/$CLUSTER (see: ss -ltnp | grep :$PORT)"
    fi
    # /var/run is a tmpfs on many machines: the socket directory may be gone after a reboot.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    log "starting server: pg_ctlcluster $PG_VERSION $CLUSTER start"
    if ! pg_ctlcluster "$PG_VERSION" "$CLUSTER" start < /dev/null 9>&-; then
        diagnostics
        die "pg_ctlcluster $PG_VERSION $CLUSTER start failed"
    fi
    deadline=$((SECONDS + START_TIMEOUT))
    until ready; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            diagnostics
            die "PostgreSQL did not accept connections on $HOST:$PORT within ${START_TIMEOUT}s"
        fi
        sleep 0.2
    done
    log "server started in $((SECONDS - t0))s"
}

ensure_role() {
    role_ok && return 0
    log "creating/updating role $ROLE (LOGIN CREATEDB)"
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PORT" -d postgres > /dev/null < /dev/null -c "
        DO \$\$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
                CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
            ELSE
                ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
            END IF;
        END
        \$\$;" || die "could not create the role $ROLE"
    role_ok || die "role $ROLE still cannot log in over TCP at $HOST:$PORT (check $ETC/pg_hba.conf)"
}

do_start() {
    ensure_installed
    ensure_cluster
    configure
    ensure_hba
    if running; then
        if [ "$CONFIG_CHANGED" = 1 ]; then
            log "configuration changed: restarting the server"
            stop_server
            start_server
        elif ! ready; then
            # running but not (yet) accepting connections: just started by someone else, or recovering
            local deadline=$((SECONDS + START_TIMEOUT))
            log "the server runs but does not accept connections yet; waiting up to ${START_TIMEOUT}s"
            until ready; do
                if [ "$SECONDS" -ge "$deadline" ]; then
                    log "still not ready: restarting it"
                    stop_server
                    start_server
                    break
                fi
                sleep 0.2
            done
        fi
    else
        start_server
    fi
    ensure_role
}

case "$ACTION" in
    start)
        do_start
        echo "PostgreSQL ready at $CONNECTION"
        ;;
    restart)
        ensure_installed
        ensure_cluster
        configure
        ensure_hba
        stop_server
        start_server
        ensure_role
        echo "PostgreSQL ready at $CONNECTION"
        ;;
    stop)
        if [ ! -x /usr/bin/pg_ctlcluster ] || [ ! -f "$ETC/postgresql.conf" ]; then
            log "PostgreSQL $PG_VERSION/$CLUSTER is not installed"
            exit 0
        fi
        stop_server
        ;;
esac
