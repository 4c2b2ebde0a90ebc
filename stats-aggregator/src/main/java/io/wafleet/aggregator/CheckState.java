package io.wafleet.aggregator;

import io.wafleet.avro.HealthCheck;
import io.wafleet.avro.HealthReport;
import io.wafleet.avro.HealthStatus;
import io.wafleet.avro.ServerHealth;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The part of a server's health that a routine check changes, kept apart from the full ServerHealth so that most
 * checks read and write some 60 bytes instead of the whole record with its stats and windows (profiled: the full
 * record's Avro round trip was a third of the aggregator's time). Also what the staleness sweep reads.
 */
record CheckState(
        boolean known,
        HealthStatus status,
        int consecutiveSuccesses,
        int consecutiveFailures,
        long lastCheckAt,
        long lastSuccessAt,
        long lastLatencyMicros,
        long updatedAt,
        int connectedAccounts,
        int connectingAccounts,
        int healthCheckInterval,
        String reportedStatus,
        String version) {

    private static final byte VERSION = 1;
    private static final long NONE = Long.MIN_VALUE;

    static CheckState of(ServerHealth health) {
        return new CheckState(
                HealthRecords.known(health),
                health.getStatus(),
                health.getConsecutiveSuccesses(),
                health.getConsecutiveFailures(),
                millis(health.getLastCheckAt()),
                millis(health.getLastSuccessAt()),
                health.getLastLatencyMicros() == null ? NONE : health.getLastLatencyMicros(),
                health.getUpdatedAt().toEpochMilli(),
                health.getConnectedAccounts(),
                health.getConnectingAccounts(),
                health.getHealthCheckInterval(),
                health.getReportedStatus(),
                software(health.getVersion(), health.getTier()));
    }

    /** The software a server reports, version and tier: a check that changes either is not routine. */
    static String software(String version, String tier) {
        return version == null || tier == null ? version : version + " " + tier;
    }

    /** Copies the fields a routine check moves into the full record. */
    void applyTo(ServerHealth health) {
        health.setConsecutiveSuccesses(consecutiveSuccesses);
        health.setLastCheckAt(instant(lastCheckAt));
        health.setLastSuccessAt(instant(lastSuccessAt));
        health.setLastLatencyMicros(lastLatencyMicros == NONE ? null : lastLatencyMicros);
    }

    /**
     * Whether a check changes nothing readers see of a known HEALTHY server: it passed, there is no failure to reset,
     * and its body says what the last one said.
     */
    boolean routine(HealthCheck check, boolean passed) {
        if (!known || status != HealthStatus.HEALTHY || !passed || consecutiveFailures != 0) {
            return false;
        }
        HealthReport report = check.getReport();
        if (report == null) {
            return reportedStatus == null;
        }
        return Objects.equals(report.getStatus(), reportedStatus)
                && (report.getVersion() == null
                        || software(report.getVersion(), report.getTier()).equals(version))
                && (report.getAccounts() == null
                        || (report.getAccounts().getConnected() == connectedAccounts
                                && report.getAccounts().getConnecting() == connectingAccounts));
    }

    /** This state after a routine check. */
    CheckState touched(HealthCheck check) {
        long at = check.getCheckedAt().toEpochMilli();
        return new CheckState(
                known,
                status,
                consecutiveSuccesses + 1,
                0,
                at,
                at,
                check.getLatencyMicros(),
                updatedAt,
                connectedAccounts,
                connectingAccounts,
                healthCheckInterval,
                reportedStatus,
                version);
    }

    /** Up or down and silent for more than {@code intervals} of its check intervals at {@code now}. */
    boolean staleAt(long now, int intervals) {
        boolean checked =
                status == HealthStatus.HEALTHY || status == HealthStatus.DEGRADED || status == HealthStatus.UNHEALTHY;
        return checked && lastCheckAt != NONE && now - lastCheckAt > (long) intervals * healthCheckInterval;
    }

    static Serde<CheckState> serde() {
        return Serdes.serdeFrom(
                (topic, state) -> state == null ? null : state.encode(), (topic, bytes) -> decode(topic, bytes));
    }

    private byte[] encode() {
        byte[] reported = bytes(reportedStatus);
        byte[] versionBytes = bytes(version);
        ByteBuffer out = ByteBuffer.allocate(2 + 1 + 4 * 5 + 8 * 4 + 8 + lengthOf(reported) + lengthOf(versionBytes));
        out.put(VERSION).put((byte) (known ? 1 : 0)).put((byte) status.ordinal());
        out.putInt(consecutiveSuccesses).putInt(consecutiveFailures);
        out.putLong(lastCheckAt)
                .putLong(lastSuccessAt)
                .putLong(lastLatencyMicros)
                .putLong(updatedAt);
        out.putInt(connectedAccounts).putInt(connectingAccounts).putInt(healthCheckInterval);
        put(out, reported);
        put(out, versionBytes);
        return out.array();
    }

    private static CheckState decode(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.get() != VERSION) {
            throw new SerializationException("check state of an unknown version in " + topic);
        }
        return new CheckState(
                in.get() == 1,
                HealthStatus.values()[in.get()],
                in.getInt(),
                in.getInt(),
                in.getLong(),
                in.getLong(),
                in.getLong(),
                in.getLong(),
                in.getInt(),
                in.getInt(),
                in.getInt(),
                string(in),
                string(in));
    }

    private static long millis(Instant instant) {
        return instant == null ? NONE : instant.toEpochMilli();
    }

    private static Instant instant(long millis) {
        return millis == NONE ? null : Instant.ofEpochMilli(millis);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    private static int lengthOf(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static void put(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.put(bytes);
        }
    }

    private static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
