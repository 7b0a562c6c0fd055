#!/usr/bin/env bash
# benchmarks/baselines/run.sh - baselines in the same harness (issue 13.4), from one command on a fresh checkout.
#
# One workload against the same api-service in several configurations, each on its own copy of the same database:
#   ttl                  (a) TTL only: no pipeline, the demo rules file's TTLs, staleness guard off
#   bust                 (b) as (a) plus commitcast.cache.bust-on-write=true: the write endpoints delete their row's
#                            keys (Redis and their own L1) after the commit, the hand-written approach
#   commitcast           (c) the whole pipeline (cdc-connector, invalidator), same TTLs, staleness guard on
#   commitcast-long-ttl  (c') as (c) with the TTLs the rules file recommends once the pipeline is trusted
# Workload: two api-service instances; Zipf(0.99) reads of users, role permissions and roles lists; writers through
# the API (PATCH/PUT), with plain SQL (single rows) and a migration-style bulk UPDATE of one organisation.
# Reports per configuration: hit rate, Postgres transactions/s and the API's loads/s, read p50/p99, stale reads
# (returned a value superseded by a newer commit confirmed more than 1 s before the read began) and the longest
# staleness; prints a markdown table at the end (also written to e2e-tests/target/baselines.md).
#
# Builds and installs what it needs (e2e-tests and the modules it depends on), starts its own Postgres, Redis and
# Kafka on free loopback ports (the dev stack) and stops everything again.
#
# Usage: benchmarks/baselines/run.sh [configuration ...]     (default: ttl bust commitcast commitcast-long-ttl)
# Knobs: BENCH_SECONDS=60 (measured per configuration) BENCH_WARMUP=15 BENCH_READ_RATE=400 BENCH_READERS=8
#        BENCH_API_WRITE_RATE=20
#        BENCH_SQL_WRITE_RATE=20 BENCH_BULK_EVERY=10 (seconds) BENCH_ORGS=100 BENCH_USERS_PER_ORG=1000
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

source benchmarks/e2e-bench.sh   # JDK 25, install e2e-tests and its modules, $CLASSPATH_FILE

# A private copy of the driver's classes: a build in this checkout while the benchmark runs must not pull them away.
CLASSES="$(mktemp -d /tmp/commitcast-baselines-classes.XXXXXX)"
trap 'rm -rf "$CLASSES"' EXIT
cp -r "$ROOT/e2e-tests/target/test-classes/." "$CLASSES/"

# Always private servers: endpoints exported for a running platform (./commitcast env) are not used.
unset COMMITCAST_PG_URL COMMITCAST_REDIS_URL COMMITCAST_KAFKA_BOOTSTRAP

java -Xmx1g -Dlogback.configurationFile=dev/commitcast/devstack/devstack-main-logback.xml \
  -Dbench.root="$ROOT" -Dbench.out="$ROOT/e2e-tests/target/baselines.md" \
  -Dbench.seconds="${BENCH_SECONDS:-60}" -Dbench.warmup="${BENCH_WARMUP:-15}" \
  -Dbench.read-rate="${BENCH_READ_RATE:-400}" -Dbench.readers="${BENCH_READERS:-8}" \
  -Dbench.api-write-rate="${BENCH_API_WRITE_RATE:-20}" -Dbench.sql-write-rate="${BENCH_SQL_WRITE_RATE:-20}" \
  -Dbench.bulk-every="${BENCH_BULK_EVERY:-10}" \
  -Dbench.orgs="${BENCH_ORGS:-100}" -Dbench.users-per-org="${BENCH_USERS_PER_ORG:-1000}" \
  -cp "$CLASSES:$(cat "$CLASSPATH_FILE")" \
  dev.commitcast.e2e.bench.BaselinesBenchmark "$@"
