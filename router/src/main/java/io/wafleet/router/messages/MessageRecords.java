package io.wafleet.router.messages;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageFailure;
import io.wafleet.avro.MessageStatus;
import io.wafleet.avro.ServerNotice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The events of messages (QUEUED, SENT, FAILED, DELIVERED, READ) and the accounts' progress, written through the
 * {@link MessageStore}, with their meters: {@code wafleet.router.messages} by status (and failure), and the time
 * from posting to SENT ({@code wafleet.router.messages.to.sent}).
 */
final class MessageRecords {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MessageRecords.class);

    private final MessageStore store;
    private final SentMessages sent;
    private final java.util.function.Function<String, String> serverOf;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Timer toSent;

    MessageRecords(
            MessageStore store,
            SentMessages sent,
            java.util.function.Function<String, String> serverOf,
            Clock clock,
            MeterRegistry meters) {
        this.store = store;
        this.serverOf = serverOf;
        this.sent = sent;
        this.clock = clock;
        this.meters = meters;
        this.toSent = Timer.builder("wafleet.router.messages.to.sent")
                .description("from a message's posting to its SENT event")
                .publishPercentileHistogram()
                .register(meters);
        // Every series at zero from the start, so rates and alerts over them have data before the first failure.
        for (MessageStatus status : MessageStatus.values()) {
            if (status != MessageStatus.FAILED) {
                counter(status, null);
            }
        }
        for (MessageFailure failure : MessageFailure.values()) {
            counter(MessageStatus.FAILED, failure);
        }
    }

    CompletableFuture<Void> progress(Progress progress) {
        return store.progress(progress.record(clock.instant()));
    }

    /** Taken in: the account's server now (where it goes unless the account moves first). */
    void queued(Pending pending) {
        write(event(pending, serverOf.apply(pending.accountId()), MessageStatus.QUEUED)
                .build());
    }

    void sent(Pending pending, String serverId, String serverMessageId) {
        Instant now = clock.instant();
        toSent.record(Duration.between(pending.postedAt, now).abs());
        sent.sent(
                serverMessageId,
                new SentMessages.Sent(
                        pending.accountId(),
                        pending.messageId(),
                        serverId,
                        pending.message.getRecipient(),
                        pending.postedAt,
                        pending.message.getMetadata()));
        write(event(pending, serverId, MessageStatus.SENT)
                .setServerMessageId(serverMessageId)
                .build());
    }

    void failed(Pending pending, String serverId, MessageFailure failure, String reason) {
        write(event(pending, serverId, MessageStatus.FAILED)
                .setFailure(failure)
                .setReason(reason)
                .build());
    }

    /**
     * A MESSAGE_ACK notice of a message sent from here: DELIVERED, READ (or FAILED for an ERROR), once each. On the
     * message worker's thread, as every step of a message.
     */
    void ack(ServerNotice notice) {
        String serverMessageId = notice.getDetails().get("messageId");
        SentMessages.Sent message = serverMessageId == null ? null : sent.find(serverMessageId);
        if (message == null || !message.accountId.equals(notice.getAccountId())) {
            return;
        }
        MessageStatus status = switch (notice.getDetails().getOrDefault("ack", "")) {
            case "DELIVERED" -> MessageStatus.DELIVERED;
            case "READ" -> MessageStatus.READ;
            case "ERROR" -> MessageStatus.FAILED;
            default -> null;
        };
        if (status == null
                || message.furthest == MessageStatus.FAILED
                || (status != MessageStatus.FAILED && status.ordinal() <= message.furthest.ordinal())) {
            return;
        }
        message.furthest = status;
        MessageEvent.Builder event = MessageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setMessageId(message.messageId)
                .setAccountId(message.accountId)
                .setServerId(message.serverId)
                .setStatus(status)
                .setServerMessageId(serverMessageId)
                .setRecipient(message.recipient)
                .setPostedAt(message.postedAt)
                .setOccurredAt(notice.getServerTime() != null ? notice.getServerTime() : notice.getReceivedAt())
                .setAttempts(1)
                .setMetadata(message.metadata);
        if (status == MessageStatus.FAILED) {
            event.setFailure(MessageFailure.REJECTED)
                    .setReason("WhatsApp did not deliver it (the server acknowledged it " + notice.getServerStatus()
                            + ")");
        }
        write(event.build());
    }

    /** Forgets the sent messages of accounts no longer owned here. */
    void forgetSent(java.util.function.Predicate<String> gone) {
        sent.forget(gone);
    }

    /** Remembers the sent messages of the accounts whose progress was read, so their acknowledgements find them. */
    void remember(java.util.Collection<Progress> accounts, java.util.Set<Integer> partitions, int partitionCount) {
        for (Progress account : accounts) {
            if (!partitions.contains(
                    io.wafleet.router.accounts.RequestPartitions.of(account.accountId, partitionCount))) {
                continue;
            }
            for (io.wafleet.avro.HandledMessage done : account.recent) {
                if (done.getServerMessageId() != null) {
                    Long posted = done.getPostedAtMillis();
                    sent.sent(
                            done.getServerMessageId(),
                            new SentMessages.Sent(
                                    account.accountId,
                                    done.getMessageId(),
                                    serverOf.apply(account.accountId),
                                    null,
                                    posted == null ? Instant.EPOCH : Instant.ofEpochMilli(posted),
                                    Map.of()));
                }
            }
        }
    }

    private MessageEvent.Builder event(Pending pending, String serverId, MessageStatus status) {
        return MessageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setMessageId(pending.messageId())
                .setAccountId(pending.accountId())
                .setServerId(serverId)
                .setStatus(status)
                .setRecipient(pending.message.getRecipient())
                .setPostedAt(pending.postedAt)
                .setOccurredAt(clock.instant())
                .setAttempts(pending.attempts)
                .setMetadata(pending.message.getMetadata());
    }

    private Counter counter(MessageStatus status, MessageFailure failure) {
        String result = status.name().toLowerCase(Locale.ROOT);
        String reason = failure == null ? "none" : failure.name().toLowerCase(Locale.ROOT);
        return counters.computeIfAbsent(
                result + "/" + reason,
                key -> meters.counter("wafleet.router.messages", "status", result, "failure", reason));
    }

    private void write(MessageEvent event) {
        counter(event.getStatus(), event.getFailure()).increment();
        store.event(event).whenComplete((ok, error) -> {
            if (error != null) {
                log.error(
                        "the {} event of message {} of {} was not written: {}",
                        event.getStatus(),
                        event.getMessageId(),
                        event.getAccountId(),
                        error.toString());
            }
        });
    }
}
