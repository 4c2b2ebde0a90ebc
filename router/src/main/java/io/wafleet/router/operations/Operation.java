package io.wafleet.router.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One drain or bulk operation: how many items (accounts or servers) it covers, how many are done, and a result per
 * server. Its progress can be read while it runs.
 */
public final class Operation {

    /** The result of one server: counts for account operations, the call's outcome for server calls. */
    static final class ServerResult {
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final List<Map<String, Object>> failures = new ArrayList<>();
        volatile Map<String, Object> call;

        synchronized void fail(String accountId, String reason) {
            failed.incrementAndGet();
            if (failures.size() < MAX_FAILURES_SHOWN) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("accountId", accountId);
                failure.put("reason", reason);
                failures.add(failure);
            }
        }

        synchronized Map<String, Object> view() {
            Map<String, Object> view = new LinkedHashMap<>();
            if (call != null) {
                view.putAll(call);
            } else {
                view.put("succeeded", succeeded.get());
                view.put("failed", failed.get());
                if (!failures.isEmpty()) {
                    view.put("failures", List.copyOf(failures));
                }
            }
            return view;
        }
    }

    static final int MAX_FAILURES_SHOWN = 20;

    private final String id;
    private final String kind;
    private final String requestedBy;
    private final Instant startedAt = Instant.now();
    private final int total;
    private final Map<String, Object> scope;
    private final Supplier<Map<String, Object>> live;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final Map<String, ServerResult> servers = new ConcurrentSkipListMap<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile Instant finishedAt;

    Operation(
            String id,
            String kind,
            String requestedBy,
            int total,
            Map<String, Object> scope,
            Supplier<Map<String, Object>> live) {
        this.id = id;
        this.kind = kind;
        this.requestedBy = requestedBy;
        this.total = total;
        this.scope = scope;
        this.live = live;
    }

    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    /** The actor who started it: its token's name. */
    public String requestedBy() {
        return requestedBy;
    }

    /** Completes when every item is done. */
    public CompletableFuture<Void> finished() {
        return finished;
    }

    ServerResult server(String serverId) {
        return servers.computeIfAbsent(serverId == null ? "(none)" : serverId, key -> new ServerResult());
    }

    void succeeded(String serverId) {
        succeeded.incrementAndGet();
        server(serverId).succeeded.incrementAndGet();
    }

    void failed(String serverId, String accountId, String reason) {
        failed.incrementAndGet();
        server(serverId).fail(accountId, reason);
    }

    void called(String serverId, boolean ok, Map<String, Object> outcome) {
        (ok ? succeeded : failed).incrementAndGet();
        server(serverId).call = outcome;
    }

    void finish() {
        finishedAt = Instant.now();
        finished.complete(null);
    }

    /** Its state now, for the API. */
    public Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("operationId", id);
        view.put("operation", kind);
        view.put("requestedBy", requestedBy);
        view.putAll(scope);
        view.put("status", finishedAt == null ? "running" : "finished");
        view.put("startedAt", startedAt.toString());
        view.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
        view.put(
                "durationMs",
                Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt)
                        .toMillis());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total", total);
        summary.put("succeeded", succeeded.get());
        summary.put("failed", failed.get());
        summary.put("pending", total - succeeded.get() - failed.get());
        view.put("summary", summary);
        view.putAll(live.get());
        Map<String, Object> results = new LinkedHashMap<>();
        servers.forEach((server, result) -> results.put(server, result.view()));
        view.put("servers", results);
        return view;
    }
}
