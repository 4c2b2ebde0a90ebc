package io.wafleet.demo;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The traffic a fault test keeps flowing: a CONNECT for a new account every {@code interval} (posted as any producer
 * would, to wa.connection-requests), and what the routers answered, read from wa.connection-events. Tells which
 * requests are not answered yet, which were handled again after their answer (a duplicate), and how many distinct
 * events the topic holds.
 */
final class FaultWorkload implements AutoCloseable {

    /** States that answer a request; the steps before them (PENDING, CONNECTING) do not. */
    private static final Set<AccountState> ANSWERS =
            Set.of(AccountState.QR_REQUIRED, AccountState.CONNECTED, AccountState.DISCONNECTED, AccountState.FAILED);

    private final Topics topics;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, String> accountsByRequest = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Per request, the states of its events in the order they were read (one account's events are in order). */
    private final Map<String, List<AccountState>> statesByRequest = new ConcurrentHashMap<>();

    private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fault-workload");
        thread.setDaemon(true);
        return thread;
    });

    FaultWorkload(Topics topics, KafkaProducer<byte[], byte[]> producer, Duration interval) {
        this.topics = topics;
        this.producer = producer;
        pace.scheduleAtFixedRate(this::connect, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Posts one CONNECT now; returns its request id. */
    String connect() {
        Topic<String, ConnectionRequest> topic = topics.connectionRequests();
        String account = "fault-" + UUID.randomUUID().toString().substring(0, 8);
        String requestId = UUID.randomUUID().toString();
        ConnectionRequest request = ConnectionRequest.newBuilder()
                .setRequestId(requestId)
                .setAccountId(account)
                .setAction(ConnectionAction.CONNECT)
                .setEnvironment("production")
                .build();
        accountsByRequest.put(requestId, account);
        requests.add(requestId);
        // Sent without waiting: while the broker is away the producer holds it and retries, as any producer would.
        producer.send(new ProducerRecord<>(
                topic.name(),
                account.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), request)));
        return requestId;
    }

    /** Takes in a record of wa.connection-events. */
    void collect(ConsumerRecord<byte[], byte[]> record) {
        ConnectionEvent event =
                topics.connectionEvents().valueSerde().deserializer().deserialize(record.topic(), record.value());
        if (!eventIds.add(event.getEventId())) {
            return; // read twice by the collector itself (it re-reads after a broker failure): not written twice
        }
        if (event.getRequestId() != null && accountsByRequest.containsKey(event.getRequestId())) {
            statesByRequest
                    .computeIfAbsent(event.getRequestId(), id -> new CopyOnWriteArrayList<>())
                    .add(event.getState());
        }
    }

    boolean answered(String requestId) {
        List<AccountState> states = statesByRequest.get(requestId);
        return states != null && states.stream().anyMatch(ANSWERS::contains);
    }

    /** The requests posted so far (the first {@code count}) that have no answer yet. */
    List<String> unanswered(int count) {
        List<String> open = new ArrayList<>();
        for (String requestId : requests.subList(0, Math.min(count, requests.size()))) {
            if (!answered(requestId)) {
                open.add(requestId);
            }
        }
        return open;
    }

    /**
     * One line on requests without an answer, for a failure message: how many, and the first few with their account
     * and the states read for them so far.
     */
    String describe(List<String> open) {
        StringBuilder line = new StringBuilder(open.size() + " unanswered");
        for (String requestId : open.subList(0, Math.min(5, open.size()))) {
            line.append("; ")
                    .append(requestId)
                    .append(" (")
                    .append(accountsByRequest.get(requestId))
                    .append(", #")
                    .append(requests.indexOf(requestId))
                    .append(" of ")
                    .append(requests.size())
                    .append(") read: ")
                    .append(statesByRequest.getOrDefault(requestId, List.of()));
        }
        return line.toString();
    }

    String account(String requestId) {
        return accountsByRequest.get(requestId);
    }

    int posted() {
        return requests.size();
    }

    /** How many requests were handled again after they were answered: a PENDING step after an answer. */
    long duplicated() {
        return duplicates().size();
    }

    /** The requests handled again after they were answered, with their account and the states read for them. */
    List<String> duplicates() {
        List<String> handledAgain = new ArrayList<>();
        statesByRequest.forEach((requestId, states) -> {
            int answer = -1;
            for (int i = 0; i < states.size(); i++) {
                if (answer < 0 && ANSWERS.contains(states.get(i))) {
                    answer = i;
                } else if (answer >= 0 && states.get(i) == AccountState.PENDING) {
                    handledAgain.add(requestId + " (" + accountsByRequest.get(requestId) + ") read: " + states);
                    return;
                }
            }
        });
        return handledAgain;
    }

    /** Distinct events on wa.connection-events, as read so far. */
    long distinctEvents() {
        return eventIds.size();
    }

    /** Stops posting. */
    @Override
    public void close() {
        pace.shutdownNow();
    }
}
