package io.wafleet.router;

import io.wafleet.avro.LbRule;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.router.select.Fleet;
import io.wafleet.router.select.PoolRule;
import io.wafleet.router.select.PoolRules;
import io.wafleet.router.select.ServerLoads;
import io.wafleet.router.select.ServerView;
import io.wafleet.schemas.Topics;
import io.wafleet.service.TopicListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.TopicPartitionOffset;

/**
 * This router's copy of the health table and the pool rules: reads the compacted wa.server-health, wa.lb-rules and wa.server-configs
 * from their beginning (every router instance holds all of them, no consumer group), and after each poll that
 * changed something publishes a new immutable {@link Fleet} and {@link PoolRules}, which request threads read
 * without locks. Ready once it has read up to the ends the topics had at start.
 */
public final class FleetState extends TopicListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(FleetState.class);

    private final Topics topics;
    private final PoolRule defaultRule;
    private final MetricsHistory metrics;
    private final Duration refresh;
    private final Duration history;
    private final ServerLoads loads;
    private final Map<String, ServerHealth> health = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, ServerView> views = new HashMap<>();
    private final Map<String, ServerConfig> configs = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, LbRule> rules = new HashMap<>();
    private final List<java.util.function.Consumer<Fleet>> snapshotListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Fleet fleet = Fleet.EMPTY;
    private volatile PoolRules poolRules;
    private volatile boolean caughtUp;
    private Map<TopicPartition, Long> startEnds;
    private boolean dirty;
    private long publishedAt;

    /**
     * @param refresh the least time between two snapshots: building one is O(servers), and the table changes with
     *     every heartbeat, so a large fleet would otherwise rebuild all the time
     * @param history how far back wa.server-metrics is read at start
     * @param loads the per-server counters the account registry moves, resolved once per server in each snapshot
     */
    public FleetState(
            ConsumerFactory<String, byte[]> consumers,
            Topics topics,
            PoolRule defaultRule,
            MetricsHistory metrics,
            Duration refresh,
            Duration history,
            ServerLoads loads) {
        super("fleet-state", consumers);
        this.loads = loads;
        this.topics = topics;
        this.defaultRule = defaultRule;
        this.metrics = metrics;
        this.refresh = refresh;
        this.history = history;
        this.poolRules = PoolRules.only(defaultRule);
    }

    /** Called (on the table's consumer thread) with each new snapshot, once it is the one selection reads. */
    public void onSnapshot(java.util.function.Consumer<Fleet> listener) {
        snapshotListeners.add(listener);
    }

    public Fleet fleet() {
        return fleet;
    }

    public PoolRules rules() {
        return poolRules;
    }

    /** The full health record of a server, as last read (it may be a little newer than the snapshot). */
    public ServerHealth health(String serverId) {
        return health.get(serverId);
    }

    /** A server's configuration (from wa.server-configs), or null for a server not configured. */
    public ServerConfig config(String serverId) {
        return configs.get(serverId);
    }

    /** Every configured server. */
    public java.util.Collection<ServerConfig> configs() {
        return configs.values();
    }

    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** Started before the request consumer, stopped after it: requests need what this reads. */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 100;
    }

    @Override
    protected ContainerProperties properties() {
        List<TopicPartitionOffset> tables = new ArrayList<>();
        for (String topic : List.of(
                topics.serverHealth().name(),
                topics.lbRules().name(),
                topics.serverConfigs().name())) {
            tables.addAll(partitions(topic, TopicPartitionOffset.SeekPosition.BEGINNING));
        }
        List<TopicPartition> tablePartitions =
                tables.stream().map(TopicPartitionOffset::getTopicPartition).toList();
        startEnds = beforeStart(consumer -> consumer.endOffsets(tablePartitions));
        // The metrics windows from {@code history} ago on (from their end when none is that recent).
        long since = System.currentTimeMillis() - history.toMillis();
        List<TopicPartitionOffset> all = new ArrayList<>(tables);
        partitions(topics.serverMetrics().name(), TopicPartitionOffset.SeekPosition.TIMESTAMP)
                .forEach(window -> all.add(new TopicPartitionOffset(
                        window.getTopicPartition(), since, TopicPartitionOffset.SeekPosition.TIMESTAMP)));
        ContainerProperties properties = new ContainerProperties(all.toArray(TopicPartitionOffset[]::new));
        properties.setMessageListener((BatchConsumerAwareMessageListener<String, byte[]>) (records, consumer) -> {
            for (ConsumerRecord<String, byte[]> record : records) {
                dirty |= apply(record);
            }
            afterPoll(consumer);
        });
        return properties;
    }

    @Override
    protected void idle(Consumer<?, ?> consumer) {
        afterPoll(consumer);
    }

    private void afterPoll(Consumer<?, ?> consumer) {
        if (!caughtUp) {
            if (startEnds.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                publish();
                caughtUp = true;
                log.info("health table loaded: {} servers, {} pool rules", health.size(), rules.size());
            }
        } else if (dirty && System.nanoTime() - publishedAt >= refresh.toNanos()) {
            publish();
        }
    }

    private boolean apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return false;
        }
        try {
            if (record.topic().equals(topics.serverMetrics().name())) {
                metrics.add(
                        topics.serverMetrics().valueSerde().deserializer().deserialize(record.topic(), record.value()));
                return false;
            }
            if (record.topic().equals(topics.serverConfigs().name())) {
                // The configs say how to call a server (dialect, timeouts, encrypted key); selection does not use
                // them, so they do not make a new snapshot.
                if (record.value() == null) {
                    configs.remove(record.key());
                } else {
                    configs.put(
                            record.key(),
                            topics.serverConfigs()
                                    .valueSerde()
                                    .deserializer()
                                    .deserialize(record.topic(), record.value()));
                }
                return false;
            }
            if (record.topic().equals(topics.serverHealth().name())) {
                ServerHealth value =
                        topics.serverHealth().valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (value == null) {
                    health.remove(record.key());
                    views.remove(record.key());
                } else {
                    health.put(record.key(), value);
                    // Converted as it arrives: a snapshot then only indexes the views.
                    views.put(record.key(), ServerView.of(value));
                }
            } else {
                LbRule value = topics.lbRules().valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (value == null) {
                    rules.remove(record.key());
                } else {
                    rules.put(record.key(), value);
                }
            }
            return true;
        } catch (RuntimeException e) {
            // The aggregator and the sink's CDC write these topics; a record they wrote that cannot be read here
            // is skipped with its position, and the table keeps the last good state.
            log.warn(
                    "skipping unreadable {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return false;
        }
    }

    private void publish() {
        fleet = Fleet.of(views.values(), loads);
        poolRules = PoolRules.of(rules.values(), defaultRule);
        dirty = false;
        publishedAt = System.nanoTime();
        Fleet published = fleet;
        snapshotListeners.forEach(listener -> listener.accept(published));
    }
}
