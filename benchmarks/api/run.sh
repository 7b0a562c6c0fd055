#!/usr/bin/env bash
# benchmarks/api/run.sh - throughput and latency of the read API (issue #3), with wrk against 127.0.0.1 only.
#
# Each scenario runs on a fresh api-service JVM (-Xmx256m, one instance, port $BENCH_PORT), after a JIT warm-up, twice:
#   throughput  wrk -t2 -c16 (saturates the 2 cores; its p99 is mostly CPU-scheduling delay, since wrk shares them)
#   latency     wrk -t1 -c2  (two requests in flight: service time without queueing behind a saturated CPU)
# ping and the L1 hit alternate (ping, L1, ping, L1) and their throughput ratio uses the mean of both runs.
# Scenarios:
#   (d) GET /v1/ping                          HTTP-stack ceiling
#   (a) GET one user, L1 hit                  default caching
#   (b) GET one user, L2 hit                  -Dcommitcast.cache.l1.enabled=false
#   (c) GET one user, Postgres only           -Dcommitcast.cache.enabled=false (and the Zipf mix, Postgres only)
#   Zipf(0.99) over all 100,000 demo users with warm caches: hit rate from /v1/perf/cache before/after,
#   plus RSS (ps) and heap (jvm_memory_used_bytes{area="heap"}) sampled under that load.
#
# Data: by default it starts its own Postgres + Redis (the dev stack, via BenchStack.java) and loads the default demo
# data (100 orgs x 1,000 users). To use a running platform instead, export COMMITCAST_PG_JDBC_URL,
# COMMITCAST_PG_USER, COMMITCAST_PG_PASSWORD and COMMITCAST_REDIS_URL (e.g. eval "$(./commitcast env)") pointing at
# a database holding the default demo data; the benchmark instance then uses its own key space (bench-*).
#
# The instances run without the CDC pipeline, so the staleness guard is off; they load a copy of the demo's rules
# file with every TTL at 10 min (the value the rules file suggests for a trusted pipeline), and the L1 cap raised to
# match, so the Zipf run measures caching, not expiry.
#
# Usage: benchmarks/api/run.sh            (knobs: BENCH_DURATION=10s BENCH_THREADS=2 BENCH_CONNECTIONS=16
#                                          BENCH_WARMUP=10s BENCH_WARM_ALL=40s BENCH_PORT=18080)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/benchmarks/api"
cd "$ROOT"

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-10s}"
WARM_ALL="${BENCH_WARM_ALL:-40s}"
export BENCH_THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
PORT="${BENCH_PORT:-18080}"
BASE="http://127.0.0.1:$PORT"
USER_PATH="/v1/orgs/1/users/5"
WORK="$(mktemp -d /tmp/commitcast-bench.XXXXXX)"
API_PID=""
STACK_PID=""
HOLDER_PID=""

for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
  if [ -n "$candidate" ] && "$candidate/bin/java" -version 2>&1 | grep -q '"25'; then JAVA="$candidate/bin/java"; break; fi
