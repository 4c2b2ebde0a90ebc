package io.wafleet.aggregator;

import io.wafleet.avro.ServerHealth;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The health processor's state: each server's full ServerHealth ({@link StatsTopology#HEALTH_STORE}) and its
 * {@link CheckState} ({@link StatsTopology#CHECK_STORE}), which routine checks update alone. The full record is read
 * with the check state laid over it, so it is always current.
 */
final class HealthState {

    private final KeyValueStore<String, ServerHealth> records;
    private final KeyValueStore<String, CheckState> checks;

    HealthState(KeyValueStore<String, ServerHealth> records, KeyValueStore<String, CheckState> checks) {
        this.records = records;
        this.checks = checks;
    }

    /** The server's current health record, or null. */
    ServerHealth get(String serverId) {
        ServerHealth health = records.get(serverId);
        if (health != null) {
            CheckState check = checks.get(serverId);
            if (check != null) {
                check.applyTo(health);
            }
        }
        return health;
    }

    CheckState check(String serverId) {
        return checks.get(serverId);
    }

    void put(String serverId, ServerHealth health) {
        records.put(serverId, health);
        checks.put(serverId, CheckState.of(health));
    }

    /** Records a routine check: only the check state changes. */
    void put(String serverId, CheckState check) {
        checks.put(serverId, check);
    }

    void delete(String serverId) {
        records.delete(serverId);
        checks.delete(serverId);
    }

    /** The servers that are stale at {@code now}, read from the small check states. */
    List<String> stale(long now, int intervals) {
        List<String> stale = new ArrayList<>();
        try (KeyValueIterator<String, CheckState> all = checks.all()) {
            while (all.hasNext()) {
                KeyValue<String, CheckState> entry = all.next();
                if (entry.value.staleAt(now, intervals)) {
                    stale.add(entry.key);
                }
            }
        }
        return stale;
    }
}
