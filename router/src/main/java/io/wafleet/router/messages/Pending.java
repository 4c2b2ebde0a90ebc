package io.wafleet.router.messages;

import io.wafleet.avro.MessageFailure;
import io.wafleet.avro.OutboundMessage;
import java.time.Instant;

/**
 * A message read and not yet done: where it is on its partition, when it was posted and expires, the send calls made,
 * and while it waits, what for (the failure it gets if it expires waiting) and when it is tried next. Used on the
 * message worker's thread only.
 */
final class Pending {

    final OutboundMessage message;
    final int partition;
    final long offset;
    final Instant postedAt;
    final Instant expiresAt;
    int attempts;
    boolean sending;
    Instant nextTry;
    MessageFailure waitingFor = MessageFailure.EXPIRED;
    String waitReason;

    Pending(OutboundMessage message, int partition, long offset, Instant postedAt, Instant expiresAt) {
        this.message = message;
        this.partition = partition;
        this.offset = offset;
        this.postedAt = postedAt;
        this.expiresAt = expiresAt;
        this.nextTry = Instant.MIN;
    }

    /** The account; null for a record held while it goes to the dead letters. */
    String accountId() {
        return message == null ? null : message.getAccountId();
    }

    String messageId() {
        return message.getMessageId();
    }

    /** Waits until {@code until} (its expiry at the latest), for {@code why}; expiring then fails it with {@code failure}. */
    void waitFor(MessageFailure failure, String why, Instant until) {
        this.waitingFor = failure;
        this.waitReason = why;
        this.nextTry = until.isAfter(expiresAt) ? expiresAt : until;
    }
}
