#!/usr/bin/env bash
# The test command: starts a private RabbitMQ node and a private PostgreSQL server for this run (installing
# Debian's packages when missing), builds the solution in Release and runs every test project, then prints ONE
# closing line
#
#   tests: N passed, N failed, N skipped
#
# summed over all test assemblies, plus one for the house-style check (`dotnet format --verify-no-changes`
# against .editorconfig, run beside the tests). Exit status: 0 only when the build succeeded, at least one test ran, none
# failed, and the run left the machine as it found it. Extra arguments go to `dotnet test`
# (e.g. infra/test.sh --filter Category=X).
#
# A good guest: the servers run as processes of this run, with their own node/cluster names, free ports and
# every file under TestResults/servers/; they and every process the tests started are ended when the run ends,
# also when it is interrupted. Nothing under /etc is changed (checked: the run fails if /etc/rabbitmq or
# /etc/postgresql changed), and no server the run did not start is signalled (checked: RabbitMQ and PostgreSQL
# processes that ran before the run still run after it). Two clones can run this at the same time.
#
# Environment:
#   RabbitMq__Url, RabbitMq__ManagementUrl  use this broker instead of starting one (the fault tests still start
#                        nodes of their own: they never stop a broker the run did not start)
#   POSTGRES_TEST_URL    use this PostgreSQL server (role with CREATEDB) instead of starting one
#   TEST_SOLUTION        solution to build/test (default: SoraEvents.sln at the repo root)
#   TEST_RESULTS_DIR     where the log and TRX files go (default: TestResults/infra-test)
#   TEST_HANG_TIMEOUT    a single test running longer than this aborts its test host (default
#                        15min; "off" disables), so a hung test cannot eat the whole CI budget
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

RESULTS_DIR="${TEST_RESULTS_DIR:-$ROOT/TestResults/infra-test}"
TRX_DIR="$RESULTS_DIR/trx"
LOG="$RESULTS_DIR/test.log"
HANG_TIMEOUT="${TEST_HANG_TIMEOUT:-15min}"

note() { printf '[test.sh] %s\n' "$*"; }

summary() { # passed failed skipped -> the closing line (must stay the last line printed)
    printf 'tests: %d passed, %d failed, %d skipped\n' "$1" "$2" "$3"
}

rm -rf "$RESULTS_DIR"
mkdir -p "$TRX_DIR"
: > "$LOG"

# ------------------------------------------------------------------------------------------------
# solution
SOLUTION="${TEST_SOLUTION:-}"
if [ -z "$SOLUTION" ]; then
    for s in SoraEvents.sln SoraEvents.slnx; do
        if [ -f "$s" ]; then
            SOLUTION="$s"
            break
        fi
    done
fi
if [ -z "$SOLUTION" ] || [ ! -f "$SOLUTION" ]; then
    note "ERROR: solution not found: ${SOLUTION:-SoraEvents.sln / SoraEvents.slnx} (in $ROOT)"
    summary 0 1 0
    exit 1
fi

if ! command -v dotnet > /dev/null 2>&1; then
    note "ERROR: the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK first"
    summary 0 1 0
    exit 1
fi

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en # the console fallback parser reads English summary lines
# Test hosts in parallel assemblies would each watch their settings files with inotify, and the machine's limit
# (128 instances per user by default) is soon reached: settings never change during a test.
export DOTNET_hostBuilder__reloadConfigOnChange=false DOTNET_USE_POLLING_FILE_WATCHER=true
if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    # No long-lived MSBuild nodes after a CI run (they could keep CI's output pipe open).
    export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
fi

# ------------------------------------------------------------------------------------------------
# the run's own servers, and leaving the machine as it was found

SERVERS_DIR="$ROOT/TestResults/servers"
export SORAEVENTS_SERVERS_DIR="$SERVERS_DIR"
# Every process of this run inherits the marker, so the sweep at the end finds exactly this run's processes.
RUN_ID="$(date +%s)-$$-$RANDOM"
export SORAEVENTS_TEST_RUN="$RUN_ID"

run_processes() { # PIDs whose environment carries this run's marker (never this shell)
    # One grep over every environment: a process per /proc entry took minutes on a loaded machine.
    grep -lzxF -- "SORAEVENTS_TEST_RUN=$RUN_ID" /proc/[0-9]*/environ 2> /dev/null | cut -d/ -f3 | grep -vx "$$"
}

