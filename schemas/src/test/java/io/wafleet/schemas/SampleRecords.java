package io.wafleet.schemas;

import io.wafleet.avro.AccountCounts;
import io.wafleet.avro.AccountState;
import io.wafleet.avro.AccountStateRecord;
import io.wafleet.avro.CheckSource;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionEvent;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.ErrorKind;
import io.wafleet.avro.EventLevel;
import io.wafleet.avro.HandledMessage;
import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.LbAlgorithm;
import io.wafleet.avro.LbRule;
import io.wafleet.avro.MemoryUsage;
import io.wafleet.avro.MessageEvent;
import io.wafleet.avro.MessageFailure;
import io.wafleet.avro.MessageProgress;
import io.wafleet.avro.MessageStatus;
import io.wafleet.avro.MetricsScope;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.OutboundMessage;
import io.wafleet.avro.Protocol;
import io.wafleet.avro.ResponseTimes;
import io.wafleet.avro.RouterMember;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerEvent;
import io.wafleet.avro.ServerHealth;
import io.wafleet.avro.ServerMetrics;
import io.wafleet.avro.ServerNotice;
import io.wafleet.avro.ServerStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One fully populated instance of every topic record, with the seed document's example values. */
final class SampleRecords {

    static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");

    private SampleRecords() {}

    static List<SpecificRecord> all() {
        return List.of(
                serverConfig(),
                lbRule(),
                healthCheck(),
                serverStats(),
                serverMetrics(),
                serverHealth(),
                serverEvent(),
                connectionRequest(),
                connectionEvent(),
                accountState(),
                routerMember(),
                serverNotice(),
                outboundMessage(),
                messageEvent(),
                messageProgress());
    }

    static ServerConfig serverConfig() {
        return ServerConfig.newBuilder()
                .setId("srv-1")
                .setName("WA-Server-Production-01")
                .setHostname("wa-prod-01.company.com")
                .setIpAddress("192.168.1.100")
                .setPort(3001)
                .setProtocol(Protocol.HTTPS)
                .setBasePath("")
                .setDialect(Dialect.WAHA)
                .setEnvironment("production")
                .setLocation("US-East")
                .setConnectionTimeout(30000)
                .setRequestTimeout(60000)
                .setMaxRetries(3)
                .setHealthCheckInterval(30000)
                .setHealthCheckEndpoint("/api/health")
                .setMaxInstances(20)
                .setMaxUsersPerInstance(100)
                .setMessagingRateLimit(1000)
                .setIsEnabled(true)
                .setPriority(1)
                .setWeight(10)
                .setTags(List.of("primary", "high-capacity"))
                .setSslVerify(true)
                .setAllowedIps(List.of("10.0.0.0/8"))
                .setApiKeyCiphertext("v1:bm9uY2U=")
                .setRise(2)
                .setFall(3)
                .setVersion(4)
                .setCreatedAt(AT)
                .setUpdatedAt(AT.plusSeconds(60))
                .setCreatedBy("admin")
                .setUpdatedBy("admin")
                .build();
    }

    static LbRule lbRule() {
        return LbRule.newBuilder()
                .setId("rule-1")
                .setName("production US-East")
                .setEnvironment("production")
                .setLocation("US-East")
                .setAlgorithm(LbAlgorithm.WEIGHTED_ROUND_ROBIN)
                .setHealthCheckRequired(true)
                .setFailoverEnabled(true)
                .setPanicThreshold(0.5)
                .setIsEnabled(true)
                .setVersion(1)
                .setCreatedAt(AT)
                .setUpdatedAt(AT)
                .setUpdatedBy("admin")
                .build();
    }

    static HealthReport healthReport() {
        return HealthReport.newBuilder()
                .setStatus("healthy")
                .setTimestamp(AT)
                .setUptime(86400L)
                .setVersion("1.2.3")
                .setAccounts(new AccountCounts(5, 4, 1))
                .setMemory(new MemoryUsage(150_000_000L, 200_000_000L, 250_000_000L))
                .setPerformance(new ResponseTimes(150.0, 300.0, 500.0))
                .build();
    }

    static HealthCheck healthCheck() {
        return HealthCheck.newBuilder()
                .setEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a01")
                .setServerId("srv-1")
                .setProbeId("probe-a")
                .setSource(CheckSource.ACTIVE)
                .setCheckedAt(AT)
                .setLatencyMicros(12_345L)
                .setSuccess(true)
                .setHttpStatus(200)
                .setErrorKind(null)
                .setErrorMessage(null)
                .setAttempts(1)
                .setReport(healthReport())
                .build();
    }

