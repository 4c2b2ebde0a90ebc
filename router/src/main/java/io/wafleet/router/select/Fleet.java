package io.wafleet.router.select;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of the health table, indexed for selection: every server by id, and its pools (all servers,
 * each environment, each environment/location, each location across environments) with their tiers. A new snapshot replaces the old one as a whole, so
 * readers never lock.
 */
public final class Fleet {

    public static final Fleet EMPTY = of(List.of());

    private static final Pool NO_POOL = Pool.of("", List.of());

    private final Map<String, ServerView> byId;
    private final Map<String, Pool> pools;

    private Fleet(Map<String, ServerView> byId, Map<String, Pool> pools) {
        this.byId = byId;
        this.pools = pools;
    }

    /**
     * A snapshot whose servers carry their load counters from {@code loads}: selection then reads each candidate's
     * load from its view, without a lookup (the counters keep moving; the snapshot is rebuilt when the table changes).
     */
    public static Fleet of(Collection<ServerView> servers, ServerLoads loads) {
        List<ServerView> withCells = new ArrayList<>(servers.size());
        for (ServerView server : servers) {
            withCells.add(server.withLoadCell(loads.cell(server.id())));
        }
        return of(withCells);
    }

    public static Fleet of(Collection<ServerView> servers) {
        Map<String, ServerView> byId = new HashMap<>();
        Map<String, List<ServerView>> members = new HashMap<>();
        for (ServerView server : servers) {
            byId.put(server.id(), server);
            members.computeIfAbsent("*", k -> new ArrayList<>()).add(server);
            members.computeIfAbsent(poolKey(server.environment(), null), k -> new ArrayList<>())
                    .add(server);
            if (!server.location().isEmpty()) {
                members.computeIfAbsent(poolKey(server.environment(), server.location()), k -> new ArrayList<>())
                        .add(server);
                members.computeIfAbsent(poolKey(null, server.location()), k -> new ArrayList<>())
                        .add(server);
            }
        }
        Map<String, Pool> pools = new HashMap<>();
        members.forEach((key, list) -> pools.put(key, Pool.of(key, list)));
        return new Fleet(Map.copyOf(byId), Map.copyOf(pools));
    }

    /** A pool's key: {@code *} for all, the environment, environment/location, or {@code *}/location. */
    public static String poolKey(String environment, String location) {
        if (environment == null) {
            return location == null || location.isEmpty() ? "*" : "*/" + location;
        }
        return location == null || location.isEmpty() ? environment : environment + "/" + location;
    }

    /** Every pool by its {@link #poolKey}. */
    public Map<String, Pool> pools() {
        return pools;
    }

    public ServerView server(String id) {
        return byId.get(id);
    }

    public Collection<ServerView> servers() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }

    /** The pool of an environment (null for all) and location (null for all of the environment). */
    public Pool pool(String environment, String location) {
        return pools.getOrDefault(poolKey(environment, location), NO_POOL);
    }
}