# A trapped signal interrupts `wait`, but waits for a foreground command to finish: the long steps run in the
# background and are waited for, so Ctrl-C, or a TERM sent to this script alone, ends the run at once.
logged() { # command… -> its exit status; its output goes to the terminal and the log
    ( "$@" 2>&1 | tee -a "$LOG"; exit "${PIPESTATUS[0]}" ) &
    wait "$!"
}

foreign_servers() { # RabbitMQ VMs and PostgreSQL postmasters that are not this run's, with their start times
    local d comm parent
    for d in /proc/[0-9]*; do
        read -r comm < "$d/comm" 2> /dev/null || continue
        case "$comm" in beam.smp | postgres) ;; *) continue ;; esac
        # A postgres whose parent is a postgres is a backend of a server: it comes and goes with its client.
        parent=$(cut -d' ' -f4 < "$d/stat" 2> /dev/null)
        [ "$comm" = postgres ] && [ "$(cat "/proc/$parent/comm" 2> /dev/null)" = postgres ] && continue
        { tr '\0' '\n' < "$d/environ"; } 2> /dev/null | grep -qxF "SORAEVENTS_TEST_RUN=$RUN_ID" && continue
        echo "${d#/proc/} $comm $(cut -d' ' -f22 < "$d/stat" 2> /dev/null)"
    done | sort
}

etc_fingerprint() {
    find /etc/rabbitmq /etc/postgresql -xdev \( -type f -o -type l \) -print0 2> /dev/null | sort -z |
        xargs -0 -r sha256sum 2> /dev/null | sha256sum | cut -c1-16
}

CLEANED=0
cleanup() {
    [ "$CLEANED" = 1 ] && return 0
    CLEANED=1
    unset SORAEVENTS_TEST_RUN # what the sweep itself starts must not carry the marker
    local dir pids
    # Test hosts and the processes tests started first (they hold connections), then the servers, gracefully.
    pids=$(run_processes | tr '\n' ' ')
    for pid in $pids; do
        case "$(cat "/proc/$pid/comm" 2> /dev/null)" in beam.smp | erl_child_setup | epmd | postgres | inet_gethost | rabbitmq-server) ;; *) kill -KILL "$pid" 2> /dev/null ;; esac
    done
    for dir in "$SERVERS_DIR"/rabbitmq*; do [ -f "$dir/node.env" ] && bash "$ROOT/infra/rabbitmq.sh" stop --dir "$dir" > /dev/null 2>&1; done
    for dir in "$SERVERS_DIR"/postgres*; do [ -f "$dir/server.env" ] && bash "$ROOT/infra/postgres.sh" stop --dir "$dir" > /dev/null 2>&1; done
    pids=$(run_processes | tr '\n' ' ')
    if [ -n "${pids// /}" ]; then
        note "ending processes this run left behind: $pids"
        # shellcheck disable=SC2086
        kill -KILL $pids 2> /dev/null
    fi
    return 0
}
trap cleanup EXIT
trap 'note "interrupted"; cleanup; exit 130' INT TERM HUP

# Servers left in this clone's folder by an earlier run that was killed outright.
for dir in "$SERVERS_DIR"/rabbitmq*; do [ -f "$dir/node.env" ] && bash "$ROOT/infra/rabbitmq.sh" stop --dir "$dir" > /dev/null 2>&1; done
for dir in "$SERVERS_DIR"/postgres*; do [ -f "$dir/server.env" ] && bash "$ROOT/infra/postgres.sh" stop --dir "$dir" > /dev/null 2>&1; done
rm -rf "$SERVERS_DIR"
mkdir -p "$SERVERS_DIR"

# Installing Debian's packages is the one change to the machine a run may make; it comes before the snapshot.
note "installing what the tests need when missing (rabbitmq-server, postgresql, docker-compose)"
INSTALL_OK=1
bash "$ROOT/infra/rabbitmq.sh" install 2>&1 | tee -a "$LOG" || INSTALL_OK=0
bash "$ROOT/infra/postgres.sh" install 2>&1 | tee -a "$LOG" || INSTALL_OK=0
bash "$ROOT/infra/compose-tools.sh" 2>&1 | tee -a "$LOG" || INSTALL_OK=0
[ "$INSTALL_OK" = 1 ] || note "ERROR: installing a dependency failed (see above); the tests that need it will fail" | tee -a "$LOG"
ETC_BEFORE=$(etc_fingerprint)
FOREIGN_BEFORE=$(foreign_servers)

