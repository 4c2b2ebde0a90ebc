package io.wafleet.router.accounts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import io.wafleet.client.CallResult;
import io.wafleet.schemas.DaemonThreads;
import io.wafleet.schemas.DeadLetters;
import io.wafleet.schemas.Topic;
import io.wafleet.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Everything the router writes to Kafka about accounts: connection events (a QR by its id), each in one transaction with
 * the account's new state on wa.account-state (which holds the QR's image) (applied to the registry once committed), requests posted through the REST API,
 * PASSIVE health checks for servers that failed a call, and dead letters. The events go through {@link Transactions};
 * the rest through one idempotent producer.
 */
public final class Publisher implements AutoCloseable {

    /** Header on every record this router writes: which instance wrote it. */
    public static final String ROUTER_HEADER = "wafleet.router";

    private static final int STEP_THREADS = 4;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Producer<byte[], byte[]> producer;
    private final Transactions transactions;
    private final Topics topics;
    private final AccountRegistry registry;
    private final String routerId;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<AccountState, Counter> events = new EnumMap<>(AccountState.class);
    /**
     * The threads the steps after a send run on. A few, since a step may itself wait in a send (for metadata, or for
     * room in the producer's buffer while the broker is away) and the other accounts' steps go on meanwhile.
     */
    private final ExecutorService steps =
            Executors.newFixedThreadPool(STEP_THREADS, DaemonThreads.named("account-steps"));

    public Publisher(
            Producer<byte[], byte[]> producer,
            Transactions transactions,
            Topics topics,
            AccountRegistry registry,
            String routerId,
            Clock clock,
            MeterRegistry meters) {
        this.producer = producer;
        this.transactions = transactions;
        this.topics = topics;
        this.registry = registry;
        this.routerId = routerId;
        this.clock = clock;
        this.meters = meters;
        for (AccountState state : AccountState.values()) {
            events.put(
                    state,
                    Counter.builder("wafleet.router.account.events")
                            .description("account steps this router took, by the state they reached")
                            .tag("state", state.name().toLowerCase(Locale.ROOT))
                            .register(meters));
        }
    }

    /**
     * Sends the event with the account's state after it, in one transaction, and once that is committed applies the
     * event to this instance's registry; completes after that. An event the broker did not take changes nothing here,
     * so the registry never shows a step the topics do not have.
     */
    public CompletableFuture<Void> event(ConnectionEvent event) {
        AccountStateRecord state = registry.expectOwn(event);
        String account = event.getAccountId();
        CompletableFuture<Void> sent = new CompletableFuture<>();
        transactions
                .send(List.of(
                        record(topics.connectionEvents(), account, onTopic(event)),
                        record(topics.accountState(), account, state)))
                .whenComplete((ok, error) -> steps.execute(() -> {
                    if (error == null) {
                        events.get(event.getState()).increment();
                        registry.applyOwn(event);
                        sent.complete(null);
                    } else {
                        registry.abandonOwn(event);
                        sent.completeExceptionally(error);
                    }
                }));
        return sent;
    }

    /** The event as the topic gets it: a QR by its id only (the image goes with the state, once per QR). */
    private static ConnectionEvent onTopic(ConnectionEvent event) {
        return event.getQrCode() == null
                ? event
                : ConnectionEvent.newBuilder(event).setQrCode(null).build();
    }

    /** Posts a request as any producer would. */
    public CompletableFuture<Void> request(ConnectionRequest request) {
        return send(topics.connectionRequests(), request.getAccountId(), request);
    }

    /**
     * Tells the aggregator a server failed a call (a PASSIVE failed check), so it counts towards the server's fall;
     * unless the failure says nothing about the server's health (see {@link #blamesServer}).
     */
    public void failedCall(String serverId, CallResult.Failed<?> failure) {
        boolean blames = blamesServer(failure);
        Counter.builder("wafleet.router.call.failures")
                .description("calls to servers that failed, by error kind and whether they count against the server")
                .tag("kind", failure.kind() == null ? "none" : failure.kind().name())
                .tag("blames_server", Boolean.toString(blames))
                .register(meters)
                .increment();
        if (!blames) {
            return;
        }
        HealthCheck check = new HealthCheck(
                UUID.randomUUID().toString(),
                serverId,
                routerId,
                CheckSource.PASSIVE,
                clock.instant(),
                failure.latency().toNanos() / 1000,
                false,
                failure.httpStatus(),
                failure.kind(),
                failure.message(),
                1,
                null);
        send(topics.healthChecks(), serverId, check);
    }

    /**
     * Whether a failed call says something about the server's health: a server that is full (429, or a WAHA Core
     * server whose one session is another account's: SERVER_FULL), has the account in another state (409) or refuses
     * the input (422) answered as a healthy server would.
     */
    static boolean blamesServer(CallResult.Failed<?> failure) {
        if (failure.kind() == ErrorKind.SERVER_FULL) {
            return false;
        }
        Integer status = failure.httpStatus();
        return status == null || (status != 409 && status != 422 && status != 429);
    }

    /** Sends a record this router could not use to wa.dead-letters, with why. */
    public CompletableFuture<Void> deadLetter(ConsumerRecord<byte[], byte[]> record, String error) {
        ProducerRecord<byte[], byte[]> letter = DeadLetters.of(topics.deadLetters(), record, error, routerId);
        return send(letter);
    }

    private <V> CompletableFuture<Void> send(Topic<String, V> topic, String key, V value) {
        return send(record(topic, key, value));
    }

    private <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(ROUTER_HEADER, routerId.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(
                topic.name(),
                null,
                key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value),
                headers);
    }

    /**
     * Sends; the returned future completes on one of {@link #steps}' threads, never on the producer's I/O thread: what
     * follows an event (the account's next step) sends again, and a send that must first fetch a topic's metadata
     * (after a broker came back, a leader moved) waits for the I/O thread that would be running it, until
     * {@code max.block.ms}, while every other send of this router waits too.
     */
    private CompletableFuture<Void> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        producer.send(
                record,
                (metadata, error) -> steps.execute(() -> {
                    if (error == null) {
                        sent.complete(null);
                    } else {
                        sent.completeExceptionally(error);
                    }
                }));
        return sent;
    }

    /** Closes the producers (which send what they hold and call back), then lets the steps under way finish. */
    @Override
    public void close() {
        transactions.close();
        producer.close();
        steps.shutdown();
        try {
            if (!steps.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                steps.shutdownNow();
            }
        } catch (InterruptedException e) {
            steps.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
