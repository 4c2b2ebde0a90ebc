#!/bin/bash
# Creates wafleet's topics (names, partitions and cleanup of README's Topics table); run once by docker compose.
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP_SERVERS:-kafka:9092}"
partitions="${WAFLEET_PARTITIONS:-6}"
replication="${WAFLEET_REPLICATION_FACTOR:-1}"
day=86400000
topic() {
    /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$bootstrap" --create --if-not-exists \
        --topic "$1" --partitions "$partitions" --replication-factor "$replication" --config "$2" ${3:+--config "$3"}
}
topic wa.server-configs cleanup.policy=compact
topic wa.lb-rules cleanup.policy=compact
topic wa.server-health cleanup.policy=compact
topic wa.health-checks cleanup.policy=delete retention.ms=$((1 * day))
topic wa.server-stats cleanup.policy=delete retention.ms=$((7 * day))
topic wa.server-metrics cleanup.policy=delete retention.ms=$((30 * day))
topic wa.server-events cleanup.policy=delete retention.ms=$((30 * day))
topic wa.connection-requests cleanup.policy=delete retention.ms=$((7 * day))
topic wa.connection-events cleanup.policy=delete retention.ms=$((30 * day))
topic wa.dead-letters cleanup.policy=delete retention.ms=$((30 * day))
topic wa.account-state cleanup.policy=compact
partitions=1 topic wa.router-members cleanup.policy=compact
topic wa.server-notices cleanup.policy=delete retention.ms=$((7 * day))
topic wa.outbound-messages cleanup.policy=delete retention.ms=$((7 * day))
topic wa.message-events cleanup.policy=delete retention.ms=$((30 * day))
topic wa.message-progress cleanup.policy=compact
echo "wafleet topics ready"
