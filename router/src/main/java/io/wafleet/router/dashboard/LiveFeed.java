package io.wafleet.router.dashboard;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ServerEvent;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's live stream (server-sent events): {@code servers} (the fleet table) every few seconds, and each
 * server event and account step as it happens. New subscribers get the latest events first. Events are queued per
 * subscriber ({@link FeedSubscriber}, {@link #QUEUE} at most) and written by the feed's own sender threads: a
 * stalled tab never holds up the thread that reports an event, it is dropped. At most {@link #MAX_SUBSCRIBERS} tabs.
 */
final class LiveFeed {

    /** Events a subscriber may be behind before it is dropped. */
    static final int QUEUE = 1024;

    /** Tabs streaming at once; one more is refused. */
    static final int MAX_SUBSCRIBERS = 64;

    private static final int RECENT_KEPT = 50;

    private final List<FeedSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final Supplier<Object> servers;
    private final Supplier<SseEmitter> emitters;
    private final ExecutorService senders =
            Executors.newCachedThreadPool(io.wafleet.schemas.DaemonThreads.named("dashboard-feed"));

    LiveFeed(Supplier<Object> servers) {
        this(servers, () -> new SseEmitter(0L));
    }

    /** With the emitters a test makes. */
    LiveFeed(Supplier<Object> servers, Supplier<SseEmitter> emitters) {
        this.servers = servers;
        this.emitters = emitters;
    }

    /** A new stream, or {@link TooManySubscribers} when {@link #MAX_SUBSCRIBERS} are streaming. */
    SseEmitter subscribe() {
        if (subscribers.size() >= MAX_SUBSCRIBERS) {
            throw new TooManySubscribers();
        }
        SseEmitter emitter = emitters.get();
        FeedSubscriber subscriber = new FeedSubscriber(emitter, QUEUE, senders, subscribers::remove);
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(error -> subscribers.remove(subscriber));
        List<Map<String, Object>> backlog;
        synchronized (recent) {
            backlog = List.copyOf(recent);
        }
        subscriber.offer(new FeedSubscriber.Event("servers", servers.get()));
        backlog.forEach(event -> subscriber.offer(new FeedSubscriber.Event("event", event)));
        subscribers.add(subscriber);
        return emitter;
    }

    int subscribers() {
        return subscribers.size();
    }

    /** Sends the fleet table to every subscriber. */
    void tick() {
        if (!subscribers.isEmpty()) {
            send("servers", servers.get());
        }
    }

    void close() {
        senders.shutdownNow();
    }

    void serverEvent(ServerEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "server");
        json.put("at", event.getOccurredAt().toString());
        json.put("level", event.getLevel().name());
        json.put("type", event.getType());
        json.put("serverId", event.getServerId());
        json.put("poolId", event.getPoolId());
        json.put("message", event.getMessage());
        event(json);
    }

    void accountEvent(ConnectionEvent event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("kind", "account");
        json.put("at", event.getOccurredAt().toString());
        json.put("level", event.getState().name().equals("FAILED") ? "WARNING" : "INFO");
        json.put("type", event.getState().name());
        json.put("serverId", event.getServerId());
        json.put("accountId", event.getAccountId());
        json.put("message", event.getReason());
        event(json);
    }

    private void event(Map<String, Object> json) {
        synchronized (recent) {
            recent.addLast(json);
            if (recent.size() > RECENT_KEPT) {
                recent.removeFirst();
            }
        }
        send("event", json);
    }

    private void send(String name, Object data) {
        FeedSubscriber.Event event = new FeedSubscriber.Event(name, data);
        for (FeedSubscriber subscriber : subscribers) {
            subscriber.offer(event);
        }
    }

    /** The stream is refused: {@link #MAX_SUBSCRIBERS} tabs are streaming. */
    static final class TooManySubscribers extends RuntimeException {
        TooManySubscribers() {
            super("the dashboard stream serves " + MAX_SUBSCRIBERS + " tabs at most", null, false, false);
        }
    }
}