BROKER_OK=1
if [ -n "${RabbitMq__Url:-}" ]; then
    note "using the broker in RabbitMq__Url (${RabbitMq__Url%%@*}@…); the fault tests start nodes of their own"
    export RabbitMq__ManagementUrl="${RabbitMq__ManagementUrl:-http://127.0.0.1:15672/}"
else
    note "starting the run's RabbitMQ node (infra/rabbitmq.sh --dir $SERVERS_DIR/rabbitmq)"
    bash "$ROOT/infra/rabbitmq.sh" start --dir "$SERVERS_DIR/rabbitmq" > "$SERVERS_DIR/rabbitmq.env" 2> >(tee -a "$LOG" >&2) &
    RMQ_START=$!
fi
if [ -n "${POSTGRES_TEST_URL:-}" ]; then
    note "using the PostgreSQL server in POSTGRES_TEST_URL"
else
    note "starting the run's PostgreSQL server (infra/postgres.sh --dir $SERVERS_DIR/postgres)"
    if bash "$ROOT/infra/postgres.sh" start --dir "$SERVERS_DIR/postgres" > "$SERVERS_DIR/postgres.env" 2> >(tee -a "$LOG" >&2); then
        . "$SERVERS_DIR/postgres.env"
    else
        note "ERROR: infra/postgres.sh failed; the tests that need the real database will fail" | tee -a "$LOG"
    fi
fi
if [ -n "${RMQ_START:-}" ]; then
    if wait "$RMQ_START"; then
        . "$SERVERS_DIR/rabbitmq.env"
    else
        BROKER_OK=0
        note "ERROR: infra/rabbitmq.sh failed; the tests that need the real broker will fail" | tee -a "$LOG"
    fi
fi
note "RabbitMq__Url=${RabbitMq__Url:-} RabbitMq__ManagementUrl=${RabbitMq__ManagementUrl:-}"

# ------------------------------------------------------------------------------------------------
# build
note "dotnet build $SOLUTION -c Release"
logged dotnet build "$SOLUTION" -c Release -nologo
BUILD_RC=$?
if [ "$BUILD_RC" != 0 ]; then
    note "ERROR: build failed (dotnet build exit code $BUILD_RC); no tests were run. Log: $LOG"
    summary 0 1 0
    exit 1
fi

# ------------------------------------------------------------------------------------------------
# house style: .editorconfig, checked beside the tests (it needs one core for about two minutes) and counted as one test
note "dotnet format $SOLUTION --verify-no-changes (beside the tests; log: $RESULTS_DIR/format.log)"
( dotnet format "$SOLUTION" --verify-no-changes --no-restore > "$RESULTS_DIR/format.log" 2>&1
  echo $? > "$RESULTS_DIR/format.rc" ) &
FORMAT_PID=$!

# ------------------------------------------------------------------------------------------------
# test
# Test assemblies run in parallel: none of them stops the shared node (the fault tests have nodes of their own).
TEST_ARGS=(test "$SOLUTION" -c Release --no-build
    --results-directory "$TRX_DIR"
    --logger "trx;LogFilePrefix=tests")
case "$HANG_TIMEOUT" in
    "" | off | 0) ;;
    *) TEST_ARGS+=(--blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none) ;;
esac
TEST_ARGS+=("$@")

note "dotnet ${TEST_ARGS[*]}"
logged dotnet "${TEST_ARGS[@]}"
TEST_RC=$?

