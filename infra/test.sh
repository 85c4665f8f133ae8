#!/usr/bin/env bash
# The test command: starts the local RabbitMQ broker (installing it with apt when missing), builds
# the solution in Release and runs every test project, then prints ONE closing line
#
#   tests: N passed, N failed, N skipped
#
# summed over all test assemblies. Exit status: 0 only when the build succeeded, at least one test
# ran and none failed. Extra arguments go to `dotnet test` (e.g. infra/test.sh --filter Category=X).
#
# Environment:
#   RabbitMq__Url, RabbitMq__ManagementUrl  default to the local broker (kept when already set)
#   POSTGRES_TEST_URL    server for the PostgreSQL tests (default: the local one infra/postgres.sh starts)
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
if [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then
    # No long-lived MSBuild nodes after a CI run (they could keep CI's output pipe open).
    export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
fi

# ------------------------------------------------------------------------------------------------
# broker
export RabbitMq__Url="${RabbitMq__Url:-amqp://guest:guest@127.0.0.1:5672/}"
export RabbitMq__ManagementUrl="${RabbitMq__ManagementUrl:-http://127.0.0.1:15672/}"

BROKER_OK=1
note "starting RabbitMQ (infra/rabbitmq.sh)"
if ! bash "$ROOT/infra/rabbitmq.sh" start 2>&1 | tee -a "$LOG"; then
    BROKER_OK=0
    note "ERROR: infra/rabbitmq.sh failed; the tests that need the real broker will fail" | tee -a "$LOG"
fi
note "RabbitMq__Url=$RabbitMq__Url RabbitMq__ManagementUrl=$RabbitMq__ManagementUrl"

# database (the PostgreSQL store tests create throw-away databases with this role; they fail without it)
export POSTGRES_TEST_URL="${POSTGRES_TEST_URL:-Host=127.0.0.1;Port=5432;Username=soraevents;Password=soraevents;Database=postgres}"
note "starting PostgreSQL (infra/postgres.sh)"
if ! bash "$ROOT/infra/postgres.sh" start 2>&1 | tee -a "$LOG"; then
    note "ERROR: infra/postgres.sh failed; the tests that need the real database will fail" | tee -a "$LOG"
fi

# docker-compose (the client only) validates docker-compose.yml in the suite; no Docker engine is needed
note "checking docker-compose (infra/compose-tools.sh)"
if ! bash "$ROOT/infra/compose-tools.sh" 2>&1 | tee -a "$LOG"; then
    note "ERROR: infra/compose-tools.sh failed; the compose file tests will fail" | tee -a "$LOG"
fi

# ------------------------------------------------------------------------------------------------
# build
note "dotnet build $SOLUTION -c Release"
dotnet build "$SOLUTION" -c Release -nologo 2>&1 | tee -a "$LOG"
BUILD_RC=${PIPESTATUS[0]}
if [ "$BUILD_RC" != 0 ]; then
    note "ERROR: build failed (dotnet build exit code $BUILD_RC); no tests were run. Log: $LOG"
    summary 0 1 0
    exit 1
fi

# ------------------------------------------------------------------------------------------------
# test
# -m:1 runs the test assemblies one after another: the fault tests stop and restart the shared RabbitMQ,
# which would break another assembly's broker tests running at the same moment.
TEST_ARGS=(test "$SOLUTION" -c Release --no-build -m:1
    --results-directory "$TRX_DIR"
    --logger "trx;LogFilePrefix=tests")
case "$HANG_TIMEOUT" in
    "" | off | 0) ;;
    *) TEST_ARGS+=(--blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none) ;;
esac
TEST_ARGS+=("$@")

note "dotnet ${TEST_ARGS[*]}"
dotnet "${TEST_ARGS[@]}" 2>&1 | tee -a "$LOG"
TEST_RC=${PIPESTATUS[0]}

# ------------------------------------------------------------------------------------------------
# count: TRX <Counters> of every test assembly; the console summary lines as a cross-check/fallback
attr() { # name counters-element -> value (0 when absent)
    local v
    v=$(printf '%s' "$2" | sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p")
    printf '%s' "${v:-0}"
}

TRX_FILES=0 T_PASSED=0 T_FAILED=0 T_SKIPPED=0
while IFS= read -r -d '' f; do
    c=$(tr -d '\r\n' < "$f" | grep -o '<Counters [^>]*>' | head -n 1)
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
elif [ $((PASSED + FAILED)) = 0 ]; then
    note "ERROR: no test ran (no test project in $SOLUTION, or everything was filtered out or skipped)"
    STATUS=1
fi
note "log: $LOG"
summary "$PASSED" "$FAILED" "$SKIPPED"
exit "$STATUS"
