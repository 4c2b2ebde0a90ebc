package io.wafleet.router.accounts;

import io.wafleet.schemas.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes groups of records atomically: each group (an account's event and its new state) is in one Kafka transaction,
 * so a reader with {@code read_committed} sees both or neither. One thread owns the transactional producer and
 * commits group after group: every group that came in while the last transaction was committing goes into the next,
 * so under load one commit carries many groups, and alone a group waits for one commit.
 *
 * <p>A transaction that fails (the broker away, the transaction timed out on the broker, the producer fenced) is
 * given up with its producer, and its groups are sent again in a new transaction by a new producer, whose start aborts
 * whatever the old one left open; a group that has not been committed after {@code giveUpAfter} fails. A refusal no
 * retry can mend (authorization, a broker without transactions) ends the process with status 1.
 */
final class Transactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Transactions.class);
    private static final Duration RETRY_INITIAL = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofSeconds(5);

    private record Group(List<ProducerRecord<byte[], byte[]>> records, CompletableFuture<Void> done, long since) {}

    private final Supplier<Producer<byte[], byte[]>> producers;
    private final Duration giveUpAfter;
    private final Runnable fatal;
    private final BlockingQueue<Group> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private Producer<byte[], byte[]> producer;
    private volatile boolean closing;

    /**
     * @param producers makes a new transactional producer (not yet initialised), each time one is needed
     * @param fatal runs when the cluster refuses transactions for good
     */
    Transactions(Supplier<Producer<byte[], byte[]>> producers, Duration giveUpAfter, Runnable fatal) {
        this.producers = producers;
        this.giveUpAfter = giveUpAfter;
        this.fatal = fatal;
        this.thread = DaemonThreads.named("account-transactions").newThread(this::run);
        thread.start();
    }

    /** Sends the records in one transaction; completes (on the transactions' thread) when it is committed. */
    CompletableFuture<Void> send(List<ProducerRecord<byte[], byte[]>> records) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IllegalStateException("closed"));
        } else {
            queue.add(new Group(records, done, System.nanoTime()));
        }
        return done;
    }

    private void run() {
        List<Group> groups = new ArrayList<>();
        while (!closing || !queue.isEmpty()) {
            try {
                Group first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                groups.add(first);
                queue.drainTo(groups);
                commit(groups);
            } catch (InterruptedException e) {
                closing = true;
            } catch (RuntimeException e) {
                log.error("account transactions: unexpected failure", e);
            }
            groups.forEach(group -> group.done().completeExceptionally(new IllegalStateException("not committed")));
            groups.clear();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Commits the groups, again and again until they are committed or too old; those left are failed by the caller. */
    private void commit(List<Group> groups) throws InterruptedException {
        Duration backoff = RETRY_INITIAL;
        boolean failing = false;
        while (!groups.isEmpty()) {
            try {
                Producer<byte[], byte[]> open = producer();
                open.beginTransaction();
                for (Group group : groups) {
                    group.records().forEach(open::send);
                }
                open.commitTransaction();
                groups.forEach(group -> group.done().complete(null));
                groups.clear();
                if (failing) {
                    log.info("account transactions committed again");
                }
                return;
            } catch (AuthorizationException | AuthenticationException | UnsupportedVersionException e) {
                log.error("the cluster refuses the router's transactions: {}; the process exits", e.toString());
                fatal.run();
                throw e;
            } catch (RuntimeException e) {
                if (!failing) {
                    log.warn("account transaction failed ({}); retrying with a new producer", e.toString());
                    failing = true;
                }
                discardProducer();
            }
            expire(groups);
            if (closing || groups.isEmpty()) {
                return;
            }
            Thread.sleep(backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
        }
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            Producer<byte[], byte[]> created = producers.get();
            try {
                created.initTransactions(); // aborts what an earlier producer of this id left open
            } catch (RuntimeException e) {
                created.close(Duration.ZERO);
                throw e;
            }
            producer = created;
        }
        return producer;
    }

    private void discardProducer() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private void expire(List<Group> groups) {
        long now = System.nanoTime();
        for (Iterator<Group> it = groups.iterator(); it.hasNext(); ) {
            Group group = it.next();
            if (now - group.since() > giveUpAfter.toNanos()) {
                group.done()
                        .completeExceptionally(
                                new TimeoutException("not committed within " + giveUpAfter.toSeconds() + " s"));
                it.remove();
            }
        }
    }

    /** Commits what was sent before, then stops. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
