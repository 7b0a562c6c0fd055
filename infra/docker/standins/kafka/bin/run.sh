#!/bin/bash
# apache/kafka's environment contract, for the stand-in (ADR-0011): server.properties from the KAFKA_* variables
# (except the JVM option variables), formatted once with CLUSTER_ID, then the broker in the foreground.
set -euo pipefail
props=/opt/kafka/config/server.properties
: "${CLUSTER_ID:?the stand-in needs CLUSTER_ID (kafka-storage.sh random-uuid), as apache/kafka does for KRaft}"
: >"$props"
for name in $(compgen -e | grep '^KAFKA_' | sort); do
  case "$name" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_GC_LOG_OPTS|KAFKA_LOG4J_OPTS|KAFKA_JMX_OPTS) continue ;;
  esac
  key="${name#KAFKA_}"; key="${key,,}"
  key="${key//___/-}"; key="${key//__/@}"; key="${key//_/.}"; key="${key//@/_}"
  printf '%s=%s\n' "$key" "${!name}" >>"$props"
done
grep -q '^log\.dirs=' "$props" || echo 'log.dirs=/tmp/kraft-combined-logs' >>"$props"

java_opts=(${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} ${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20}
  -Djava.awt.headless=true -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties ${KAFKA_OPTS:-})
java "${java_opts[@]}" -cp '/opt/kafka/libs/*' kafka.tools.StorageTool format --config "$props" \
  --cluster-id "$CLUSTER_ID" --ignore-formatted
exec java "${java_opts[@]}" -cp '/opt/kafka/libs/*' kafka.Kafka "$props"
