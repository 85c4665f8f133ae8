#!/usr/bin/env bash
# The benchmarks of SoraEvents (docs/benchmarks.md), one command:
#
#   bench/run.sh            full run (≈ 20 min): prints the tables and rewrites the generated part of
#                           docs/benchmarks.md (between its bench:begin / bench:end markers)
#   bench/run.sh --smoke    a few seconds of each part, prints the same tables, writes nothing (CI runs
#                           it through tests/SoraEvents.Bench.Tests so it cannot rot)
#
# It installs wrk with apt when missing, starts a private RabbitMQ node with infra/rabbitmq.sh unless RabbitMq__Url names one (installing it when
# missing), builds the runner, the baseline and the service in Release, and runs
# bench/SoraEvents.Bench. Any further arguments go to the runner (see bench/README.md), e.g.
#   bench/run.sh --parts e2e --rates 500:8
#   bench/run.sh --parts api,webhooks
#   bench/run.sh --parts pipeline --set Webhooks__YieldWhenBehindMilliseconds=
#   bench/run.sh --parts ingestion --set DOTNET_ThreadPool_ForceMinWorkerThreads=20
# Exit status: 0 only when every figure was measured (targets missed do not fail the run).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

note() { printf '[run.sh] %s\n' "$*" >&2; }

SMOKE=0
for a in "$@"; do [ "$a" = --smoke ] && SMOKE=1; done

if ! command -v wrk > /dev/null 2>&1; then
    note "installing wrk (apt-get install -y wrk)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q wrk > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q wrk > /dev/null; }
fi

if [ -z "${RabbitMq__Url:-}" ]; then
    # A node of the benchmark's own, stopped when it ends; a broker named in RabbitMq__Url is used as it is.
    NODE_DIR="$ROOT/TestResults/servers/bench-rabbitmq"
    note "starting a private RabbitMQ node (infra/rabbitmq.sh --dir $NODE_DIR)"
    eval "$(bash infra/rabbitmq.sh start --dir "$NODE_DIR")"
    trap 'bash infra/rabbitmq.sh stop --dir "$NODE_DIR" >&2' EXIT
fi
# Only a caller's RabbitMq__Url without a management URL gets the broker's usual one.
export RabbitMq__ManagementUrl="${RabbitMq__ManagementUrl:-http://127.0.0.1:15672/}"

note "building bench/SoraEvents.Bench (Release; the service, the simulator and the baseline with it)"
dotnet build bench/SoraEvents.Bench/SoraEvents.Bench.csproj -c Release -nologo -v q -clp:ErrorsOnly >&2

RUNNER="bench/SoraEvents.Bench/bin/Release/net10.0/SoraEvents.Bench.dll"
if [ "$SMOKE" = 1 ]; then
    dotnet "$RUNNER" "$@"
    exit
fi
dotnet "$RUNNER" --docs "$ROOT/docs/benchmarks.md" --command "bench/run.sh" "$@"