done
[ -n "${JAVA:-}" ] || { echo "run.sh: JDK 25 required (set JAVA_HOME)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "run.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
command -v jq >/dev/null || { echo "run.sh: jq not found (apt-get install jq)" >&2; exit 1; }

cleanup() {
  [ -n "$API_PID" ] && kill "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null || true
  [ -n "$HOLDER_PID" ] && kill "$HOLDER_PID" 2>/dev/null || true     # closes BenchStack's stdin: it stops
  [ -n "$STACK_PID" ] && wait "$STACK_PID" 2>/dev/null || true
  echo "run.sh: logs kept in $WORK" >&2
}
trap cleanup EXIT

if [ ! -f api-service/target/classpath.txt ] || [ ! -f devstack/target/classpath.txt ]; then
  echo "run.sh: building api-service and devstack ..." >&2
  JAVA_HOME="$(dirname "$(dirname "$JAVA")")" ./mvnw -q -B -pl api-service,devstack -am package -DskipTests >&2
fi
API_CP="api-service/target/classes:$(cat api-service/target/classpath.txt)"

start_stack() {
  if [ -n "${COMMITCAST_PG_JDBC_URL:-}" ] && [ -n "${COMMITCAST_REDIS_URL:-}" ]; then
    echo "run.sh: using Postgres $COMMITCAST_PG_JDBC_URL and Redis $COMMITCAST_REDIS_URL from the environment" >&2
    return
  fi
  mkfifo "$WORK/stack.in"
  sleep infinity > "$WORK/stack.in" & HOLDER_PID=$!
  "$JAVA" -Dlogback.configurationFile=dev/commitcast/devstack/devstack-main-logback.xml \
    -cp "devstack/target/classes:$(cat devstack/target/classpath.txt):$API_CP" "$HERE/BenchStack.java" \
    < "$WORK/stack.in" > "$WORK/stack.env" 2> "$WORK/stack.log" & STACK_PID=$!
  for _ in $(seq 1 240); do
    grep -q '^READY' "$WORK/stack.env" 2>/dev/null && break
    kill -0 "$STACK_PID" 2>/dev/null || { tail -20 "$WORK/stack.log" >&2; exit 1; }
    sleep 0.5
  done
  grep -q '^READY' "$WORK/stack.env" || { echo "run.sh: dev stack not ready" >&2; exit 1; }
  eval "$(grep '^export ' "$WORK/stack.env")"
  echo "run.sh: dev stack up: $COMMITCAST_PG_JDBC_URL, $COMMITCAST_REDIS_URL ($(grep loaded "$WORK/stack.log"))" >&2
}

sed -E 's/ttl: [0-9]+[a-z]+/ttl: 10m/' examples/orgs-demo/rules.yml > "$WORK/rules.yml"

# start_api NAME [-Dkey=value ...]: one instance, its own key space, waits for /health.
start_api() {
  local name="$1"; shift
  MICRONAUT_SERVER_PORT="$PORT" "$JAVA" -Xmx256m -Dcommitcast.key-space="bench-$name-$$" \
    -Dcommitcast.rules="$WORK/rules.yml" -Dcommitcast.staleness.enabled=false -Dcommitcast.cache.l1.max-ttl=10m \
    "$@" -cp "$API_CP" dev.commitcast.api.Application > "$WORK/api-$name.log" 2>&1 & API_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "$BASE/health" >/dev/null 2>&1 && return
    kill -0 "$API_PID" 2>/dev/null || { tail -30 "$WORK/api-$name.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "run.sh: api-service ($name) did not become healthy" >&2; exit 1
}

stop_api() {
  kill "$API_PID" 2>/dev/null || true
  wait "$API_PID" 2>/dev/null || true
  API_PID=""
}

# to_ms VALUE: wrk latency (e.g. 380.00us, 1.20ms, 2.01s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# warm PATH: JIT warm-up at full load, not recorded.
warm() {
  wrk -t "$BENCH_THREADS" -c "$CONNECTIONS" -d "$WARMUP" "$BASE$1" > /dev/null
}

# measure LABEL PATH [script] [latency]: one recorded wrk run (throughput shape, or -t1 -c2 with "latency").
measure() {
  local label="$1" path="$2" script="${3:-}" shape="${4:-}"
  local args=(-t "$BENCH_THREADS" -c "$CONNECTIONS" --latency)
  [ "$shape" = latency ] && args=(-t 1 -c 2 --latency)
  [ -n "$script" ] && args+=(-s "$script")
  wrk "${args[@]}" -d "$DURATION" "$BASE$path" > "$WORK/wrk-$label.txt"
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk-$label.txt")"
  p50="$(to_ms "$(awk '$1 == "50%" {print $2}' "$WORK/wrk-$label.txt")")"
  p99="$(to_ms "$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$label.txt")")"
  errors="$(awk '/Non-2xx|Socket errors/ {print}' "$WORK/wrk-$label.txt" | tr '\n' ' ')"
  printf '%-28s %12s req/s   p50 %8s ms   p99 %8s ms   %s\n' "$label" "$rps" "$p50" "$p99" "$errors"
  echo "$label $rps $p50 $p99" >> "$WORK/results.txt"
}

perf_counts() {  # prints "l1hits l1misses l2hits l2misses"
  curl -fs "$BASE/v1/perf/cache" | jq -r '[.tiers.l1.hits, .tiers.l1.misses, .tiers.l2.hits, .tiers.l2.misses] | @tsv'
}

memory_sample() {  # prints "rssMB heapMB"
  local rss heap
  rss="$(ps -o rss= -p "$API_PID" | awk '{printf "%.1f", $1 / 1024}')"
  heap="$(curl -fs "$BASE/metrics" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s += $NF} END {printf "%.1f", s / 1048576}')"
  echo "$rss $heap"
}

start_stack
echo "run.sh: wrk -t$BENCH_THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up), 127.0.0.1:$PORT, $(nproc) cores"
echo

start_api cached
warm "/v1/ping"
warm "$USER_PATH"
measure "ping-1" "/v1/ping"
measure "user-L1-hit-1" "$USER_PATH"
measure "ping-2" "/v1/ping"
measure "user-L1-hit-2" "$USER_PATH"
measure "ping-latency" "/v1/ping" "" latency
measure "user-L1-hit-latency" "$USER_PATH" "" latency
echo "run.sh: warming all users ($WARM_ALL) ..." >&2
wrk -t "$BENCH_THREADS" -c "$CONNECTIONS" -d "$WARM_ALL" -s "$HERE/warm-users.lua" "$BASE/" > "$WORK/wrk-warm-all.txt"
l1_size="$(curl -fs "$BASE/v1/perf/cache" | jq -r '.l1.size')"
read -r h1 m1 h2 m2 < <(perf_counts)
( sleep 5; memory_sample > "$WORK/memory.txt" ) &
sampler=$!
measure "zipf-0.99-100k-users" "/" "$HERE/zipf-users.lua"
wait "$sampler" || true
read -r H1 M1 H2 M2 < <(perf_counts)
read -r rss heap < "$WORK/memory.txt"
stop_api

start_api l2only -Dcommitcast.cache.l1.enabled=false
warm "$USER_PATH"
measure "user-L2-hit" "$USER_PATH"
measure "user-L2-hit-latency" "$USER_PATH" "" latency
stop_api

start_api postgres -Dcommitcast.cache.enabled=false
warm "$USER_PATH"
measure "user-postgres-only" "$USER_PATH"
measure "user-postgres-only-latency" "$USER_PATH" "" latency
measure "zipf-postgres-only" "/" "$HERE/zipf-users.lua"
stop_api

echo
awk -v h1="$h1" -v m1="$m1" -v h2="$h2" -v H1="$H1" -v M1="$M1" -v H2="$H2" -v size="$l1_size" \
    -v rss="$rss" -v heap="$heap" '
  { rps[$1] = $2; p99[$1] = $4 }
  END {
    lookups = (H1 - h1) + (M1 - m1); hits = (H1 - h1) + (H2 - h2)
    l1 = (rps["user-L1-hit-1"] + rps["user-L1-hit-2"]) / 2; ping = (rps["ping-1"] + rps["ping-2"]) / 2
    printf "L1-hit / ping throughput:       %.1f %%   (mean of 2 alternating runs; target >= 80 %%)\n", 100 * l1 / ping
    printf "L1-hit p99:                     %s ms at -t1 -c2, %s / %s ms at -t2 -c16   (target <= 2 ms)\n",
           p99["user-L1-hit-latency"], p99["user-L1-hit-1"], p99["user-L1-hit-2"]
    printf "L2-hit p99:                     %s ms at -t1 -c2, %s ms at -t2 -c16   (target <= 5 ms)\n",
           p99["user-L2-hit-latency"], p99["user-L2-hit"]
    printf "cached (L1) / Postgres-only:    %.1f x one user, %.1f x Zipf mix   (target >= 10 x; ceiling ping / Postgres-only = %.1f x)\n",
           l1 / rps["user-postgres-only"], rps["zipf-0.99-100k-users"] / rps["zipf-postgres-only"], ping / rps["user-postgres-only"]
    printf "Zipf hit rate (L1+L2):          %.3f %%   (%d lookups, L1 %d, L2 %d; L1 entries after warm-up %d; target >= 99 %%)\n",
           100 * hits / lookups, lookups, H1 - h1, H2 - h2, size
    printf "memory under Zipf load:         RSS %s MB, heap used %s MB   (-Xmx256m; target heap <= 256 MB)\n", rss, heap
  }' "$WORK/results.txt"
