package io.wafleet.aggregator;

import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;

/**
 * What the health processor emits: a server's new health record (null when the server was removed), an event, or a
 * change of the server's standing in one pool (keyed by the pool, for the panic count).
 */
sealed interface HealthOutput {

    record Health(ServerHealth health) implements HealthOutput {}

    record Event(ServerEvent event) implements HealthOutput {}

    /**
     * @param standing {@link PoolStanding#HEALTHY}, {@link PoolStanding#NOT_HEALTHY}, or null when the server no
     *     longer counts in the pool (removed, moved, disabled, draining, never checked)
     */
    record Member(String serverId, String standing) implements HealthOutput {

        /** The form on the internal repartition topic: serverId, a tab, the standing (empty for none). */
        String encoded() {
            return serverId + "\t" + (standing == null ? "" : standing);
        }

        static Member decode(String encoded) {
            int tab = encoded.lastIndexOf('\t');
            String standing = encoded.substring(tab + 1);
            return new Member(encoded.substring(0, tab), standing.isEmpty() ? null : standing);
        }
    }
}
