#!/usr/bin/env bash
# benchmarks/api/platform.sh - the read path with the whole platform running (issue 13.5): L1-hit throughput of one
# api-service instance against /v1/ping of the same instance, and what each request allocates.
#
# Unlike run.sh (one api-service JVM without the pipeline), this measures an instance of `./commitcast up`: the
# connector and invalidator run beside it, its staleness guard is on, and its L1 is fed by the broadcast.
#
#   1. `./commitcast up --detach` (or, with COMMITCAST_API_URL exported, the platform it names - e.g.
#      eval "$(./commitcast env)"), default demo data;
#   2. JIT warm-up: wrk on /v1/ping, then on one user (an L1 hit from the second request on);
#   3. three alternating pairs (ping, then L1 hit), wrk -t2 -c32 -d10s each; the result is the median of the three
#      ratios L1-hit req/s / ping req/s (target >= 0.9);
#   4. allocation per request of each run: the growth of jvm_gc_memory_allocated_bytes_total (Micrometer's count of
#      young-generation allocation, updated at each GC; a 10 s run spans dozens) divided by the requests wrk made.
#      The L1 hit's own allocation is the difference from ping's.
#   5. `./commitcast down` if this script started the platform.
#
# Usage: benchmarks/api/platform.sh   (knobs: BENCH_DURATION=10s BENCH_WARMUP=10s BENCH_CONNECTIONS=32
#                                       BENCH_THREADS=2 BENCH_PAIRS=3 BENCH_PATH=/v1/orgs/1/users/5)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PAIRS="${BENCH_PAIRS:-3}"
HIT_PATH="${BENCH_PATH:-/v1/orgs/1/users/5}"
WORK="$(mktemp -d /tmp/commitcast-platform-bench.XXXXXX)"
STARTED=""

command -v wrk >/dev/null || { echo "platform.sh: wrk not found (apt-get install wrk)" >&2; exit 1; }
command -v jq >/dev/null || { echo "platform.sh: jq not found (apt-get install jq)" >&2; exit 1; }

cleanup() {
  if [ -n "$STARTED" ]; then ./commitcast down > "$WORK/down.log" 2>&1 || echo "platform.sh: ./commitcast down failed (see $WORK/down.log)" >&2; fi
  echo "platform.sh: wrk outputs in $WORK" >&2
}
trap cleanup EXIT

if [ -z "${COMMITCAST_API_URL:-}" ]; then
  echo "platform.sh: ./commitcast up --detach ..." >&2
  STARTED=1
  ./commitcast up --detach > "$WORK/up.log" 2>&1 || { tail -30 "$WORK/up.log" >&2; exit 1; }
  eval "$(./commitcast env)"
fi
BASE="${COMMITCAST_API_URL%/}"
curl -fs "$BASE$HIT_PATH" > /dev/null || { echo "platform.sh: $BASE$HIT_PATH does not answer 200" >&2; exit 1; }

l1_hits() {  # L1 hits the instance counted so far
  curl -fs "$BASE/v1/perf/cache" | jq -r '.tiers.l1.hits'
}

# the instance's JVM (by the port in its MICRONAUT_SERVER_PORT), for its CPU time
PORT="${BASE##*:}"
API_PID=""
for pid in $(pgrep -f 'dev\.commitcast\.api\.Application' || true); do
  if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "MICRONAUT_SERVER_PORT=$PORT"; then API_PID="$pid"; fi
done
cpu_ticks() {  # user + system clock ticks the instance used so far (0 when its pid is unknown)
  if [ -n "$API_PID" ]; then awk '{print $14 + $15}' "/proc/$API_PID/stat"; else echo 0; fi
}
TICKS_PER_SECOND="$(getconf CLK_TCK)"

allocated() {  # bytes the instance allocated so far
  curl -fs "$BASE/metrics" | awk '/^jvm_gc_memory_allocated_bytes_total/ {printf "%.0f\n", $2}'
}

