package io.wafleet.router.dashboard;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One dashboard tab's stream: events wait in a bounded queue and are written by a sender thread, never by the thread
 * that produced them (the registry's, an account's lifecycle). A tab that reads too slowly to keep its queue from
 * filling is dropped; its browser reconnects.
 */
final class FeedSubscriber {

    /** An event of the stream: its name and its JSON data. */
    record Event(String name, Object data) {}

    private final SseEmitter emitter;
    private final BlockingQueue<Event> queue;
    private final Executor senders;
    private final Consumer<FeedSubscriber> onGone;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicBoolean gone = new AtomicBoolean();

    FeedSubscriber(SseEmitter emitter, int capacity, Executor senders, Consumer<FeedSubscriber> onGone) {
        this.emitter = emitter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.senders = senders;
        this.onGone = onGone;
    }

    SseEmitter emitter() {
        return emitter;
    }

    /** Queues the event without waiting; a full queue drops this subscriber. */
    void offer(Event event) {
        if (gone.get()) {
            return;
        }
        if (!queue.offer(event)) {
            drop(new IOException("the dashboard stream's reader fell " + queue.size() + " events behind"));
            return;
        }
        if (sending.compareAndSet(false, true)) {
            senders.execute(this::drain);
        }
    }

    private void drain() {
        try {
            for (Event event = queue.poll(); event != null && !gone.get(); event = queue.poll()) {
                emitter.send(SseEmitter.event().name(event.name()).data(event.data(), MediaType.APPLICATION_JSON));
            }
        } catch (IOException | IllegalStateException e) {
            drop(e);
        } finally {
            sending.set(false);
        }
        if (!queue.isEmpty() && !gone.get() && sending.compareAndSet(false, true)) {
            senders.execute(this::drain);
        }
    }

    void drop(Exception why) {
        if (gone.compareAndSet(false, true)) {
            queue.clear();
            onGone.accept(this);
            try {
                emitter.completeWithError(why);
            } catch (IllegalStateException alreadyDone) {
                // The response is over already.
            }
        }
    }
}
