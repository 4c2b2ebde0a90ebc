package io.wafleet.probe;

import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.ServerStats;
import io.wafleet.client.Backoff;
import io.wafleet.client.CallResult;
import io.wafleet.client.StatsReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One health check of one server: the health call, retried up to the server's maxRetries with exponential backoff and
 * jitter, then its stats when it reports them. Never fails: a failure is a failed HealthCheck with its kind.
 */
final class HealthChecker {

    /** What one check produced. */
    record Outcome(HealthCheck check, Optional<ServerStats> stats) {}

    private final String probeId;
    private final Clock clock;
    private final Backoff backoff;

    HealthChecker(String probeId, Clock clock, Duration backoff, Duration backoffMax) {
        this.probeId = probeId;
        this.clock = clock;
        this.backoff = new Backoff(backoff, backoffMax);
    }

    /** Checks the server; after a successful check also fetches its stats when {@code withStats}. */
    CompletableFuture<Outcome> check(ProbeTarget target, boolean withStats) {
        return attempt(target, 1)
                .thenCompose(check -> check.getSuccess() && withStats
                        ? stats(target).thenApply(stats -> new Outcome(check, stats))
                        : CompletableFuture.completedFuture(new Outcome(check, Optional.empty())));
    }

    private CompletableFuture<HealthCheck> attempt(ProbeTarget target, int attempt) {
        Instant startedAt = clock.instant();
        return target.client().health().thenCompose(result -> {
            // A refused address is the config's decision and an unsupported server stays one: retrying changes nothing.
            if (result.isOk() || attempt > target.maxRetries() || refused(result)) {
                return CompletableFuture.completedFuture(record(target, result, startedAt, attempt));
            }
            return CompletableFuture.supplyAsync(() -> attempt, backoff.before(attempt))
                    .thenCompose(done -> attempt(target, attempt + 1));
        });
    }

    private static boolean refused(CallResult<?> result) {
        return result instanceof CallResult.Failed<?> failed
                && (failed.kind() == ErrorKind.ADDRESS_REFUSED || failed.kind() == ErrorKind.UNSUPPORTED_SERVER);
    }

    /** Built with the all-fields constructor: Avro's builders copy defaults on every build, which shows at 5,000/s. */
    private HealthCheck record(ProbeTarget target, CallResult<HealthReport> result, Instant at, int attempts) {
        long latencyMicros = result.latency().toNanos() / 1000;
        String eventId = UUID.randomUUID().toString();
        CallResult.Ok<HealthReport> ok = result instanceof CallResult.Ok<HealthReport> success ? success : null;
        CallResult.Failed<HealthReport> failed = ok == null ? (CallResult.Failed<HealthReport>) result : null;
        return new HealthCheck(
                eventId,
                target.serverId(),
                probeId,
                CheckSource.ACTIVE,
                at,
                latencyMicros,
                ok != null,
                ok != null ? Integer.valueOf(ok.httpStatus()) : failed.httpStatus(),
                failed == null ? null : failed.kind(),
                failed == null ? null : failed.message(),
                attempts,
                ok == null ? null : ok.value());
    }

    private CompletableFuture<Optional<ServerStats>> stats(ProbeTarget target) {
        Instant at = clock.instant();
        return target.client()
                .stats()
                .thenApply(result -> result instanceof CallResult.Ok<Optional<StatsReport>> ok
                        ? ok.value().map(report -> stats(target, report, at))
                        : Optional.empty());
    }

    private ServerStats stats(ProbeTarget target, StatsReport report, Instant at) {
        return ServerStats.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(target.serverId())
                .setProbeId(probeId)
                .setRecordedAt(at)
                .setCpu(report.cpu())
                .setMemory(report.memory())
                .setStorage(report.storage())
                .setNetwork(report.network())
                .setActiveInstances(report.activeInstances())
                .setTotalUsers(report.totalUsers())
                .setMessagesPerMinute(report.messagesPerMinute())
                .setErrorRate(report.errorRate())
                .setAverageResponseTime(report.averageResponseTime())
                .setP95ResponseTime(report.p95ResponseTime())
                .setP99ResponseTime(report.p99ResponseTime())
                .setUptime(report.uptime())
                .setIsHealthy(report.isHealthy())
                .build();
    }
}
