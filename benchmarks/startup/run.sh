#!/usr/bin/env bash
# Start-up of the local platform (issue 13.3): `./commitcast up --detach` timed in a fresh COMMITCAST_HOME, first the
# training run of the JDK ahead-of-time class caches, then warm runs that start from them, each followed by
# `./commitcast down` (timed too). For each run it prints the wall time, how busy the machine's cores were while `up`
# ran (start-up on two cores is CPU-bound: compare these, not only the seconds), the CPU seconds each JVM had used
# when `up` returned, and supervisor.log's timed progress lines.
#   benchmarks/startup/run.sh                 # a training run and 3 warm runs
#   benchmarks/startup/run.sh 5               # 5 warm runs
#   BENCH_UP_ARGS=--no-demo-data benchmarks/startup/run.sh
#   BENCH_AGAINST=/path/to/other/checkout benchmarks/startup/run.sh   # alternate with another (built) checkout's
#                                                                     # warm runs: the machine's speed drifts
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
warm="${1:-3}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q -DskipTests package >&2
touch cli/target/classpath.txt # ./commitcast's build stamp: what was just built is current
export COMMITCAST_SKIP_BUILD=1
unset COMMITCAST_AOT

busy_since() { # percent of all cores busy since the /proc/stat line in $1
  python3 -c "
import sys
a = list(map(int, sys.argv[1].split()[1:])); b = list(map(int, open('/proc/stat').readline().split()[1:]))
d = [y - x for x, y in zip(a, b)]; print('%.0f %%' % (100 * (sum(d) - d[3] - d[4]) / sum(d)))" "$1"
}

jvm_cpu() { # CPU seconds per running JVM, named by its main class
  local pid name out=""
  for pid in $(pgrep -x java || true); do
    name="$(tr '\0' ' ' < "/proc/$pid/cmdline" | grep -o 'dev\.commitcast\.[a-z]*\.Application\|KafkaBrokerMain\|CommitcastCli' | head -1 || true)"
    case "$name" in
      CommitcastCli) name=supervisor ;; KafkaBrokerMain) name=kafka ;;
      dev.commitcast.cdc.Application) name=cdc-connector ;; *) name="${name#dev.commitcast.}"; name="${name%.Application}" ;;
    esac
    out="$out $name $(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$pid/stat")"
  done
  echo "${out# }"
}

one_run() { # one_run LABEL CHECKOUT HOME
  local label="$1" checkout="$2" home="$3" stat0 t0 t1 busy cpu t2
  stat0="$(head -1 /proc/stat)"
  t0="$(date +%s%3N)"
  (cd "$checkout" && COMMITCAST_HOME="$home" ./commitcast up --detach ${BENCH_UP_ARGS:-} > /dev/null)
  t1="$(date +%s%3N)"
  busy="$(busy_since "$stat0")"
  cpu="$(jvm_cpu)"
  (cd "$checkout" && COMMITCAST_HOME="$home" ./commitcast down > /dev/null)
  t2="$(date +%s%3N)"
  printf '%-14s up %6.1f s (cores busy %s), down %5.1f s | CPU s: %s\n' "$label" \
    "$(awk "BEGIN { print ($t1 - $t0) / 1000 }")" "$busy" "$(awk "BEGIN { print ($t2 - $t1) / 1000 }")" "$cpu"
  grep -o 'migrations applied.*\|demo data.*\|dev stack ready.*\|[a-z0-9-]* is up at [^ ]* after [0-9.]* s\|Commitcast is up after [0-9.]* s' \
    "$home/logs/supervisor.log" | sed 's/^/                 /' || true
}

home="$(mktemp -d /tmp/commitcast-startup.XXXXXX)"
chmod 755 "$home" # Postgres runs as the postgres OS user when this is root: it must traverse it
if [ -n "${BENCH_AGAINST:-}" ]; then
  other_home="$(mktemp -d /tmp/commitcast-startup-other.XXXXXX)"
  chmod 755 "$other_home"
fi
echo "startup: $(nproc) cores; ./commitcast up --detach ${BENCH_UP_ARGS:-}; COMMITCAST_HOME $home"
one_run "training" . "$home"
[ -n "${BENCH_AGAINST:-}" ] && one_run "other training" "$BENCH_AGAINST" "$other_home"
for i in $(seq 1 "$warm"); do
  one_run "warm $i" . "$home"
  [ -n "${BENCH_AGAINST:-}" ] && one_run "other warm $i" "$BENCH_AGAINST" "$other_home"
done
du -sh "$home/aot" | sed 's/^/class caches: /'
rm -rf "$home" ${other_home:+"$other_home"}
