package io.wafleet.platform.kafka;

/** A Kafka cluster that tests and the demo connect to: the embedded broker or an external one. */
public interface KafkaCluster {

    /** The {@code bootstrap.servers} of the cluster. */
    String bootstrapServers();
}