    static HealthCheck failedCheck() {
        return HealthCheck.newBuilder(healthCheck())
                .setEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a02")
                .setSuccess(false)
                .setHttpStatus(null)
                .setErrorKind(ErrorKind.TIMEOUT)
                .setErrorMessage("no answer within 5000 ms")
                .setAttempts(3)
                .setReport(null)
                .build();
    }

    static ServerStats serverStats() {
        return ServerStats.newBuilder()
                .setEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a03")
                .setServerId("srv-1")
                .setProbeId("probe-a")
                .setRecordedAt(AT)
                .setCpu(45.2)
                .setMemory(67.8)
                .setStorage(34.1)
                .setNetwork(23.4)
                .setActiveInstances(5)
                .setTotalUsers(450)
                .setMessagesPerMinute(120)
                .setErrorRate(0.1)
                .setAverageResponseTime(150.0)
                .setP95ResponseTime(300.0)
                .setP99ResponseTime(500.0)
                .setUptime(86400)
                .setIsHealthy(true)
                .build();
    }

    static ServerMetrics serverMetrics() {
        return ServerMetrics.newBuilder()
                .setEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a04")
                .setKey("srv-1")
                .setScope(MetricsScope.SERVER)
                .setServerId("srv-1")
                .setEnvironment("production")
                .setLocation("US-East")
                .setWindowSizeSeconds(60)
                .setWindowStart(AT)
                .setWindowEnd(AT.plusSeconds(60))
                .setCount(120)
                .setFailures(3)
                .setErrorRate(0.025)
                .setMinMicros(900.0)
                .setAvgMicros(15_000.0)
                .setP50Micros(12_000.0)
                .setP95Micros(40_000.0)
                .setP99Micros(90_000.0)
                .setMaxMicros(120_000.0)
                .build();
    }

    static ServerHealth serverHealth() {
        return ServerHealth.newBuilder()
                .setServerId("srv-1")
                .setName("WA-Server-Production-01")
                .setStatus(HealthStatus.HEALTHY)
                .setPreviousStatus(HealthStatus.UNKNOWN)
                .setReason("2 consecutive successful checks")
                .setStatusSince(AT)
                .setUpdatedAt(AT.plusSeconds(30))
                .setLastCheckAt(AT.plusSeconds(30))
                .setLastSuccessAt(AT.plusSeconds(30))
                .setConsecutiveSuccesses(2)
                .setConsecutiveFailures(0)
                .setLastErrorKind(ErrorKind.TIMEOUT)
                .setLastLatencyMicros(12_345L)
                .setBaseUrl("https://wa-prod-01.company.com:3001")
                .setDialect(Dialect.SEED)
                .setEnvironment("production")
                .setLocation("US-East")
                .setTags(List.of("primary"))
                .setIsEnabled(true)
                .setPriority(1)
                .setWeight(10)
                .setHealthCheckInterval(30000)
                .setCapacity(2000)
                .setConnectedAccounts(4)
                .setConnectingAccounts(1)
                .setUtilization(0.002)
                .setVersion("1.2.3")
                .setStats(serverStats())
                .setMetrics1m(serverMetrics())
                .setMetrics5m(null)
                .build();
    }

    static ServerEvent serverEvent() {
        return ServerEvent.newBuilder()
                .setEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a05")
                .setServerId("srv-1")
                .setPoolId(null)
                .setLevel(EventLevel.WARNING)
                .setType("STATUS_CHANGED")
                .setMessage("WA-Server-Production-01 went from HEALTHY to DEGRADED")
                .setDetails(Map.of("from", "HEALTHY", "to", "DEGRADED"))
                .setOccurredAt(AT)
                .setSource("stats-aggregator")
                .setActor(null)
                .build();
    }

    static ConnectionRequest connectionRequest() {
        return ConnectionRequest.newBuilder()
                .setRequestId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a06")
                .setAccountId("business-account-01")
                .setAction(ConnectionAction.CONNECT)
                .setAccountName("Business Account 01")
                .setServerId(null)
                .setEnvironment("production")
                .setLocation("US-East")
                .setTags(List.of("primary"))
                .setMinCapacity(50)
                .setAlgorithm(LbAlgorithm.LEAST_CONNECTIONS)
                .setRequestedAt(AT)
                .setRequestedBy("crm")
                .setMetadata(Map.of("campaign", "spring"))
                .build();
    }

