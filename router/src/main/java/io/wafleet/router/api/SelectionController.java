package io.wafleet.router.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.LbAlgorithm;
import io.wafleet.client.ServerConfigRules;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.select.Selection;
import io.wafleet.router.select.SelectionRequest;
import io.wafleet.router.select.Selector;
import io.wafleet.schemas.Texts;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/servers/select}: the server a new account should go to, or a 503 problem saying why none. */
@RestController
class SelectionController {

    private final FleetState state;
    private final Selector selector;
    private final AccountRegistry accounts;
    private final Counter chosenCounter;
    private final Counter chosenInPanic;
    private final Counter sticky;
    private final Counter noServer;

    SelectionController(FleetState state, Selector selector, AccountRegistry accounts, MeterRegistry meters) {
        this.state = state;
        this.accounts = accounts;
        this.selector = selector;
        // Looked up once: a registry lookup per request would cost more than the selection.
        this.chosenCounter = meters.counter(COUNTER, "result", "chosen");
        this.chosenInPanic = meters.counter(COUNTER, "result", "chosen_in_panic");
        this.sticky = meters.counter(COUNTER, "result", "sticky");
        this.noServer = meters.counter(COUNTER, "result", "no_server");
    }

    private static final String COUNTER = "wafleet.router.selections";

    /** The chosen server, in JSON. */
    record Chosen(
            String id,
            String name,
            String baseUrl,
            String status,
            int freeCapacity,
            int priority,
            String algorithm,
            boolean panic,
            boolean sticky) {}

    @GetMapping("/api/v1/servers/select")
    ResponseEntity<?> select(
            @RequestParam(required = false) String environment,
            @RequestParam(required = false) String location,
            @RequestParam(required = false) String tags,
            @RequestParam(required = false, defaultValue = "1") String minCapacity,
            @RequestParam(required = false) String algorithm,
            @RequestParam(required = false) String accountId) {
        if (!state.isCaughtUp()) {
            return Problems.notReady();
        }
        SelectionRequest request = new SelectionRequest(
                pool("environment", environment),
                pool("location", location),
                tags(tags),
                minCapacity(minCapacity),
                algorithm(algorithm),
                accountId == null ? null : AccountsController.accountId("accountId", accountId));
        Selection selection = selector.select(state.fleet(), state.rules(), request, accounts, accounts);
        if (selection instanceof Selection.Chosen chosen) {
            (chosen.sticky() ? sticky : chosen.panic() ? chosenInPanic : chosenCounter).increment();
            return ResponseEntity.ok(new Chosen(
                    chosen.server().id(),
                    chosen.server().name(),
                    chosen.server().baseUrl(),
                    chosen.server().status().name(),
                    chosen.freeCapacity(),
                    chosen.server().priority(),
                    chosen.algorithm() == null
                            ? null
                            : chosen.algorithm().name().toLowerCase(Locale.ROOT),
                    chosen.panic(),
                    chosen.sticky()));
        }
        noServer.increment();
        return Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE,
                "no-server",
                "No server qualifies",
                ((Selection.NoServer) selection).reason());
    }

    private static Set<String> tags(String tags) {
        if (Texts.hasControl(tags)) {
            throw new BadField("tags", "must not contain control characters");
        }
        if (tags == null || tags.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(tags.split(","))
                .map(String::trim)
                .filter(tag -> !tag.isEmpty())
                .map(tag -> pool("tags", tag))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * An environment, location or tag as a selection names it: the rule a server config's own values follow
     * ({@link ServerConfigRules}), so a value that no server can have is a 400, not a search.
     */
    static String pool(String field, String value) {
        ServerConfigRules.text(field, value).ifPresent(violation -> {
            throw new BadField(field, violation.problem());
        });
        return value;
    }

    private static int minCapacity(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0) {
                throw new BadField("minCapacity", "must be 0 or more, was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadField("minCapacity", "must be a whole number, was '" + value + "'");
        }
    }

    static LbAlgorithm algorithm(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LbAlgorithm.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadField(
                    "algorithm",
                    "unknown algorithm '" + value + "'; one of "
                            + Arrays.stream(LbAlgorithm.values())
                                    .map(a -> a.name().toLowerCase(Locale.ROOT))
                                    .toList());
        }
    }
}