# run LABEL PATH: one recorded wrk run; appends "label rps p50 p99 bytes-per-request cpu-us-per-request" to
# results.txt.
run() {
  local label="$1" path="$2" before after ticks_before ticks_after
  before="$(allocated)"; ticks_before="$(cpu_ticks)"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "$BASE$path" > "$WORK/wrk-$label.txt"
  after="$(allocated)"; ticks_after="$(cpu_ticks)"
  awk -v label="$label" -v before="$before" -v after="$after" -v ticks="$((ticks_after - ticks_before))" \
      -v hz="$TICKS_PER_SECOND" '
    function ms(v) { n = v + 0; if (v ~ /us$/) return n / 1000; if (v ~ /ms$/) return n; if (v ~ /s$/) return n * 1000; return n }
    /requests in/ { requests = $1 }
    /^Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx|Socket errors/ { errors = errors " " $0 }
    END {
      printf "%s %.0f %.3f %.3f %.0f %.2f\n", label, rps, p50, p99, (after - before) / requests, 1e6 * ticks / hz / requests
      if (errors != "") printf "platform.sh: %s:%s\n", label, errors > "/dev/stderr"
    }' "$WORK/wrk-$label.txt" | tee -a "$WORK/results.txt" > /dev/null
}

echo "platform.sh: $BASE, $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $PAIRS pairs after a $WARMUP warm-up of each"
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "$BASE/v1/ping" > /dev/null
wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" "$BASE$HIT_PATH" > /dev/null
hits_before="$(l1_hits)"
for i in $(seq 1 "$PAIRS"); do
  run "ping-$i" /v1/ping
  run "l1-hit-$i" "$HIT_PATH"
done
hits="$(( $(l1_hits) - hits_before ))"

echo
awk -v pairs="$PAIRS" -v path="$HIT_PATH" -v pid="$API_PID" '
  function median(a, n,    i, j, t) {  # sorts a[1..n] in place (insertion sort), returns its median
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return a[int((n + 1) / 2)]
  }
  { rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; bytes[$1] = $5; cpu[$1] = $6 }
  END {
    printf "%-5s %11s %11s %7s   %13s %13s   %9s %9s   %8s %8s\n", "pair", "ping req/s", "L1 req/s", "ratio",
           "ping p50/p99", "L1 p50/p99", "ping B/r", "L1 B/r", "ping µs/r", "L1 µs/r"
    for (i = 1; i <= pairs; i++) {
      p = "ping-" i; l = "l1-hit-" i; ratio[i] = rps[l] / rps[p]
      printf "%-5d %11d %11d %7.3f   %5.3f/%-7.3f %5.3f/%-7.3f   %9d %9d   %8.2f %8.2f\n", i, rps[p], rps[l], ratio[i],
             p50[p], p99[p], p50[l], p99[l], bytes[p], bytes[l], cpu[p], cpu[l]
      pb[i] = bytes[p]; lb[i] = bytes[l]; pc[i] = cpu[p]; lc[i] = cpu[l]
    }
    printf "\nL1-hit / ping throughput (median of %d pairs): %.3f   (target >= 0.9)\n", pairs, median(ratio, pairs)
    ping = median(pb, pairs); hit = median(lb, pairs)
    printf "allocation per request (median): ping %d B, L1 hit %d B, so the L1 hit adds %d B (%s)\n",
           ping, hit, hit - ping, path
    if (pid != "") {
      ping = median(pc, pairs); hit = median(lc, pairs)
      printf "instance CPU per request (median): ping %.2f µs, L1 hit %.2f µs, ratio %.3f (wrk shares the cores)\n",
             ping, hit, ping / hit
    }
  }' "$WORK/results.txt"
requests="$(cat "$WORK"/wrk-l1-hit-*.txt | awk '/requests in/ { n += $1 } END { print n }')"
echo "L1 hits the instance counted during the pairs: $hits, requests wrk made on $HIT_PATH: $requests"
