#!/usr/bin/env bash
# benchmarks/latency/run.sh - commit -> L1 eviction broadcast latency of the whole platform (issues 4 and 13),
# from one command on a fresh checkout.
#
# Builds and installs what the benchmark needs (the e2e-tests module and the modules it depends on), starts the
# platform with `./commitcast up --detach` in its own COMMITCAST_HOME (timed: the start-up figure of issue 13), runs
# dev.commitcast.e2e.bench.InvalidationLatencyBenchmark against it, and always stops it again. The benchmark prints:
#   first change     one UPDATE right after `up`, before anything warmed the pipeline
#   postgres alone   phase A: the single-row UPDATE commit rate Postgres sustains here (8 connections, 10 s) with
#                    every service JVM of the pipeline stopped (SIGSTOP), then how long the pipeline takes to catch
#                    up with that backlog; and the same rate with the pipeline running
#   one row per rate phase B: commit -> L1 eviction broadcast p50 / p90 / p99 / max at that many changes/s, and how
#                    long after the phase the pipeline had caught up (bounded lag: about 0). Rate `pg` is phase A's
#                    rate, rate 0 an idle phase.
#   per rate         each stage's p50 / p99 from the services' histograms, and each process's CPU
#   heap after a full GC of every service at the start and at the end; CPU and RSS of every process over the run
# and then `./commitcast status`'s per-stage latency (commit -> decoded by the connector -> acknowledged by Kafka ->
# consumed -> Redis delete -> L1 broadcast, then broadcast -> received by each api-service instance) over the whole run.
#
# Usage: benchmarks/latency/run.sh [rate ...]     (default rates: 0 1 100 1000 2000 4000 pg)
# Knobs: BENCH_SECONDS=20 (measured seconds per rate, after a 3 s warm-up)
#        BENCH_PROFILE=1  record a JFR profile (settings=profile) of every service JVM over the whole run and print
#                         each one's hottest methods (`jfr view hot-methods`); the .jfr files stay in COMMITCAST_HOME
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

source benchmarks/e2e-bench.sh   # JDK 25, install e2e-tests and its modules, $CLASSPATH_FILE

RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(0 1 100 1000 2000 4000 pg)
if [ -z "${COMMITCAST_HOME:-}" ]; then
  COMMITCAST_HOME="$(mktemp -d /tmp/commitcast-latency.XXXXXX)"
  chmod 755 "$COMMITCAST_HOME" # Postgres runs as the postgres OS user when this is root: it must traverse it
fi
export COMMITCAST_HOME
# JFR and the training run of the start-up class cache do not mix: on JDK 25.0.3 every training JVM that had a JFR
# recording crashed (SIGSEGV in MethodTrainingData::cleanup) while writing its cache at exit.
[ "${BENCH_PROFILE:-0}" = 1 ] && export COMMITCAST_AOT=off

trap './commitcast down >/dev/null 2>&1 || true' EXIT
started=$(date +%s%N)
./commitcast up --detach
echo "bench: ./commitcast up --detach took $(( ($(date +%s%N) - started) / 1000000 )) ms"
eval "$(./commitcast env)"

# pid and name of every service JVM of this platform (by the port `up` gave it), not of another one on this machine
service_pids() {
  local ports pid name
  ports=" $(echo "$COMMITCAST_CDC_URL,$COMMITCAST_INVALIDATOR_URLS,$COMMITCAST_API_URLS" | tr ',' '\n' | sed -E 's/.*:([0-9]+)\/?$/\1/' | tr '\n' ' ')"
  ps -eo pid=,args= | sed -nE 's/^ *([0-9]+) .*dev\.commitcast\.(cdc|invalidator|api)\.Application.*/\1 \2/p' \
    | while read -r pid name; do
        port="$(tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | sed -n 's/^MICRONAUT_SERVER_PORT=//p')"
        case "$ports" in *" $port "*) echo "$pid $name" ;; esac
      done
}
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  while read -r pid name; do
    "$JAVA_HOME/bin/jcmd" "$pid" JFR.start name=bench settings=profile >/dev/null
    echo "bench: profiling $name (pid $pid)"
  done < <(service_pids)
fi

java -Xmx512m -Dbench.seconds="${BENCH_SECONDS:-20}" \
  -cp "$ROOT/e2e-tests/target/test-classes:$(cat "$CLASSPATH_FILE")" \
  dev.commitcast.e2e.bench.InvalidationLatencyBenchmark "${RATES[@]}"

# Where the time goes, stage by stage, over the whole run (every rate above): the services' own histograms.
echo
./commitcast status | sed -n '/^Invalidation latency/,/^$/p'

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  while read -r pid name; do
    file="$COMMITCAST_HOME/profile-$name-$pid.jfr"
    "$JAVA_HOME/bin/jcmd" "$pid" JFR.dump name=bench filename="$file" >/dev/null
    echo
    echo "== $name (pid $pid): hottest methods, $file"
    "$JAVA_HOME/bin/jfr" view --width 180 hot-methods "$file" | head -30
  done < <(service_pids)
fi
