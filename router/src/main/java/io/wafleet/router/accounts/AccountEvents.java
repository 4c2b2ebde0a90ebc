package io.wafleet.router.accounts;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Follows wa.connection-events from where it ends at start (committed transactions only) and tells the registry's
 * listeners of every event of the fleet as it comes: the REST calls waiting for an answer and the dashboard's feed.
 * History is not read: the accounts' states come from wa.account-state ({@link AccountStates}).
 */
public final class AccountEvents extends TopicListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(AccountEvents.class);

    private final Topic<String, ConnectionEvent> topic;
    private final AccountRegistry registry;

    public AccountEvents(
            ConsumerFactory<String, byte[]> consumers, Topic<String, ConnectionEvent> topic, AccountRegistry registry) {
        super("account-events", consumers);
        this.topic = topic;
        this.registry = registry;
    }

    /** Started before the request consumer, stopped after it: the answers of its requests come through here. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 100;
    }

    @Override
    protected ContainerProperties properties() {
        ContainerProperties properties = new ContainerProperties(
                partitions(topic.name(), TopicPartitionOffset.SeekPosition.END).toArray(TopicPartitionOffset[]::new));
        properties.setMessageListener(
                (BatchMessageListener<String, byte[]>) records -> records.forEach(this::announce));
        return properties;
    }

    private void announce(ConsumerRecord<String, byte[]> record) {
        ConnectionEvent event = RouterRecords.read(topic, record, log);
        if (event != null) {
            registry.announce(event);
        }
    }
}