# ------------------------------------------------------------------------------------------------
# count: TRX <Counters> of every test assembly; the console summary lines as a cross-check/fallback
attr() { # name counters-element -> value (0 when absent)
    local v
    v=$(printf '%s' "$2" | sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p")
    printf '%s' "${v:-0}"
}

TRX_FILES=0 T_PASSED=0 T_FAILED=0 T_SKIPPED=0
while IFS= read -r -d '' f; do
    # The element is on one line near the top; -m1 stops there (a run's output, after it, can be hundreds of MB).
    c=$(grep -o -m 1 '<Counters [^>]*>' "$f" | head -n 1)
    [ -n "$c" ] || continue
    TRX_FILES=$((TRX_FILES + 1))
    total=$(attr total "$c")
    passed=$(attr passed "$c")
    failed=$(($(attr failed "$c") + $(attr error "$c") + $(attr timeout "$c") + $(attr aborted "$c")))
    skipped=$((total - passed - failed))
    [ "$skipped" -lt 0 ] && skipped=0
    T_PASSED=$((T_PASSED + passed))
    T_FAILED=$((T_FAILED + failed))
    T_SKIPPED=$((T_SKIPPED + skipped))
done < <(find "$TRX_DIR" -name '*.trx' -print0 2> /dev/null)

# "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 1 s - X.Tests.dll (net10.0)"
C_LINES=0 C_PASSED=0 C_FAILED=0 C_SKIPPED=0
while IFS=' ' read -r f p s; do
    C_LINES=$((C_LINES + 1))
    C_FAILED=$((C_FAILED + f))
    C_PASSED=$((C_PASSED + p))
    C_SKIPPED=$((C_SKIPPED + s))
done < <(sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$LOG" |
    sed -n -E 's/^[[:space:]]*[A-Za-z]+![[:space:]]+-[[:space:]]+Failed:[[:space:]]*([0-9]+),[[:space:]]*Passed:[[:space:]]*([0-9]+),[[:space:]]*Skipped:[[:space:]]*([0-9]+),.*/\1 \2 \3/p')

if [ "$TRX_FILES" -gt 0 ] && [ "$TRX_FILES" -ge "$C_LINES" ]; then
    PASSED=$T_PASSED FAILED=$T_FAILED SKIPPED=$T_SKIPPED
    note "counted from $TRX_FILES TRX file(s) in $TRX_DIR"
    if [ "$C_LINES" -gt 0 ] && [ "$C_PASSED/$C_FAILED/$C_SKIPPED" != "$T_PASSED/$T_FAILED/$T_SKIPPED" ]; then
        note "note: console summary lines say $C_PASSED passed, $C_FAILED failed, $C_SKIPPED skipped"
    fi
else
    PASSED=$C_PASSED FAILED=$C_FAILED SKIPPED=$C_SKIPPED
    note "counted from $C_LINES console summary line(s) (TRX files: $TRX_FILES)"
fi

TESTS_RAN=$((PASSED + FAILED))
wait "$FORMAT_PID" 2> /dev/null
if [ "$(cat "$RESULTS_DIR/format.rc" 2> /dev/null)" = 0 ]; then
    PASSED=$((PASSED + 1))
    note "house style: dotnet format --verify-no-changes passed"
else
    FAILED=$((FAILED + 1))
    note "FAILED house style: dotnet format --verify-no-changes found code to change (run \`dotnet format SoraEvents.sln\`):"
    grep -E 'error|warning' "$RESULTS_DIR/format.log" | head -n 20 | tee -a "$LOG"
fi

# A good guest: the machine's configuration and every server the run did not start are as they were.
cleanup
if [ "$(etc_fingerprint)" != "$ETC_BEFORE" ]; then
    note "ERROR: /etc/rabbitmq or /etc/postgresql changed during the run" | tee -a "$LOG"
    FAILED=$((FAILED + 1))
fi
GONE=$(comm -23 <(printf '%s\n' "$FOREIGN_BEFORE") <(foreign_servers) | sed '/^$/d')
if [ -n "$GONE" ]; then
    note "ERROR: server processes that the run did not start are gone: $(echo "$GONE" | tr '\n' ';')" | tee -a "$LOG"
    FAILED=$((FAILED + 1))
fi

STATUS=0
if [ "$TEST_RC" != 0 ] && [ "$FAILED" = 0 ]; then
    note "ERROR: dotnet test exited with code $TEST_RC but no failed test was counted (test host crash, hang timeout or aborted run?). Log: $LOG"
    FAILED=1
fi
if [ "$BROKER_OK" = 0 ]; then
    note "ERROR: RabbitMQ could not be started (see the infra/rabbitmq.sh output above)"
    [ "$FAILED" = 0 ] && FAILED=1
fi
if [ "$FAILED" != 0 ]; then
    STATUS=1
elif [ "$TESTS_RAN" = 0 ]; then
    note "ERROR: no test ran (no test project in $SOLUTION, or everything was filtered out or skipped)"
    STATUS=1
fi
note "log: $LOG"
summary "$PASSED" "$FAILED" "$SKIPPED"
exit "$STATUS"
