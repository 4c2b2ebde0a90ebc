package io.wafleet.router.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.ServerConfig;
import io.wafleet.avro.ServerNotice;
import io.wafleet.client.ServerNotices;
import io.wafleet.router.FleetState;
import io.wafleet.router.webhooks.NoticeSender;
import io.wafleet.router.webhooks.ServerSignals;
import io.wafleet.router.webhooks.WebhookSecrets;
import io.wafleet.router.webhooks.WebhookSettings;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/webhooks/{serverId}}: a server's webhook delivery. It must prove its server ({@link
 * WebhookSecrets}; an unknown server and a wrong proof get the same 401); then its event, read in the server's
 * dialect, is written to wa.server-notices and answered 202 once the broker has it (503 when the broker does not take
 * it within 5 s: the server may send it again). An event wafleet does not use is answered 202 and dropped; one it
 * cannot read goes to wa.dead-letters and is answered 422 with the reason. The body is capped like every API body.
 */
@RestController
class WebhookController {

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);
    private static final long BROKER_WAIT_SECONDS = 5;

    private final FleetState fleet;
    private final WebhookSecrets secrets;
    private final WebhookSettings settings;
    private final NoticeSender sender;
    private final ServerSignals signals;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    WebhookController(
            FleetState fleet,
            WebhookSecrets secrets,
            WebhookSettings settings,
            NoticeSender sender,
            ServerSignals signals,
            MeterRegistry meters) {
        this.fleet = fleet;
        this.secrets = secrets;
        this.settings = settings;
        this.sender = sender;
        this.signals = signals;
        this.meters = meters;
    }

    @PostMapping("/api/v1/webhooks/{id}")
    ResponseEntity<?> receive(
            @PathVariable("id") String serverId,
            @RequestParam(name = "token", required = false) String token,
            @RequestHeader HttpHeaders headers,
            @RequestBody(required = false) byte[] body) {
        if (!settings.enabled()) {
            return outcome(
                    "off",
                    Problems.of(
                            HttpStatus.NOT_FOUND,
                            "webhooks-off",
                            "Webhooks are off",
                            "this router takes no webhooks (WAFLEET_ROUTER_WEBHOOKS_ENABLED=false)"));
        }
        byte[] delivered = body == null ? new byte[0] : body;
        ServerConfig config = fleet.config(serverId);
        WebhookSecrets.Proof proof = new WebhookSecrets.Proof(
                headers.getFirst("X-Webhook-Hmac"),
                BearerToken.of(headers.getFirst(HttpHeaders.AUTHORIZATION)),
                token,
                delivered);
        if (config == null || !secrets.proves(serverId, proof)) {
            log.warn(
                    "webhook delivery refused: it does not prove it comes from server '{}'",
                    io.wafleet.schemas.Texts.printable(serverId));
            return outcome(
                    "unauthorized",
                    Problems.of(
                            HttpStatus.UNAUTHORIZED,
                            "unauthorized",
                            "Unauthorized",
                            "the delivery does not prove it comes from server " + serverId
                                    + " (its webhook secret as a bearer token, token parameter or X-Webhook-Hmac)"));
        }
        Optional<ServerNotice> notice;
        try {
            notice = ServerNotices.read(
                    new ServerNotices.Delivery(serverId, config.getDialect(), deliveryHeaders(headers), delivered),
                    clock.instant());
        } catch (ServerNotices.Unreadable e) {
            sender.deadLetter(serverId, delivered, "unreadable " + config.getDialect() + " webhook: " + e.getMessage());
            ResponseEntity<?> problem = Problems.of(
                    HttpStatus.UNPROCESSABLE_ENTITY, "unreadable-event", "Unreadable event", e.getMessage());
            return outcome("dead_letter", problem);
        }
        if (notice.isEmpty()) {
            return outcome("ignored", ResponseEntity.accepted().body(Map.of("ignored", "not a session event")));
        }
        CompletableFuture<Void> sent = sender.notice(notice.get());
        signals.observe(notice.get());
        try {
            sent.get(BROKER_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            return outcome(
                    "unavailable",
                    Problems.of(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "broker-unavailable",
                            "Not taken",
                            "the event could not be written to Kafka; send it again"));
        }
        return outcome(
                "accepted",
                ResponseEntity.accepted().body(Map.of("noticeId", notice.get().getNoticeId())));
    }

    private ResponseEntity<?> outcome(String outcome, ResponseEntity<?> response) {
        meters.counter("wafleet.router.webhooks", "outcome", outcome).increment();
        return response;
    }

    /** The headers the dialects put delivery ids and times in, by lower-case name. */
    private static Map<String, String> deliveryHeaders(HttpHeaders headers) {
        Map<String, String> out = new HashMap<>();
        for (String name : new String[] {"X-Webhook-Request-Id", "X-Webhook-Timestamp"}) {
            String value = headers.getFirst(name);
            if (value != null) {
                out.put(name.toLowerCase(java.util.Locale.ROOT), value);
            }
        }
        return out;
    }
}
