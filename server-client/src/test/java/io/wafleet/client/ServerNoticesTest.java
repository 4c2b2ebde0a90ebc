package io.wafleet.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.NoticeKind;
import io.wafleet.avro.ServerNotice;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Webhook bodies in the shapes the real servers send (sources in each), read into notices. */
class ServerNoticesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    /** devlikeapro/waha 2024.10.8 src/core/webhooks.core.ts callWebhook, session.abc.ts status setter. */
    private static final String WAHA_WORKING = """
            {"event":"session.status","session":"default","metadata":{"wafleet.accountId":"acc-1"},
             "me":{"id":"5511999999999@c.us","pushName":"Shop"},
             "payload":{"name":"default","status":"WORKING"},"engine":"WEBJS",
             "environment":{"version":"2024.10.8","engine":"WEBJS","tier":"CORE","browser":"/usr/bin/chromium"}}
            """;

    /** EvolutionAPI/evolution-api 2.3.6 webhook.controller.ts emit; whatsapp.baileys.service.ts connectionUpdate. */
    private static final String EVOLUTION_LOGGED_OUT = """
            {"event":"connection.update","instance":"acc-2",
             "data":{"instance":"acc-2","state":"close","statusReason":401},
             "destination":"http://router:8080/api/v1/webhooks/srv-2","date_time":"2026-12-04T07:00:01.250Z",
             "sender":"5511988888888@s.whatsapp.net","server_url":"http://evo:8080",
             "apikey":"B6D711FCDE4D4FD5936544120E713976"}
            """;

    private static final String EVOLUTION_QR = """
            {"event":"qrcode.updated","instance":"acc-2",
             "data":{"qrcode":{"instance":"acc-2","pairingCode":null,"code":"2@abc,def,ghi==","base64":"data:image/png;base64,iVBORw0KGgo="}},
             "date_time":"2026-12-04T07:00:00.000Z","sender":null,"server_url":"http://evo:8080","apikey":"SECRET-KEY"}
            """;

    private static Optional<ServerNotice> read(Dialect dialect, String body, Map<String, String> headers) {
        return ServerNotices.read(
                new ServerNotices.Delivery("srv-1", dialect, headers, body.getBytes(StandardCharsets.UTF_8)), NOW);
    }

    @Test
    void wahaSessionStatusIsTheAccountsStateKeyedByItsMetadata() {
        ServerNotice notice = read(Dialect.WAHA, WAHA_WORKING, Map.of()).orElseThrow();

        assertThat(notice.getAccountId()).isEqualTo("acc-1");
        assertThat(notice.getSessionName()).isEqualTo("default");
        assertThat(notice.getKind()).isEqualTo(NoticeKind.STATUS_CHANGED);
        assertThat(notice.getState()).isEqualTo(AccountState.CONNECTED);
        assertThat(notice.getServerStatus()).isEqualTo("WORKING");
        assertThat(notice.getServerTime()).isNull();
        assertThat(notice.getNoticeId()).startsWith("sha256:");
        assertThat(read(Dialect.WAHA, WAHA_WORKING, Map.of()).orElseThrow().getNoticeId())
                .as("the same delivery twice has one id")
                .isEqualTo(notice.getNoticeId());
    }

    @Test
    void wahaPlusHeadersGiveTheDeliveryIdAndTime() {
        ServerNotice notice = read(
                        Dialect.WAHA,
                        WAHA_WORKING.replace("WORKING\"}", "SCAN_QR_CODE\"}"),
                        Map.of("x-webhook-request-id", "req-77", "x-webhook-timestamp", "1764842400123"))
                .orElseThrow();

        assertThat(notice.getNoticeId()).isEqualTo("req-77");
        assertThat(notice.getServerTime()).isEqualTo(Instant.ofEpochMilli(1764842400123L));
        assertThat(notice.getKind()).isEqualTo(NoticeKind.QR_UPDATED);
        assertThat(notice.getState()).isEqualTo(AccountState.QR_REQUIRED);
    }

    @Test
    void wahaStatusesListGivesTheTimeWhenNoHeaderDoes() {
        String body = WAHA_WORKING.replace(
                "\"status\":\"WORKING\"}",
                "\"status\":\"WORKING\",\"statuses\":[{\"status\":\"SCAN_QR_CODE\",\"timestamp\":1764842400000},"
                        + "{\"status\":\"WORKING\",\"timestamp\":1764842405000}]}");
        assertThat(read(Dialect.WAHA, body, Map.of()).orElseThrow().getServerTime())
                .isEqualTo(Instant.ofEpochMilli(1764842405000L));
    }

    @Test
    void evolutionLoggedOutNeedsANewQrAndItsApiKeyIsNotKept() {
        ServerNotice notice =
                read(Dialect.EVOLUTION, EVOLUTION_LOGGED_OUT, Map.of()).orElseThrow();

        assertThat(notice.getAccountId()).isEqualTo("acc-2");
        assertThat(notice.getState()).isEqualTo(AccountState.DISCONNECTED);
        assertThat(notice.getReasonCode()).isEqualTo("401");
        assertThat(notice.getReason()).contains("needs a new QR");
        assertThat(notice.getServerTime()).isEqualTo(Instant.parse("2026-12-04T07:00:01.250Z"));
        assertThat(notice.toString()).doesNotContain("B6D711FCDE4D4FD5936544120E713976");
    }

    @Test
    void evolutionClosesItReconnectsByItselfAreConnectingNotLost() {
        for (int code : new int[] {408, 428, 440, 500, 515}) {
            ServerNotice notice = read(
                            Dialect.EVOLUTION,
                            EVOLUTION_LOGGED_OUT.replace("\"statusReason\":401", "\"statusReason\":" + code),
                            Map.of())
                    .orElseThrow();
            assertThat(notice.getState()).as("code %d", code).isEqualTo(AccountState.CONNECTING);
            assertThat(notice.getReasonCode()).isEqualTo(Integer.toString(code));
        }
        ServerNotice forbidden = read(
                        Dialect.EVOLUTION,
                        EVOLUTION_LOGGED_OUT.replace("\"statusReason\":401", "\"statusReason\":403"),
                        Map.of())
                .orElseThrow();
        assertThat(forbidden.getState()).isEqualTo(AccountState.FAILED);
        assertThat(forbidden.getReason()).contains("forbidden");
    }

    @Test
    void evolutionQrUpdateCarriesTheNewCodeAndTheOpenStateIsConnected() {
        ServerNotice qr = read(Dialect.EVOLUTION, EVOLUTION_QR, Map.of()).orElseThrow();
        assertThat(qr.getKind()).isEqualTo(NoticeKind.QR_UPDATED);
        assertThat(qr.getQrCode()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(qr.toString()).doesNotContain("SECRET-KEY");

        ServerNotice open = read(
                        Dialect.EVOLUTION,
                        EVOLUTION_LOGGED_OUT.replace("\"close\"", "\"open\"").replace("401", "200"),
                        Map.of())
                .orElseThrow();
        assertThat(open.getState()).isEqualTo(AccountState.CONNECTED);
    }

    @Test
    void evolutionStartupIsAServerWideNotice() {
        ServerNotice started = read(
                        Dialect.EVOLUTION,
                        "{\"event\":\"APPLICATION_STARTUP\",\"instance\":null,\"data\":{},\"date_time\":\"2026-12-04T07:00:00Z\"}",
                        Map.of())
                .orElseThrow();
        assertThat(started.getKind()).isEqualTo(NoticeKind.SERVER_STARTED);
        assertThat(started.getAccountId()).isNull();
    }

    @Test
    void eventsThatSayNothingOfASessionAreLeftOut() {
        assertThat(read(Dialect.WAHA, "{\"event\":\"message\",\"session\":\"default\",\"payload\":{}}", Map.of()))
                .isEmpty();
        assertThat(read(Dialect.EVOLUTION, "{\"event\":\"messages.upsert\",\"instance\":\"a\",\"data\":{}}", Map.of()))
                .isEmpty();
    }

    @Test
    void unreadableDeliveriesSayWhy() {
        assertThatThrownBy(() -> read(Dialect.WAHA, "not json", Map.of()))
                .isInstanceOf(ServerNotices.Unreadable.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> read(Dialect.WAHA, "[1,2]", Map.of())).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> read(Dialect.WAHA, "{\"event\":\"session.exploded\"}", Map.of()))
                .hasMessageContaining("WAHA has no event 'session.exploded'");
        assertThatThrownBy(() -> read(Dialect.WAHA, WAHA_WORKING.replace("WORKING\"}", "DANCING\"}"), Map.of()))
                .hasMessageContaining("unknown WAHA session status 'DANCING'");
        assertThatThrownBy(() -> read(Dialect.EVOLUTION, "{\"event\":\"connection.update\",\"data\":{}}", Map.of()))
                .hasMessageContaining("has no 'instance'");
        assertThatThrownBy(() -> read(Dialect.SEED, "{}", Map.of())).hasMessageContaining("no webhooks");
    }
}
