package io.wafleet.router.select;

import io.wafleet.avro.HealthStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local outlier ejection, as Envoy's outlier detection: {@link OutlierRules#consecutiveFailures} failed calls in a
 * row from this router to a server eject it from this router's selection at once, without waiting for the health
 * table. The n-th ejection of a server lasts n times the base ejection time, up to the maximum; each base ejection time
 * it then stays in without one takes one off n. An ejection that would take more than the maximum share of one of the
 * server's pools (its environment's, and its environment and location's) out is not made, so a fleet-wide failure
 * cannot eject a whole pool; a pool in panic ignores ejections ({@link Selector}). Outcomes of calls that end while
 * the server is ejected do not count. An ejected server that the health table then shows UNHEALTHY (or drops) and
 * then HEALTHY again is taken back at once ({@link #snapshot}): the aggregator's own checks saw it fail and recover, so
 * a recovery is routed to as soon as the table says so, not only when the ejection ends. Which failures count is the
 * caller's to say.
 */
public final class Outliers {

    private static final Logger log = LoggerFactory.getLogger(Outliers.class);

    /** A server's failures in a row and ejections so far; guarded by itself. */
    private static final class Record {
        int consecutive;
        int ejections;
        long lastEjectionEnd;
        /** The health table showed the server down since it was ejected. */
        boolean seenDown;
    }

    private final OutlierRules rules;
    private final Supplier<Fleet> fleet;
    private final ServerLoads loads;
    private final LongSupplier nanoTime;
    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private final LongAdder ejected = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder readmitted = new LongAdder();

    public Outliers(OutlierRules rules, Supplier<Fleet> fleet, ServerLoads loads, LongSupplier nanoTime) {
        this.rules = rules;
        this.fleet = fleet;
        this.loads = loads;
        this.nanoTime = nanoTime;
    }

    /** A call to the server succeeded: its failures in a row start again from none. */
    public void succeeded(String serverId) {
        Record record = records.get(serverId);
        if (record != null) {
            synchronized (record) {
                record.consecutive = 0;
            }
        }
    }

    /**
     * A call to the server failed in a way that counts against it; ejects the server when that makes enough in a row.
     *
     * @param why the failure, for the log
     * @return whether this failure ejected the server
     */
    public boolean failed(String serverId, String why) {
        if (!rules.enabled()) {
            return false;
        }
        long now = nanoTime.getAsLong();
        ServerLoads.Cell cell = loads.cell(serverId);
        Record record = records.computeIfAbsent(serverId, id -> new Record());
        synchronized (record) {
            if (cell.ejected(now)) {
                return false;
            }
            if (++record.consecutive < rules.consecutiveFailures()) {
                return false;
            }
            record.consecutive = 0;
            return eject(serverId, cell, record, now, why);
        }
    }

    /**
     * A new snapshot of the health table: an ejected server it shows HEALTHY after an earlier one showed it UNHEALTHY
     * (or without it) since the ejection is taken back.
     */
    public void snapshot(Fleet fleet) {
        long now = nanoTime.getAsLong();
        records.forEach((serverId, record) -> {
            ServerLoads.Cell cell = loads.cell(serverId);
            if (!cell.ejected(now)) {
                return;
            }
            ServerView server = fleet.server(serverId);
            synchronized (record) {
                if (server == null || server.status() == HealthStatus.UNHEALTHY) {
                    record.seenDown = true;
                } else if (record.seenDown && server.status() == HealthStatus.HEALTHY) {
                    record.seenDown = false;
                    record.lastEjectionEnd = now;
                    cell.ejectUntil(now);
                    readmitted.increment();
                    log.info(
                            "server {} taken back into this router's selection: the health table shows it recovered",
                            serverId);
                }
            }
        });
    }

    /** Ejections taken back early because the health table showed the server recover. */
    public long readmissions() {
        return readmitted.sum();
    }

    /** Ejections made so far. */
    public long ejections() {
        return ejected.sum();
    }

    /** Ejections not made because the pool's maximum share was ejected already. */
    public long refusedEjections() {
        return refused.sum();
    }

    /** Servers ejected now. */
    public int ejectedNow() {
        long now = nanoTime.getAsLong();
        return (int) records.keySet().stream()
                .filter(id -> loads.cell(id).ejected(now))
                .count();
    }

    private boolean eject(String serverId, ServerLoads.Cell cell, Record record, long now, String why) {
        long base = rules.baseEjectionTime().toNanos();
        synchronized (this) { // one ejection at a time, so two cannot both take a pool's last room
            Fleet current = fleet.get();
            ServerView server = current.server(serverId);
            if (server != null && !roomIn(current, server, now)) {
                refused.increment();
                log.info(
                        "server {} failed {} calls in a row ({}), but is not ejected: the most of its pool that may be"
                                + " is ejected already",
                        serverId,
                        rules.consecutiveFailures(),
                        why);
                return false;
            }
            if (record.ejections > 0) {
                long quiet = Math.max(0, now - record.lastEjectionEnd) / base;
                record.ejections = (int) Math.max(0, record.ejections - quiet);
            }
            record.ejections++;
            long duration =
                    Math.min(base * record.ejections, rules.maxEjectionTime().toNanos());
            record.lastEjectionEnd = now + duration;
            record.seenDown = false;
            cell.ejectUntil(now + duration);
        }
        ejected.increment();
        log.warn(
                "server {} ejected from this router's selection for {} s after {} failed calls in a row ({})",
                serverId,
                Duration.ofNanos(record.lastEjectionEnd - now).toSeconds(),
                rules.consecutiveFailures(),
                why);
        return true;
    }

    /** Whether one more of the server's pools may be ejected: its environment's, and its environment/location's. */
    private boolean roomIn(Fleet current, ServerView server, long now) {
        boolean room = hasRoom(current.pool(server.environment(), null), now);
        if (!server.location().isEmpty()) {
            room &= hasRoom(current.pool(server.environment(), server.location()), now);
        }
        return room;
    }

    private boolean hasRoom(Pool pool, long now) {
        int servers = 0;
        int ejectedNow = 0;
        for (Pool.Tier tier : pool.tiers()) {
            for (ServerView member : tier.servers()) {
                servers++;
                ejectedNow += loads.cell(member.id()).ejected(now) ? 1 : 0;
            }
        }
        int allowed = servers <= 1 ? 0 : Math.min(servers - 1, Math.max(1, (int) (rules.maxEjectedShare() * servers)));
        return ejectedNow < allowed;
    }
}
