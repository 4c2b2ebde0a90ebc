package io.wafleet.router.accounts;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The events this instance published that are in flight, with the seat each reserved on its server, and which of the
 * two ways applies each: its acknowledgement by the broker, or its state record read back from wa.account-state,
 * whichever comes first; the other is skipped. While an event applied on
 * acknowledgement is not read back yet, any state of its account read meanwhile lies before it on the topic (a
 * partition taken again is read from its beginning): it is older, and is not applied either. Called by the {@link
 * AccountRegistry} under its lock.
 */
final class OwnEvents {

    /** Sent, neither acknowledged nor read back yet: event id to the server whose seat it reserved ("": none). */
    private final Map<String, String> sent = new ConcurrentHashMap<>();
    /** Applied on their acknowledgement, their read-back to be skipped: event id to account. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** Applied on their read-back, their acknowledgement to be skipped: event id to account. */
    private final Map<String, String> readBack = new ConcurrentHashMap<>();
    /** Per account, how many of its events were applied on acknowledgement and are not read back yet. */
    private final Map<String, Integer> ahead = new ConcurrentHashMap<>();

    /** The event is about to be sent; it reserved a seat on the server {@code seat} ("": none). */
    void sent(String eventId, String seat) {
        sent.put(eventId, seat);
    }

    /** The event is sent no more (acknowledged, read back or abandoned): the seat it reserved, or null. */
    String released(String eventId) {
        return sent.remove(eventId);
    }

    /**
     * The event is acknowledged: whether to apply it now (it was not read back first, and its account is {@code held}
     * here: acknowledged while its partition was given up, it is applied when its state is read back instead).
     */
    boolean acknowledged(String eventId, String accountId, boolean held) {
        if (readBack.remove(eventId) != null || !held) {
            return false;
        }
        acknowledged.put(eventId, accountId);
        ahead.merge(accountId, 1, Integer::sum);
        return true;
    }

    /** A state record is read back: whether to apply it (it is not an own event applied already, nor older than one). */
    boolean readBack(String eventId, String accountId) {
        if (acknowledged.remove(eventId) != null) {
            ahead.computeIfPresent(accountId, (id, count) -> count == 1 ? null : count - 1);
            return false;
        }
        if (ahead.containsKey(accountId)) {
            return false;
        }
        if (sent.containsKey(eventId)) {
            readBack.put(eventId, accountId);
        }
        return true;
    }

    /** The event was not published after all. */
    void abandoned(String eventId) {
        readBack.remove(eventId);
    }

    /** The accounts {@code gone} accepts left this instance: their events are not waited for. */
    void forget(Predicate<String> gone) {
        acknowledged.values().removeIf(gone);
        readBack.values().removeIf(gone);
        ahead.keySet().removeIf(gone);
    }
}
