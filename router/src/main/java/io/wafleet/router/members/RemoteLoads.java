package io.wafleet.router.members;

import io.wafleet.router.select.ServerLoads;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The other router instances' accounts in progress per server, as each last said, added into the {@link ServerLoads}
 * cells selection reads ({@link ServerLoads.Cell#elsewhere}): when each instance holds only its own partitions'
 * accounts, a server's load is the same for selection on every instance, within the time a record takes to come.
 * An instance that stops, or is not heard from, no longer counts. Thread-safe.
 */
final class RemoteLoads {

    private final ServerLoads loads;
    /** Per other instance, the counts added for it. */
    private final Map<String, Map<String, Integer>> counted = new HashMap<>();

    RemoteLoads(ServerLoads loads) {
        this.loads = loads;
    }

    /** An instance's counts: they replace what it said before. */
    synchronized void heard(String routerId, Map<String, Integer> pending) {
        gone(routerId);
        Map<String, Integer> copy = Map.copyOf(pending);
        copy.forEach((serverId, count) -> loads.cell(serverId).addElsewhere(count));
        counted.put(routerId, copy);
    }

    /** The instance stopped or went silent: its counts are taken out. */
    synchronized void gone(String routerId) {
        Map<String, Integer> before = counted.remove(routerId);
        if (before != null) {
            before.forEach((serverId, count) -> loads.cell(serverId).addElsewhere(-count));
        }
    }

    /** Takes out every instance not among {@code live}. */
    synchronized void keepOnly(Set<String> live) {
        for (String routerId : Set.copyOf(counted.keySet())) {
            if (!live.contains(routerId)) {
                gone(routerId);
            }
        }
    }
}
