package io.wafleet.router.dashboard;

import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ServerEvent;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's live stream (server-sent events): {@code servers} (the fleet table) every few seconds, and each
 * server event and account step as it happens. New subscribers get the latest events first.
 */
final class LiveFeed {

    private static final int RECENT_KEPT = 50;

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();
    private final Deque<Map<String, Object>> recent = new ArrayDeque<>();
    private final Supplier<Object> servers;

    LiveFeed(Supplier<Object> servers) {
        this.servers = servers;
    }

    SseEmitter subscribe() {
        SseEmitter emitter = new SseEmitter(0L);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        List<Map<String, Object>> backlog;
        synchronized (recent) {
            backlog = List.copyOf(recent);
        }
        try {
            emitter.send(SseEmitter.event().name("servers").data(servers.get(), MediaType.APPLICATION_JSON));
            for (Map<String, Object> event : backlog) {
                emitter.send(SseEmitter.event().name("event").data(event, MediaType.APPLICATION_JSON));
            }
            emitters.add(emitter);
        } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
        }
        return emitter;
    }

    /** Sends the fleet table to every subscriber. */
    void tick() {
        if (!emitters.isEmpty()) {
            send("servers", servers.get());
        }
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
        for (SseEmitter emitter : emitters) {
            try {
                synchronized (emitter) {
                    emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
                }
            } catch (IOException | IllegalStateException e) {
                emitters.remove(emitter);
            }
        }
    }
}
