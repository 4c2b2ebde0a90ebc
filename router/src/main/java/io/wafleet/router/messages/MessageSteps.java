package io.wafleet.router.messages;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.MessageFailure;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerHealth;
import io.wafleet.client.SendResult;
import io.wafleet.client.ServerClient;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.lifecycle.ServerCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each account's next message a step: fails it when it expired or its account has no session, lets it wait
 * while its account connects, its server is down or a limit is reached, and otherwise sends it through the account's
 * server (its progress written first, so a next owner never sends it again), then records the server's answer. The
 * account's server is read at each step: a migrated account's waiting messages go to its new server. Runs on the
 * message worker's thread; a send's answer comes back there through {@code onWorker}.
 */
final class MessageSteps {

    private static final Logger log = LoggerFactory.getLogger(MessageSteps.class);

    /** Makes the steps of one worker: {@code onWorker} runs a task on its thread, {@code finished} drops a message. */
    interface Factory {
        MessageSteps create(Consumer<Runnable> onWorker, Consumer<Pending> finished);
    }

    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final AccountRegistry registry;
    private final FleetState fleet;
    private final ServerCalls calls;
    private final IntSupplier routers;
    private final MessageSettings settings;
    private final MessageRecords records;
    private final Pacing pacing = new Pacing();
    private final Clock clock;
    private final Consumer<Runnable> onWorker;
    private final Consumer<Pending> finished;
    private int sending;

    MessageSteps(
            AccountRegistry registry,
            FleetState fleet,
            ServerCalls calls,
            IntSupplier routers,
            MessageSettings settings,
            MessageRecords records,
            Clock clock,
            Consumer<Runnable> onWorker,
            Consumer<Pending> finished) {
        this.registry = registry;
        this.fleet = fleet;
        this.calls = calls;
        this.routers = routers;
        this.settings = settings;
        this.records = records;
        this.clock = clock;
        this.onWorker = onWorker;
        this.finished = finished;
    }

    /** One step of an account's first message, when it is due. */
    void step(Pending pending, Progress progress) {
        Instant now = clock.instant();
        if (pending.sending || now.isBefore(pending.nextTry)) {
            return;
        }
        if (!now.isBefore(pending.expiresAt)) {
            fail(
                    pending,
                    progress,
                    pending.waitingFor,
                    "expired at " + pending.expiresAt
                            + (pending.waitReason == null ? "" : " while " + pending.waitReason));
            return;
        }
        Account account = registry.account(pending.accountId());
        if (account == null || !account.active() || account.serverId() == null) {
            fail(
                    pending,
                    progress,
                    MessageFailure.ACCOUNT_NOT_CONNECTED,
                    account == null
                            ? "the account is not known to wafleet (connect it first)"
                            : "the account is " + account.state()
                                    + (account.reason() == null ? "" : ": " + account.reason()));
            return;
        }
        if (account.state() != AccountState.CONNECTED) {
            pending.waitFor(
                    MessageFailure.ACCOUNT_NOT_CONNECTED,
                    "the account was " + account.state(),
                    now.plus(settings.retryEvery()));
            return;
        }
        String serverId = account.serverId();
        ServerConfig config = fleet.config(serverId);
        ServerHealth health = fleet.health(serverId);
        if (config == null || !config.getIsEnabled() || down(health)) {
            pending.waitFor(
                    MessageFailure.SERVER_DOWN,
                    "its server " + serverId + " was "
                            + (config == null ? "removed" : !config.getIsEnabled() ? "disabled" : health.getStatus()),
                    now.plus(settings.retryEvery()));
            return;
        }
        int serverShare = Math.max(1, config.getMessagingRateLimit() / Math.max(1, routers.getAsInt()));
        Duration wait = pacing.take(pending.accountId(), settings.limitOf(pending.accountId()), serverId, serverShare);
        if (!wait.isZero()) {
            pending.waitFor(MessageFailure.EXPIRED, "waiting its turn under the send limits", now.plus(wait));
            return;
        }
        send(pending, progress, serverId);
    }

    private static boolean down(ServerHealth health) {
        return health != null
                && (health.getStatus() == HealthStatus.UNHEALTHY || health.getStatus() == HealthStatus.DISABLED);
    }

    private void send(Pending pending, Progress progress, String serverId) {
        ServerClient client;
        try {
            client = calls.client(serverId);
        } catch (RuntimeException e) {
            pending.waitFor(
                    MessageFailure.SERVER_DOWN,
                    "its server cannot be called: " + e.getMessage(),
                    clock.instant().plus(settings.retryEvery()));
            return;
        }
        pending.sending = true;
        sending++;
        pending.attempts++;
        progress.sending = pending.offset;
        String recipient = MessageProblems.recipient(pending.message.getRecipient());
        records.progress(progress)
                .thenCompose(written -> client.send(pending.accountId(), recipient, pending.message.getText()))
                .whenComplete(
                        (result, error) -> onWorker.accept(() -> answered(pending, progress, serverId, result, error)));
    }

    private void answered(Pending pending, Progress progress, String serverId, SendResult result, Throwable error) {
        pending.sending = false;
        sending--;
        Instant now = clock.instant();
        if (error != null) {
            // The progress could not be written (the broker is away): nothing was sent; try again later.
            log.warn(
                    "message {} of {} waits: its progress could not be written: {}",
                    pending.messageId(),
                    pending.accountId(),
                    error.toString());
            progress.sending = null;
            pending.waitFor(pending.waitingFor, "its progress could not be written", now.plus(settings.retryEvery()));
            return;
        }
        if (result instanceof SendResult.Sent sent) {
            progress.done(pending.offset, pending.messageId(), sent.serverMessageId(), pending.postedAt);
            records.progress(progress);
            records.sent(pending, serverId, sent.serverMessageId());
            finished.accept(pending);
            return;
        }
        SendResult.Refused refused = (SendResult.Refused) result;
        switch (refused.refusal()) {
            case REJECTED -> fail(pending, progress, MessageFailure.REJECTED, refused.reason());
            case OUTCOME_UNKNOWN ->
                fail(
                        pending,
                        progress,
                        MessageFailure.OUTCOME_UNKNOWN,
                        refused.reason() + ": it may have been sent, so it is not sent again");
            default -> {
                progress.sending = null;
                records.progress(progress);
                MessageFailure failure = switch (refused.refusal()) {
                    case NOT_CONNECTED -> MessageFailure.ACCOUNT_NOT_CONNECTED;
                    case RATE_LIMITED -> MessageFailure.RATE_LIMITED;
                    default -> MessageFailure.SERVER_DOWN;
                };
                Duration backoff = settings.retryEvery().multipliedBy(Math.min(pending.attempts, 15));
                pending.waitFor(failure, refused.reason(), now.plus(min(backoff, LONGEST_WAIT)));
            }
        }
    }

    /** The message is done without being sent. */
    void fail(Pending pending, Progress progress, MessageFailure failure, String reason) {
        progress.done(pending.offset, pending.messageId(), null, pending.postedAt);
        records.progress(progress);
        records.failed(pending, registry.serverOf(pending.accountId()), failure, reason);
        finished.accept(pending);
    }

    /** Send calls under way. */
    int sending() {
        return sending;
    }

    /** Forgets the limits of accounts no longer owned here. */
    void forget(String accountId) {
        pacing.forget(accountId);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
