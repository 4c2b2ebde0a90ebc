package io.wafleet.router.messages;

import io.wafleet.avro.HandledMessage;
import io.wafleet.avro.MessageProgress;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;

/**
 * One account's progress through its messages, as its owner keeps it and writes it to wa.message-progress: the last
 * offset done, the one being sent, and the latest message ids done (with the servers' ids once sent). Used on the
 * message worker's thread only.
 */
final class Progress {

    /** Message ids remembered per account, to know a message posted again. */
    static final int RECENT = 32;

    final String accountId;
    long lastOffset = -1;
    Long sending;
    final Deque<HandledMessage> recent = new ArrayDeque<>();

    Progress(String accountId) {
        this.accountId = accountId;
    }

    static Progress of(MessageProgress record) {
        Progress progress = new Progress(record.getAccountId());
        progress.lastOffset = record.getLastOffset();
        progress.sending = record.getSending();
        progress.recent.addAll(record.getRecent());
        return progress;
    }

    /** Whether the message at {@code offset} with this id was handled already (done, or posted again). */
    boolean handled(long offset, String messageId) {
        return offset <= lastOffset
                || recent.stream().anyMatch(done -> done.getMessageId().equals(messageId));
    }

    /** The message at {@code offset} is done; {@code serverMessageId} is its id on the server when it was sent. */
    void done(long offset, String messageId, String serverMessageId, Instant postedAt) {
        lastOffset = Math.max(lastOffset, offset);
        if (sending != null && sending == offset) {
            sending = null;
        }
        recent.addLast(new HandledMessage(messageId, serverMessageId, postedAt.toEpochMilli()));
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    MessageProgress record(Instant now) {
        return MessageProgress.newBuilder()
                .setAccountId(accountId)
                .setLastOffset(lastOffset)
                .setSending(sending)
                .setRecent(new ArrayList<>(recent))
                .setUpdatedAt(now)
                .build();
    }
}
