package io.wafleet.router.api;

import io.wafleet.avro.AccountState;
import io.wafleet.avro.RouterMember;
import io.wafleet.router.accounts.Account;
import io.wafleet.router.members.RouterMembers;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * An account listing when each router instance holds only its own partitions' accounts: the same page is asked of
 * every other live instance (which answers from its own accounts only), and the pages are merged in account id
 * order, their totals added. An instance that does not answer makes the listing a 503 rather than a silently
 * short page.
 */
public final class AccountListing {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int PAGE = 1000;

    private final RouterMembers members;
    private final HttpClient http;
    private final JsonMapper json;
    private final boolean fansOut;
    private final ClientAddress clients;

    public AccountListing(
            RouterMembers members, HttpClient http, JsonMapper json, boolean fansOut, ClientAddress clients) {
        this.clients = clients;
        this.members = members;
        this.http = http;
        this.json = json;
        this.fansOut = fansOut;
    }

    /**
     * The accounts on these servers that the other instances hold (none when every instance holds every account):
     * every page of each, asked with the caller's token, waited for. For a drain or bulk operation to act on them.
     */
    public List<Account> elsewhere(HttpServletRequest request, Collection<String> serverIds) {
        if (!fansOut(request)) {
            return List.of();
        }
        List<CompletableFuture<List<Account>>> all = new ArrayList<>();
        for (RouterMember member : members.live().values()) {
            if (!member.getRouterId().equals(members.routerId())) {
                all.add(everyPage(request, member, List.copyOf(serverIds), 0, null, new ArrayList<>()));
            }
        }
        try {
            return all.stream().flatMap(pages -> pages.join().stream()).toList();
        } catch (java.util.concurrent.CompletionException e) {
            throw new OthersUnavailable(
                    e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        }
    }

    /** A router holding some of the accounts did not answer: the operation is not started on a part of them. */
    public static final class OthersUnavailable extends RuntimeException {
        OthersUnavailable(String message) {
            super(message);
        }
    }

    /** One member's pages of each server in turn, from {@code after}, added to {@code found}. */
    private CompletableFuture<List<Account>> everyPage(
            HttpServletRequest request,
            RouterMember member,
            List<String> serverIds,
            int server,
            String after,
            List<Account> found) {
        if (server == serverIds.size()) {
            return CompletableFuture.completedFuture(found);
        }
        String query = "server="
                + java.net.URLEncoder.encode(serverIds.get(server), java.nio.charset.StandardCharsets.UTF_8) + "&limit="
                + PAGE
                + (after == null
                        ? ""
                        : "&after=" + java.net.URLEncoder.encode(after, java.nio.charset.StandardCharsets.UTF_8));
        return page(request, member, "/api/v1/accounts", query).thenCompose(page -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> accounts = (List<Map<String, Object>>) page.get("accounts");
            accounts.forEach(view -> found.add(account(view)));
            String next = (String) page.get("next");
            return next == null
                    ? everyPage(request, member, serverIds, server + 1, null, found)
                    : everyPage(request, member, serverIds, server, next, found);
        });
    }

    private static Account account(Map<String, Object> view) {
        return new Account(
                (String) view.get("accountId"),
                (String) view.get("accountName"),
                (String) view.get("serverId"),
                AccountState.valueOf((String) view.get("state")),
                (String) view.get("connectionId"),
                null,
                null,
                (String) view.get("reason"),
                (String) view.get("requestId"),
                (String) view.get("operationId"),
                null,
                ((Number) view.getOrDefault("attempt", 1)).intValue(),
                null,
                List.of(),
                null);
    }

    /** Whether this listing must ask the other instances too (it was not itself asked by one). */
    boolean fansOut(HttpServletRequest request) {
        return fansOut && request.getHeader(OwnerForwarding.FORWARDED_BY) == null;
    }

    /** This instance's page merged with every other instance's, at most {@code limit} accounts. */
    CompletableFuture<ResponseEntity<?>> merged(HttpServletRequest request, Map<String, Object> local, int limit) {
        List<CompletableFuture<Map<String, Object>>> pages = new ArrayList<>();
        pages.add(CompletableFuture.completedFuture(json.convertValue(local, Map.class)));
        for (RouterMember member : members.live().values()) {
            if (!member.getRouterId().equals(members.routerId())) {
                pages.add(page(request, member, request.getRequestURI(), request.getQueryString()));
            }
        }
        return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new))
                .<ResponseEntity<?>>thenApply(all -> ResponseEntity.ok(
                        merge(pages.stream().map(CompletableFuture::join).toList(), limit)))
                .exceptionally(error -> Problems.of(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "listing-incomplete",
                        "Listing incomplete",
                        "a router holding some of the accounts did not answer (" + error.getMessage()
                                + "): try again in a second"));
    }

    private CompletableFuture<Map<String, Object>> page(
            HttpServletRequest request, RouterMember member, String path, String query) {
        HttpRequest.Builder call = HttpRequest.newBuilder(
                        URI.create(member.getApiUrl() + path + (query == null ? "" : "?" + query)))
                .timeout(TIMEOUT)
                .header(OwnerForwarding.FORWARDED_BY, members.routerId())
                .header("Accept", "application/json")
                .GET();
        String token = request.getHeader("Authorization");
        if (token != null) {
            call.header("Authorization", token);
        }
        clients.forwardedHeader(request).ifPresent(client -> call.header(ForwardedClients.HEADER, client));
        return http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(answer -> {
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(member.getRouterId() + " answered " + answer.statusCode());
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> page = json.readValue(answer.body(), Map.class);
                    return page;
                });
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(List<Map<String, Object>> pages, int limit) {
        long total = 0;
        boolean more = false;
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (Map<String, Object> page : pages) {
            total += ((Number) page.get("total")).longValue();
            more |= page.get("next") != null;
            accounts.addAll((List<Map<String, Object>>) page.get("accounts"));
        }
        accounts.sort(Comparator.comparing(account -> (String) account.get("accountId")));
        more |= accounts.size() > limit;
        List<Map<String, Object>> taken = accounts.subList(0, Math.min(limit, accounts.size()));
        Map<String, Object> merged = new LinkedHashMap<>();
        merged.put("total", total);
        merged.put("accounts", taken);
        merged.put(
                "next", more && !taken.isEmpty() ? taken.get(taken.size() - 1).get("accountId") : null);
        return merged;
    }
}
