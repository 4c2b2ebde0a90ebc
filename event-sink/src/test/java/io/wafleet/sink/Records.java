package io.wafleet.sink;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerStats;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

/** Records of every audited type for one test server, each with a fresh event id. */
final class Records {

    private Records() {}

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    static HealthCheck healthCheck(String serverId, int i) {
        return HealthCheck.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(serverId)
                .setProbeId("probe-test")
                .setSource(i % 5 == 0 ? CheckSource.PASSIVE : CheckSource.ACTIVE)
                .setCheckedAt(now())
                .setLatencyMicros(1_000L + i)
                .setSuccess(i % 5 != 0)
                .setErrorKind(i % 5 == 0 ? ErrorKind.TIMEOUT : null)
                .build();
    }

    static ServerStats serverStats(String serverId, int i) {
        return ServerStats.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(serverId)
                .setRecordedAt(now())
                .setCpu(10.0 + i)
                .setTotalUsers(i)
                .build();
    }

    /** The live health record of a server as the aggregator publishes it at {@code at}. */
    static ServerHealth serverHealth(String serverId, HealthStatus status, Instant at) {
        return ServerHealth.newBuilder()
                .setServerId(serverId)
                .setName("WA-" + serverId)
                .setStatus(status)
                .setReason(status + " for the test")
                .setStatusSince(at.minusSeconds(30))
                .setUpdatedAt(at)
                .setLastCheckAt(at)
                .setConsecutiveSuccesses(status == HealthStatus.UNHEALTHY ? 0 : 4)
                .setConsecutiveFailures(status == HealthStatus.UNHEALTHY ? 3 : 0)
                .setBaseUrl("http://127.0.0.1:3001")
                .setEnvironment("production")
                .setCapacity(100)
                .setConnectedAccounts(40)
                .setUtilization(0.4)
                .setMetrics1m(serverMetrics(serverId, 1))
                .build();
    }

    static ServerMetrics serverMetrics(String serverId, int i) {
        Instant start = now().truncatedTo(ChronoUnit.MINUTES).minus(i, ChronoUnit.MINUTES);
        return ServerMetrics.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setKey(serverId)
                .setScope(MetricsScope.SERVER)
                .setServerId(serverId)
                .setWindowSizeSeconds(60)
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(60))
                .setCount(100)
                .setFailures(1)
                .setErrorRate(0.01)
                .setP95Micros(5_000.0)
                .setP99Micros(9_000.0)
                .build();
    }

    static ServerEvent serverEvent(String serverId, int i) {
        return ServerEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setServerId(serverId)
                .setLevel(EventLevel.WARNING)
                .setType("STATUS_CHANGED")
                .setMessage("event " + i)
                .setDetails(Map.of("from", "HEALTHY", "to", "DEGRADED"))
                .setOccurredAt(now())
                .setSource("test")
                .build();
    }

    static io.wafleet.avro.MessageEvent messageEvent(
            String serverId,
            String accountId,
            String messageId,
            io.wafleet.avro.MessageStatus status,
            Instant posted,
            Instant at) {
        return io.wafleet.avro.MessageEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setMessageId(messageId)
                .setAccountId(accountId)
                .setServerId(serverId)
                .setStatus(status)
                .setServerMessageId(status == io.wafleet.avro.MessageStatus.QUEUED ? null : "srv-" + messageId)
                .setRecipient("491701234567")
                .setPostedAt(posted)
                .setOccurredAt(at)
                .setAttempts(status == io.wafleet.avro.MessageStatus.QUEUED ? 0 : 1)
                .setMetadata(java.util.Map.of("order", "4711"))
                .build();
    }

    static ConnectionEvent connectionEvent(String serverId, String accountId, AccountState state, Instant at) {
        return ConnectionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setAccountId(accountId)
                .setServerId(serverId)
                .setState(state)
                .setConnectionId("conn-" + accountId)
                // As routers write it: the QR by its id, the image only in the account's state.
                .setQrId(state == AccountState.QR_REQUIRED ? "qr-" + accountId : null)
                .setOccurredAt(at)
                .build();
    }
}
