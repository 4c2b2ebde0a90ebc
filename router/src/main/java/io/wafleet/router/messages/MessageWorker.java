package io.wafleet.router.messages;

import io.wafleet.avro.MessageFailure;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.router.accounts.RequestPartitions;
import io.wafleet.schemas.Topic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's sender: reads the wa.outbound-messages partitions whose request partitions this router handles (the
 * same numbers: an account's owner sends its messages), keeps each account's messages in order, takes them a step at
 * a time ({@link MessageSteps}) and commits each partition up to its oldest message not done. A partition taken over
 * first has its accounts' progress read from wa.message-progress: messages done before are skipped, and one whose
 * send was under way when its previous owner stopped is FAILED (OUTCOME_UNKNOWN), never sent twice. A partition with
 * {@code maxBuffered} messages waiting pauses until half of them are done. One thread; everything it keeps is its
 * own.
 */
final class MessageWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(MessageWorker.class);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final Topic<String, OutboundMessage> topic;
    private final String requestsTopic;
    private final ProgressReader progressReader;
    private final Supplier<Set<Integer>> owned;
    private final MessageSettings settings;
    private final MessageRecords records;
    private final MessageStore store;
    private final Clock clock;
    private final BlockingQueue<Runnable> onThread = new LinkedBlockingQueue<>();
    private final Map<Integer, PartitionQueues> partitions = new HashMap<>();
    private final Map<String, Progress> progress = new HashMap<>();
    private final MessageSteps steps;
    private final MessageMeters meters;
    private volatile boolean running = true;
    private Set<Integer> assigned = new TreeSet<>();
    private int partitionCount;
    private long committedAt;

    MessageWorker(
            Consumer<byte[], byte[]> consumer,
            Topic<String, OutboundMessage> topic,
            String requestsTopic,
            ProgressReader progressReader,
            Supplier<Set<Integer>> owned,
            MessageSettings settings,
            MessageRecords records,
            MessageStore store,
            MessageSteps.Factory steps,
            MessageMeters meters,
            Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.requestsTopic = requestsTopic;
        this.progressReader = progressReader;
        this.owned = owned;
        this.settings = settings;
        this.records = records;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
        this.steps = steps.create(onThread::add, this::finished);
    }

    /** Runs {@code task} on the worker's thread, between polls. */
    void onThread(Runnable task) {
        onThread.add(task);
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    @Override
    public void run() {
        partitionCount = consumer.partitionsFor(topic.name()).size();
        int requestPartitions = consumer.partitionsFor(requestsTopic).size();
        if (partitionCount != requestPartitions) {
            // The owner of request partition p sends the messages of partition p: they must be the same accounts.
            throw new IllegalStateException(topic.name() + " has " + partitionCount + " partitions and " + requestsTopic
                    + " " + requestPartitions + ": they must have as many");
        }
        try {
            while (running) {
                follow(owned.get());
                if (assigned.isEmpty()) {
                    Runnable task = onThread.poll(POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (task != null) {
                        task.run();
                    }
                } else {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        accept(record);
                    }
                }
                for (Runnable task = onThread.poll(); task != null; task = onThread.poll()) {
                    task.run();
                }
                stepAll();
                throttle();
                commit(false);
            }
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            // stop() was called
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finishSends();
            commit(true);
            consumer.close();
        }
    }

    /** On stop: the sends under way are answered and recorded (up to {@link #DRAIN}), so none is left in doubt. */
    private void finishSends() {
        long until = System.nanoTime() + DRAIN.toNanos();
        try {
            while (steps.sending() > 0 && System.nanoTime() < until) {
                Runnable task = onThread.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (task != null) {
                    task.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Follows the request partitions this router handles: reads the progress of those taken, drops those gone. */
    private void follow(Set<Integer> wanted) {
        if (wanted.equals(assigned)) {
            return;
        }
        commit(true);
        Set<Integer> gone = new TreeSet<>(assigned);
        gone.removeAll(wanted);
        Set<Integer> taken = new TreeSet<>(wanted);
        taken.removeAll(assigned);
        for (int partition : gone) {
            partitions.remove(partition);
        }
        progress.keySet().removeIf(accountId -> {
            boolean leaving = gone.contains(RequestPartitions.of(accountId, partitionCount));
            if (leaving) {
                steps.forget(accountId);
            }
            return leaving;
        });
        records.forgetSent(accountId -> !wanted.contains(RequestPartitions.of(accountId, partitionCount)));
        if (!taken.isEmpty()) {
            progress.putAll(progressReader.read(taken));
            records.remember(progress.values(), taken, partitionCount);
        }
        List<TopicPartition> all = new ArrayList<>();
        wanted.forEach(partition -> all.add(new TopicPartition(topic.name(), partition)));
        consumer.assign(all);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(all));
        for (int partition : taken) {
            TopicPartition tp = new TopicPartition(topic.name(), partition);
            OffsetAndMetadata at = committed.get(tp);
            if (at == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
            partitions.put(partition, new PartitionQueues());
        }
        assigned = new TreeSet<>(wanted);
        log.info("sending the messages of partitions {} (taken {}, given up {})", assigned, taken, gone);
    }

    private void accept(ConsumerRecord<byte[], byte[]> record) {
        PartitionQueues queues = partitions.get(record.partition());
        if (queues == null) {
            return;
        }
        queues.read(record.offset());
        MessageProblems.Decoded decoded = MessageProblems.decode(record, topic, settings.maxTextLength());
        if (decoded.problem() != null) {
            meters.deadLetters().increment();
            log.warn(
                    "message {}-{}@{} to dead letters: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    decoded.problem());
            Pending held = new Pending(null, record.partition(), record.offset(), Instant.EPOCH, Instant.MAX);
            queues.add(held);
            store.deadLetter(record, decoded.problem().toString())
                    .whenComplete((ok, error) -> onThread.add(() -> queues.done(held)));
            return;
        }
        OutboundMessage message = decoded.message();
        Progress account = progress.computeIfAbsent(message.getAccountId(), Progress::new);
        if (account.sending != null && account.sending == record.offset()) {
            Pending interrupted = pending(record, message);
            queues.add(interrupted);
            steps.fail(
                    interrupted,
                    account,
                    MessageFailure.OUTCOME_UNKNOWN,
                    "its router stopped while sending it: it may have been sent, so it is not sent again");
            return;
        }
        if (account.handled(record.offset(), message.getMessageId())) {
            meters.duplicates().increment();
            return;
        }
        Pending pending = pending(record, message);
        queues.add(pending);
        records.queued(pending);
    }

    private Pending pending(ConsumerRecord<byte[], byte[]> record, OutboundMessage message) {
        Instant postedAt = Instant.ofEpochMilli(record.timestamp());
        Instant expiresAt =
                message.getExpiresAt() != null ? message.getExpiresAt() : postedAt.plus(settings.defaultTtl());
        return new Pending(message, record.partition(), record.offset(), postedAt, expiresAt);
    }

    private void finished(Pending pending) {
        PartitionQueues queues = partitions.get(pending.partition);
        if (queues != null) {
            queues.done(pending);
        }
    }

    private void stepAll() {
        for (PartitionQueues queues : partitions.values()) {
            for (Deque<Pending> queue : new ArrayList<>(queues.queues())) {
                Pending head = queue.peekFirst();
                if (head != null && head.message != null) {
                    steps.step(head, progress.computeIfAbsent(head.accountId(), Progress::new));
                }
            }
        }
    }

    /** Pauses a partition holding {@code maxBuffered} messages not done; resumes it below half. */
    private void throttle() {
        partitions.forEach((partition, queues) -> {
            TopicPartition tp = new TopicPartition(topic.name(), partition);
            if (!queues.paused && queues.buffered() >= settings.maxBuffered()) {
                queues.paused = true;
                consumer.pause(List.of(tp));
            } else if (queues.paused && queues.buffered() < settings.maxBuffered() / 2) {
                queues.paused = false;
                consumer.resume(List.of(tp));
            }
        });
        meters.buffered(
                partitions.values().stream().mapToInt(PartitionQueues::buffered).sum());
    }

    private void commit(boolean now) {
        if (!now && System.nanoTime() - committedAt < COMMIT_EVERY.toNanos()) {
            return;
        }
        committedAt = System.nanoTime();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        partitions.forEach((partition, queues) -> {
            long committable = queues.committable();
            if (committable >= 0) {
                offsets.put(new TopicPartition(topic.name(), partition), new OffsetAndMetadata(committable));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        try {
            if (now) {
                consumer.commitSync(offsets, Duration.ofSeconds(10));
            } else {
                consumer.commitAsync(offsets, (done, error) -> {
                    if (error != null) {
                        log.warn("message offsets not committed (next time): {}", error.toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("message offsets not committed: {}", e.toString());
        }
    }
}
