package io.wafleet.router;

import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest closed windows of each server and pool, per window size, as read from wa.server-metrics: the router's
 * {@code /metrics} answers from here rather than asking the aggregator (see the stats-aggregator's README section).
 */
public final class MetricsHistory {

    private final int keep;
    private final Map<String, Deque<ServerMetrics>> windows = new ConcurrentHashMap<>();

    public MetricsHistory(int keep) {
        this.keep = keep;
    }

    void add(ServerMetrics metrics) {
        Deque<ServerMetrics> deque = windows.computeIfAbsent(
                metrics.getKey() + "|" + metrics.getWindowSizeSeconds(), k -> new ArrayDeque<>());
        synchronized (deque) {
            // Windows arrive in order per key (one partition); a replayed one is not added twice.
            if (deque.isEmpty() || deque.peekLast().getWindowStart().isBefore(metrics.getWindowStart())) {
                deque.addLast(metrics);
                if (deque.size() > keep) {
                    deque.removeFirst();
                }
            }
        }
    }

    /** The newest window of the given size of each pool (environment, environment/location), by pool key. */
    public Map<String, ServerMetrics> latestOfPools(int windowSizeSeconds) {
        Map<String, ServerMetrics> latest = new HashMap<>();
        windows.forEach((key, deque) -> {
            synchronized (deque) {
                ServerMetrics newest = deque.peekLast();
                if (newest != null
                        && newest.getScope() != MetricsScope.SERVER
                        && newest.getWindowSizeSeconds() == windowSizeSeconds) {
                    latest.put(newest.getKey(), newest);
                }
            }
        });
        return latest;
    }

    /** The newest first, at most {@code keep}, of a server's or pool's windows of the given size. */
    public List<ServerMetrics> recent(String key, int windowSizeSeconds) {
        Deque<ServerMetrics> deque = windows.get(key + "|" + windowSizeSeconds);
        if (deque == null) {
            return List.of();
        }
        synchronized (deque) {
            List<ServerMetrics> newestFirst = new ArrayList<>(deque);
            Collections.reverse(newestFirst);
            return newestFirst;
        }
    }
}
