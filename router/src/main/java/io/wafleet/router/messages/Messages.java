package io.wafleet.router.messages;

import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.avro.ServerNotice;
import io.wafleet.service.ProcessExit;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Outbound messages in this router: posts them (the REST API) as any producer would, runs the {@link MessageWorker}
 * that sends those of the accounts it owns, and takes the servers' acknowledgements in. A worker that dies of
 * something it cannot handle ends the process with status 1, for its supervisor to restart it.
 */
public final class Messages implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Messages.class);

    private final MessageWorker worker;
    private final MessageRecords records;
    private final MessageStore store;
    private final MessageSettings settings;
    private volatile Thread thread;

    Messages(MessageWorker worker, MessageRecords records, MessageStore store, MessageSettings settings) {
        this.worker = worker;
        this.records = records;
        this.store = store;
        this.settings = settings;
    }

    /** Posts a message to wa.outbound-messages; completes once the broker has it. */
    public CompletableFuture<Void> post(OutboundMessage message) {
        return store.post(message);
    }

    /** What is wrong with a message, or null when it can be posted. */
    public MessageProblems.Problem problem(OutboundMessage message) {
        return MessageProblems.of(message, settings.maxTextLength());
    }

    /** A notice from wa.server-notices: an acknowledgement of a message this router sent reports its step. */
    public void notice(ServerNotice notice) {
        if (notice.getKind() == NoticeKind.MESSAGE_ACK && thread != null) {
            worker.onThread(() -> records.ack(notice));
        }
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        Thread started = new Thread(
                () -> {
                    try {
                        worker.run();
                    } catch (RuntimeException | Error e) {
                        log.error("the message worker stopped: exiting for a restart", e);
                        ProcessExit.now(1);
                    }
                },
                "wafleet-messages");
        thread = started;
        started.start();
    }

    @Override
    public void stop() {
        Thread running = thread;
        if (running != null) {
            worker.stop();
            try {
                running.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        store.close();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /**
     * Started before the request consumer and stopped after it: the worker follows the partitions the consumer hands
     * out (none at first, none once it stopped), and finishes its sends under way when it stops.
     */
    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 10;
    }
}
