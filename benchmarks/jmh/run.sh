#!/usr/bin/env bash
# Builds and runs the JMH benchmarks from a fresh checkout, one command:
#   benchmarks/jmh/run.sh                      # every benchmark, 1 fork, 3 warm-up and 5 measured 2 s iterations
#   benchmarks/jmh/run.sh KeyBuilding -prof gc # a subset (regex) and any JMH option, e.g. allocation per operation
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
./mvnw -B -q -pl benchmarks/jmh -am package -DskipTests >&2
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
exec "$java_home/bin/java" -cp "benchmarks/jmh/target/classes:$(cat benchmarks/jmh/target/classpath.txt)" \
  org.openjdk.jmh.Main -f 1 -wi 3 -w 2s -i 5 -r 2s "$@"
