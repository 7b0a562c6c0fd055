#!/usr/bin/env bash
# benchmarks/latency/run.sh - commit -> L1 eviction broadcast latency of the whole platform (issues 4 and 13),
# from one command on a fresh checkout.
#
# Builds and installs what the benchmark needs (the e2e-tests module and the modules it depends on), starts the
# platform with `./commitcast up --detach` in its own COMMITCAST_HOME (timed: the start-up figure of issue 13), runs
# dev.commitcast.e2e.bench.InvalidationLatencyBenchmark against it, and always stops it again. The benchmark prints:
#   first change     one UPDATE right after `up`, before anything warmed the pipeline
#   postgres alone   the single-row UPDATE commit rate Postgres sustains here, in the same run (8 connections)
#   one row per rate commit -> L1 eviction broadcast p50 / p90 / p99 / max at that many changes/s
#   CPU and RSS of every platform process over the run
# and then `./commitcast status`'s per-stage latency (commit -> decoded by the connector -> acknowledged by Kafka ->
# consumed -> Redis delete -> L1 broadcast, then broadcast -> received by each api-service instance) over the whole run.
#
# Usage: benchmarks/latency/run.sh [rate ...]     (default rates: 1 100 1000 2000 4000)
# Knobs: BENCH_SECONDS=20 (measured seconds per rate, after a 3 s warm-up)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 25 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25*; do
    if [ -x "$candidate/bin/java" ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
export PATH="$JAVA_HOME/bin:$PATH"

RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(1 100 1000 2000 4000)
if [ -z "${COMMITCAST_HOME:-}" ]; then
  COMMITCAST_HOME="$(mktemp -d /tmp/commitcast-latency.XXXXXX)"
  chmod 755 "$COMMITCAST_HOME" # Postgres runs as the postgres OS user when this is root: it must traverse it
fi
export COMMITCAST_HOME
CLASSPATH_FILE="$ROOT/e2e-tests/target/bench-classpath.txt"

echo "bench: building (install -DskipTests of e2e-tests and what it depends on)"
./mvnw -B -q install -DskipTests -pl e2e-tests -am
./mvnw -B -q -pl e2e-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"

trap './commitcast down >/dev/null 2>&1 || true' EXIT
started=$(date +%s%N)
./commitcast up --detach
echo "bench: ./commitcast up --detach took $(( ($(date +%s%N) - started) / 1000000 )) ms"
eval "$(./commitcast env)"

java -Xmx512m -Dbench.seconds="${BENCH_SECONDS:-20}" \
  -cp "$ROOT/e2e-tests/target/test-classes:$(cat "$CLASSPATH_FILE")" \
  dev.commitcast.e2e.bench.InvalidationLatencyBenchmark "${RATES[@]}"

# Where the time goes, stage by stage, over the whole run (every rate above): the services' own histograms.
echo
./commitcast status | sed -n '/^Invalidation latency/,/^$/p'