    static ConnectionEvent connectionEvent() {
        return ConnectionEvent.newBuilder()
                .setEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a07")
                .setRequestId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a06")
                .setOperationId(null)
                .setAccountId("business-account-01")
                .setAccountName("Business Account 01")
                .setServerId("srv-1")
                .setState(AccountState.QR_REQUIRED)
                .setPreviousState(AccountState.PENDING)
                .setConnectionId("conn_123")
                .setQrCode("data:image/png;base64,iVBORw0KGgo=")
                .setReason(null)
                .setAttempt(1)
                .setOccurredAt(AT)
                .build();
    }

    static AccountStateRecord accountState() {
        return AccountStateRecord.newBuilder()
                .setAccountId("business-account-01")
                .setAccountName("Business Account 01")
                .setServerId("srv-1")
                .setState(AccountState.QR_REQUIRED)
                .setConnectionId("conn_123")
                .setQrCode("data:image/png;base64,iVBORw0KGgo=")
                .setReason(null)
                .setRequestId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a06")
                .setOperationId(null)
                .setRequestedBy("ops")
                .setAttempt(1)
                .setUpdatedAt(AT)
                .setAnsweredRequests(List.of("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a06"))
                .setLastEventId("6f1c2b8e-0d0e-4c43-9d47-2f4f0f6c9a07")
                .build();
    }

    static RouterMember routerMember() {
        return RouterMember.newBuilder()
                .setRouterId("router-host-1-0a1b2c3d")
                .setApiUrl("http://10.0.0.5:8080")
                .setPartitions(List.of(0, 3, 4))
                .setUpdatedAt(AT)
                .build();
    }

    static ServerNotice serverNotice() {
        return ServerNotice.newBuilder()
                .setNoticeId("evt_01jc8m0x3y4z5a6b7c8d9e0f1g")
                .setServerId("srv-1")
                .setAccountId("acc-123")
                .setSessionName("acc-123")
                .setDialect(Dialect.EVOLUTION)
                .setKind(NoticeKind.STATUS_CHANGED)
                .setEvent("connection.update")
                .setState(AccountState.DISCONNECTED)
                .setServerStatus("close")
                .setReasonCode("401")
                .setReason("logged out on the phone: needs a new QR")
                .setQrCode(null)
                .setServerTime(AT)
                .setReceivedAt(AT.plusMillis(35))
                .setDetails(Map.of("sender", "5511999999999@s.whatsapp.net"))
                .build();
    }

    static OutboundMessage outboundMessage() {
        return OutboundMessage.newBuilder()
                .setMessageId("order-4711-shipped")
                .setAccountId("acc-123")
                .setRecipient("491701234567")
                .setText("Your order 4711 has shipped.")
                .setExpiresAt(AT.plusSeconds(3600))
                .setRequestedAt(AT)
                .setRequestedBy("shop-backend")
                .setMetadata(Map.of("order", "4711"))
                .build();
    }

    static MessageEvent messageEvent() {
        return MessageEvent.newBuilder()
                .setEventId("5b0f7c3e-2a8d-4f5e-9c1b-7d6e5f4a3b2c")
                .setMessageId("order-4711-shipped")
                .setAccountId("acc-123")
                .setServerId("srv-1")
                .setStatus(MessageStatus.FAILED)
                .setFailure(MessageFailure.REJECTED)
                .setReason("491701234567 is not on WhatsApp")
                .setServerMessageId("true_491701234567@c.us_3EB0C767D097B7C0B9D1")
                .setRecipient("491701234567")
                .setPostedAt(AT)
                .setOccurredAt(AT.plusMillis(180))
                .setAttempts(1)
                .setMetadata(Map.of("order", "4711"))
                .build();
    }

    static MessageProgress messageProgress() {
        return MessageProgress.newBuilder()
                .setAccountId("acc-123")
                .setLastOffset(4711L)
                .setSending(4712L)
                .setRecent(List.of(new HandledMessage("order-4711-shipped", "3EB0C767D097B7C0B9D1", AT.toEpochMilli())))
                .setUpdatedAt(AT)
                .build();
    }
}
