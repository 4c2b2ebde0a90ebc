package io.wafleet.router.members;

import io.wafleet.avro.RouterMember;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Which router instance handles each request partition, as the instances say on wa.router-members: the latest claim
 * of a partition read wins, and a claim counts only while its instance has been heard from within {@code fresh}
 * (an instance that died without its tombstone stops being forwarded to). Times are when the records were read here,
 * not the writers' clocks. Thread-safe.
 */
final class PartitionClaims {

    /** An instance as last heard from. */
    private record Heard(RouterMember member, Instant at) {}

    private final Duration fresh;
    private final Map<String, Heard> members = new HashMap<>();
    /** Per partition, the instance that claimed it last. */
    private final Map<Integer, String> claims = new HashMap<>();

    PartitionClaims(Duration fresh) {
        this.fresh = fresh;
    }

    /** An instance's record, read at {@code at}. */
    synchronized void heard(RouterMember member, Instant at) {
        String id = member.getRouterId();
        members.put(id, new Heard(member, at));
        claims.entrySet()
                .removeIf(claim ->
                        claim.getValue().equals(id) && !member.getPartitions().contains(claim.getKey()));
        for (int partition : member.getPartitions()) {
            claims.put(partition, id);
        }
    }

    /** An instance's tombstone: it stopped. */
    synchronized void gone(String routerId) {
        members.remove(routerId);
        claims.values().removeIf(routerId::equals);
    }

    /** The instance that handles the partition, if one claimed it and was heard from lately; else null. */
    synchronized RouterMember owner(int partition, Instant now) {
        String id = claims.get(partition);
        Heard heard = id == null ? null : members.get(id);
        return heard == null || heard.at().plus(fresh).isBefore(now) ? null : heard.member();
    }

    /** Every instance heard from lately. */
    synchronized Map<String, RouterMember> live(Instant now) {
        Map<String, RouterMember> live = new HashMap<>();
        members.forEach((id, heard) -> {
            if (!heard.at().plus(fresh).isBefore(now)) {
                live.put(id, heard.member());
            }
        });
        return live;
    }
}
