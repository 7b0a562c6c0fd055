#!/bin/bash
# As in the Kafka distribution: the broker's supported API versions (compose's health check for the stand-in).
exec java -Xmx128m -Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.properties -cp '/opt/kafka/libs/*' \
  org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
