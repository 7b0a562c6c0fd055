#!/usr/bin/env bash
# Faults under load (issue 10.5): SQL writers of every kind and readers on two API instances while the invalidator and
# the connector are killed -9 and restarted, the broadcast connections cut, Redis and Postgres restarted and Kafka
# paused; then every endpoint and Redis value is compared with Postgres. Prints the summary (also written to
# e2e-tests/target/soak-summary.txt); exits non-zero when anything is stale.
#   benchmarks/soak/run.sh          # 300 s of load
#   benchmarks/soak/run.sh 120      # another duration, in seconds (verify runs SoakIT with 60)
#   benchmarks/soak/run.sh 120 5    # readers pause 5 ms per read (default 0: as fast as they can, saturating 2 cores)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds="${1:-300}"
read_pause_ms="${2:-0}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q install -DskipTests >&2
./mvnw -B -q -pl e2e-tests verify -Dtest=NONE -Dit.test=SoakIT -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dcommitcast.e2e.soak.seconds="$seconds" \
  -Dcommitcast.e2e.soak.read-pause-ms="$read_pause_ms" >&2 || status=$?
cat e2e-tests/target/soak-summary.txt 2>/dev/null || echo "soak: no summary written (see e2e-tests/target/failsafe-reports)"
exit "${status:-0}"
