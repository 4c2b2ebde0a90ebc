package io.wafleet.router.accounts;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * Follows wa.connection-events from where it ends at start (committed transactions only) and tells its listeners of
 * every event of the fleet as it comes (the dashboard's feed; the REST calls wait for the account's state instead).
 * History is not read: the accounts' states come from wa.account-state ({@link AccountStates}).
 */
public final class AccountEvents extends TopicListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(AccountEvents.class);

    private final Topic<String, ConnectionEvent> topic;
    private final List<Consumer<ConnectionEvent>> listeners = new CopyOnWriteArrayList<>();

    public AccountEvents(ConsumerFactory<String, byte[]> consumers, Topic<String, ConnectionEvent> topic) {
        super("account-events", consumers);
        this.topic = topic;
    }

    /** Called with every event of the fleet as it is read (on the reading thread: keep it short). */
    public void onEvent(Consumer<ConnectionEvent> listener) {
        listeners.add(listener);
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
            announce(event);
        }
    }

    /** Tells the listeners of an event read from wa.connection-events. */
    void announce(ConnectionEvent event) {
        for (Consumer<ConnectionEvent> listener : listeners) {
            listener.accept(event);
        }
    }
}
