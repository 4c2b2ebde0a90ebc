package io.wafleet.router.api;

import io.wafleet.avro.ServerConfig;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.operations.FleetOperations;
import io.wafleet.router.operations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/bulk/{operation}}: disconnect every account, refresh the QR of every waiting account, or call
 * health or stats on every server matching a selector ({@code environment}, {@code location}, {@code tags},
 * {@code serverIds}, or {@code "all": true}); and {@code GET /api/v1/operations/{id}} to follow one.
 */
@RestController
class BulkController {

    private final FleetOperations operations;
    private final FleetState state;
    private final AccountSettings settings;
    private final AccountListing listing;

    BulkController(FleetOperations operations, FleetState state, AccountSettings settings, AccountListing listing) {
        this.listing = listing;
        this.operations = operations;
        this.state = state;
        this.settings = settings;
    }

    @PostMapping("/api/v1/bulk/{operation}")
    ResponseEntity<?> bulk(
            @PathVariable String operation,
            @RequestBody(required = false) Map<String, Object> body,
            @RequestParam(required = false) String timeoutMs,
            HttpServletRequest request) {
        FleetOperations.Bulk bulk = FleetOperations.Bulk.of(operation)
                .orElseThrow(() -> new BadField(
                        "operation",
                        "unknown bulk operation '" + operation + "'; one of "
                                + Arrays.stream(FleetOperations.Bulk.values())
                                        .map(b -> b.path)
                                        .toList()));
        Json json = new Json(body, "");
        String environment = json.text("environment", null);
        String location = json.text("location", null);
        List<String> tags = json.strings("tags");
        List<String> ids = json.strings("serverIds");
        boolean all = json.bool("all", false);
        if (!all && environment == null && location == null && tags.isEmpty() && ids.isEmpty()) {
            throw new BadField(
                    "serverIds", "say which servers: environment, location, tags, serverIds, or \"all\": true");
        }
        for (int i = 0; i < ids.size(); i++) {
            if (state.config(ids.get(i)) == null) {
                throw new BadField("serverIds[" + i + "]", "no server with id '" + ids.get(i) + "'");
            }
        }
        Set<String> matching = new TreeSet<>();
        for (ServerConfig config : state.configs()) {
            if ((environment == null || environment.equals(config.getEnvironment()))
                    && (location == null || Objects.equals(location, config.getLocation()))
                    && config.getTags().containsAll(tags)
                    && (ids.isEmpty() || ids.contains(config.getId()))) {
                matching.add(config.getId());
            }
        }
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("environment", environment);
        selector.put("location", location);
        selector.put("tags", tags);
        selector.put("serverIds", ids);
        selector.put("all", all);
        List<Account> elsewhere = bulk == FleetOperations.Bulk.DISCONNECT || bulk == FleetOperations.Bulk.REFRESH_QR
                ? listing.elsewhere(request, matching)
                : List.of();
        Operation started = operations.bulk(bulk, matching, selector, Actor.of(request), elsewhere);
        return OperationResponses.awaited(started, OperationResponses.timeout(timeoutMs, settings.replyTimeout()));
    }

    @GetMapping("/api/v1/operations/{id}")
    ResponseEntity<?> operation(@PathVariable String id) {
        Map<String, Object> view = operations.view(id);
        if (view == null) {
            return Problems.of(HttpStatus.NOT_FOUND, "no-such-operation", "No such operation", "no operation " + id);
        }
        return ResponseEntity.ok(view);
    }
}
