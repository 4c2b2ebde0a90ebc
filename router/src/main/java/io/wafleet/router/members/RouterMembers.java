package io.wafleet.router.members;

import io.wafleet.avro.RouterMember;
import io.wafleet.router.select.ServerLoads;
import io.wafleet.schemas.DaemonThreads;
import io.wafleet.schemas.Topic;
import io.wafleet.service.TopicListener;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * The router instances and the request partitions each handles, on wa.router-members: this instance writes its own
 * record (its API's URL, its partitions, and — when instances hold only their own partitions' accounts — its accounts
 * in progress per server) whenever they change, at most every {@link #TICK}, and every {@link #HEARTBEAT}, and a
 * tombstone when it stops; it reads everyone's from the beginning, so it knows where to forward a call for an account
 * it does not hold ({@link #owner}) and counts the others' accounts in progress in its selection ({@link
 * RemoteLoads}).
 */
public final class RouterMembers extends TopicListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(RouterMembers.class);

    /** How often an instance looks whether its counts changed: the longest they take to reach the others. */
    static final Duration TICK = Duration.ofMillis(100);

    /** How often an instance writes its record even when nothing changed. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    /** An instance not heard from for this long is not forwarded to (it died without its tombstone). */
    static final Duration FRESH = HEARTBEAT.multipliedBy(3);

    private final Topic<String, RouterMember> topic;
    private final String routerId;
    private final Producer<byte[], byte[]> producer;
    private final Supplier<Set<Integer>> owned;
    private final Clock clock;
    private final PartitionClaims claims = new PartitionClaims(FRESH);
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("router-members"));
    private final LongSupplier held;
    private final ServerLoads loads;
    private final RemoteLoads remote;
    private volatile String apiUrl;
    private volatile boolean closed;
    private volatile Map<String, Integer> published = Map.of();
    private volatile long publishedAt;

    public RouterMembers(
            ConsumerFactory<String, byte[]> consumers,
            Topic<String, RouterMember> topic,
            String routerId,
            Producer<byte[], byte[]> producer,
            Supplier<Set<Integer>> owned,
            LongSupplier held,
            ServerLoads loads,
            Clock clock) {
        super("router-members", consumers);
        this.topic = topic;
        this.routerId = routerId;
        this.producer = producer;
        this.owned = owned;
        this.held = held;
        this.loads = loads;
        this.remote = loads == null ? null : new RemoteLoads(loads);
        this.clock = clock;
        heartbeat.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This instance's id. */
    public String routerId() {
        return routerId;
    }

    /** The URL other instances reach this one's API at, once known; publishes this instance's record. */
    public void advertise(String url) {
        apiUrl = url;
        log.info("router {} advertises its API at {}", routerId, url);
        publish();
    }

    /** The partitions this instance handles changed: says so now. */
    public void partitionsChanged() {
        publish();
    }

    /** The other instance that handles the request partition, if one is known and alive; else null. */
    public RouterMember owner(int partition) {
        RouterMember owner = claims.owner(partition, clock.instant());
        return owner == null || owner.getRouterId().equals(routerId) ? null : owner;
    }

    /**
     * How many accounts the other live instances hold, as they last said (at most {@link #HEARTBEAT} old); 0 when
     * every instance holds every account.
     */
    public long heldElsewhere() {
        if (remote == null) {
            return 0;
        }
        return live().values().stream()
                .filter(member -> !member.getRouterId().equals(routerId))
                .mapToLong(RouterMember::getHeldAccounts)
                .sum();
    }

    /** Every instance heard from lately, this one included once its record was read back. */
    public Map<String, RouterMember> live() {
        return claims.live(clock.instant());
    }

    /** Stopped after the request consumer, whose last partitions given up are said here before the tombstone. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 50;
    }

    @Override
    protected ContainerProperties properties() {
        ContainerProperties properties =
                new ContainerProperties(partitions(topic.name(), TopicPartitionOffset.SeekPosition.BEGINNING)
                        .toArray(TopicPartitionOffset[]::new));
        properties.setMessageListener((BatchMessageListener<String, byte[]>) records -> records.forEach(this::read));
        return properties;
    }

    private void read(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                claims.gone(record.key());
                if (remote != null) {
                    remote.gone(record.key());
                }
            }
            return;
        }
        try {
            RouterMember member = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            claims.heard(member, clock.instant());
            if (remote != null && !member.getRouterId().equals(routerId)) {
                remote.heard(member.getRouterId(), member.getPendingAccounts());
            }
        } catch (RuntimeException e) {
            log.warn("unreadable router member record at {}@{}: {}", record.partition(), record.offset(), e.toString());
        }
    }

    /** Every {@link #TICK}: the silent instances' counts out; this one's record out if its counts changed, or is due. */
    private void tick() {
        try {
            if (remote != null) {
                remote.keepOnly(claims.live(clock.instant()).keySet());
            }
            Map<String, Integer> pending = loads == null ? Map.of() : loads.own();
            boolean due = System.nanoTime() - publishedAt >= HEARTBEAT.toNanos();
            if (due || !pending.equals(published)) {
                publish();
            }
        } catch (RuntimeException e) {
            log.warn("could not look at this router's member record: {}", e.toString());
        }
    }

    private synchronized void publish() {
        String url = apiUrl;
        if (url == null || closed) {
            return;
        }
        Map<String, Integer> pending = loads == null ? Map.of() : loads.own();
        RouterMember member = RouterMember.newBuilder()
                .setRouterId(routerId)
                .setApiUrl(url)
                .setPartitions(List.copyOf(new java.util.TreeSet<>(owned.get())))
                .setPendingAccounts(pending)
                .setHeldAccounts(held.getAsLong())
                .setUpdatedAt(clock.instant())
                .build();
        published = pending;
        publishedAt = System.nanoTime();
        send(topic.valueSerde().serializer().serialize(topic.name(), member));
    }

    private void send(byte[] value) {
        producer.send(
                new ProducerRecord<>(topic.name(), routerId.getBytes(StandardCharsets.UTF_8), value),
                (metadata, error) -> {
                    if (error != null) {
                        log.warn("could not write this router's member record: {}", error.toString());
                    }
                });
    }

    /** Stopping: the tombstone says so at once (the others stop forwarding here). */
    @Override
    protected synchronized void stopped() {
        closed = true;
        heartbeat.shutdownNow();
        if (apiUrl != null) {
            send(null);
        }
        producer.close(Duration.ofSeconds(5));
    }
}
