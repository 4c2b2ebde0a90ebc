package io.wafleet.router.api;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.ConnectionRequest;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.accounts.AccountIndex;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.requests.AccountRequests;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Accounts over REST: each action posts a ConnectionRequest to wa.connection-requests (exactly as a producer would)
 * and answers when the event that answers it comes, or after {@code timeoutMs} (asynchronously: no servlet thread
 * waits meanwhile, see {@link AccountAnswers}); reads come from the account registry.
 */
@RestController
class AccountsController {

    static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._:@+\\-]{1,128}");
    private static final int MAX_LIST = 1000;

    private final AccountAnswers answers;
    private final AccountRegistry registry;
    private final FleetState state;
    private final AccountSettings settings;
    private final AccountListing listing;

    AccountsController(
            AccountRequests requests,
            AccountRegistry registry,
            FleetState state,
            AccountSettings settings,
            AccountListing listing) {
        this.answers = new AccountAnswers(requests, state);
        this.listing = listing;
        this.registry = registry;
        this.state = state;
        this.settings = settings;
    }

    /** Connects an account: answers with its QR (QR_REQUIRED), CONNECTED, or a 503 problem when it FAILED. */
    @PostMapping("/api/v1/accounts/{id}/connect")
    CompletableFuture<ResponseEntity<?>> connect(
            @PathVariable String id,
            @RequestBody(required = false) Map<String, Object> body,
            @RequestParam(required = false) String timeoutMs,
            HttpServletRequest request) {
        return post(id, ConnectionAction.CONNECT, body, timeoutMs, Actor.of(request));
    }

    @PostMapping("/api/v1/accounts/{id}/disconnect")
    CompletableFuture<ResponseEntity<?>> disconnect(
            @PathVariable String id,
            @RequestBody(required = false) Map<String, Object> body,
            @RequestParam(required = false) String timeoutMs,
            HttpServletRequest request) {
        return post(id, ConnectionAction.DISCONNECT, body, timeoutMs, Actor.of(request));
    }

    @PostMapping("/api/v1/accounts/{id}/refresh-qr")
    CompletableFuture<ResponseEntity<?>> refreshQr(
            @PathVariable String id,
            @RequestBody(required = false) Map<String, Object> body,
            @RequestParam(required = false) String timeoutMs,
            HttpServletRequest request) {
        return post(id, ConnectionAction.REFRESH_QR, body, timeoutMs, Actor.of(request));
    }

    /** Moves an account to {@code serverId}, or to a server selected in its pool (its current server excluded). */
    @PostMapping("/api/v1/accounts/{id}/migrate")
    CompletableFuture<ResponseEntity<?>> migrate(
            @PathVariable String id,
            @RequestBody(required = false) Map<String, Object> body,
            @RequestParam(required = false) String timeoutMs,
            HttpServletRequest request) {
        return post(id, ConnectionAction.MIGRATE, body, timeoutMs, Actor.of(request));
    }

    /** The request an action's body describes (connect and migrate take a placement), posted and answered. */
    private CompletableFuture<ResponseEntity<?>> post(
            String id, ConnectionAction action, Map<String, Object> body, String timeoutMs, String actor) {
        Json json = new Json(body, "");
        String requestId = json.text("requestId", null);
        if (requestId != null && (requestId.isEmpty() || requestId.length() > 128)) {
            throw new BadField("requestId", "must be 1 to 128 characters");
        }
        ConnectionRequest.Builder request = ConnectionRequest.newBuilder()
                .setRequestId(requestId == null ? UUID.randomUUID().toString() : requestId)
                .setAccountId(accountId(id))
                .setAction(action)
                .setRequestedAt(Instant.now())
                .setRequestedBy(actor);
        if (action == ConnectionAction.CONNECT || action == ConnectionAction.MIGRATE) {
            request.setEnvironment(SelectionController.pool("environment", json.text("environment", null)))
                    .setLocation(SelectionController.pool("location", json.text("location", null)))
                    .setTags(json.strings("tags").stream()
                            .map(tag -> SelectionController.pool("tags", tag))
                            .toList())
                    .setMinCapacity(json.optionalInteger("minCapacity", 0, 1_000_000))
                    .setAlgorithm(SelectionController.algorithm(json.text("algorithm", null)))
                    .setServerId(knownServer(json));
        }
        if (action == ConnectionAction.CONNECT) {
            request.setAccountName(json.text("name", null));
        }
        return answers.send(request.build(), OperationResponses.timeout(timeoutMs, settings.replyTimeout()));
    }

    @GetMapping("/api/v1/accounts/{id}")
    ResponseEntity<?> account(@PathVariable String id) {
        Account account = registry.account(accountId(id));
        return account == null ? noSuchAccount(id) : ResponseEntity.ok(AccountView.of(account));
    }

    /** The account's QR code while it waits for a scan (the seed's {@code GET /api/accounts/{id}/qr}). */
    @GetMapping("/api/v1/accounts/{id}/qr")
    ResponseEntity<?> qr(@PathVariable String id) {
        Account account = registry.account(accountId(id));
        if (account == null) {
            return noSuchAccount(id);
        }
        if (account.state() != AccountState.QR_REQUIRED || account.qrCode() == null) {
            return Problems.of(
                    HttpStatus.CONFLICT,
                    "no-qr-code",
                    "No QR code",
                    "account " + id + " is " + account.state() + ", not waiting for a QR scan");
        }
        return ResponseEntity.ok(Map.of("accountId", id, "qrCode", account.qrCode(), "status", "qr_required"));
    }

    /**
     * Accounts, by server and state, in account id order, a page at a time: {@code next} is the {@code after} of the
     * next page (null after the last); {@code total} counts every match.
     */
    @GetMapping("/api/v1/accounts")
    CompletableFuture<ResponseEntity<?>> list(
            @RequestParam(required = false) String server,
            @RequestParam(required = false) String state,
            @RequestParam(required = false, defaultValue = "100") String limit,
            @RequestParam(required = false) String after,
            HttpServletRequest request) {
        AccountState wanted = accountState(state);
        int max = limit(limit);
        String cursor = after == null || after.isEmpty() ? null : accountId("after", after);
        AccountIndex.Page found = registry.page(cursor, server, wanted, max);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", registry.total(server, wanted));
        page.put("accounts", found.accounts().stream().map(AccountView::of).toList());
        page.put("next", found.next());
        return listing.fansOut(request)
                ? listing.merged(request, page, max)
                : CompletableFuture.completedFuture(ResponseEntity.ok(page));
    }

    private String knownServer(Json json) {
        String serverId = json.text("serverId", null);
        if (serverId != null && state.fleet().server(serverId) == null) {
            throw new BadField("serverId", "no server with id '" + serverId + "' in the health table");
        }
        return serverId;
    }

    /** Whether {@code id} is a well-formed account id. */
    static boolean isAccountId(String id) {
        return id != null && ACCOUNT_ID.matcher(id).matches();
    }

    static String accountId(String id) {
        return accountId("id", id);
    }

    static String accountId(String field, String id) {
        if (id == null || !ACCOUNT_ID.matcher(id).matches()) {
            throw new BadField(field, "an account id is 1 to 128 letters, digits or . _ : @ + -");
        }
        return id;
    }

    private static AccountState accountState(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return AccountState.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadField(
                    "state",
                    "unknown state '" + value + "'; one of "
                            + Arrays.stream(AccountState.values())
                                    .map(s -> s.name().toLowerCase(Locale.ROOT))
                                    .toList());
        }
    }

    private static int limit(String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1 || parsed > MAX_LIST) {
                throw new BadField("limit", "must be between 1 and " + MAX_LIST + ", was " + parsed);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BadField("limit", "must be a whole number, was '" + value + "'");
        }
    }

    private static ResponseEntity<?> noSuchAccount(String id) {
        return Problems.of(HttpStatus.NOT_FOUND, "no-such-account", "No such account", "no account with id " + id);
    }
}
