package io.wafleet.router.api;

import io.wafleet.avro.RouterMember;
import io.wafleet.router.members.RouterMembers;
import io.wafleet.router.requests.RequestConsumer;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a call about an account this instance does not hold to the instance that does (when routers hold only their
 * own partitions' accounts): {@code /api/v1/accounts/{id}} and below, and a sticky {@code GET /api/v1/servers/select
 * ?accountId=}. One hop, the caller's token passed on (the owner checks it again), the owner's answer returned as it
 * is, without holding a servlet thread meanwhile. While the account's partition has no owner (it is moving, or its
 * owner died and the group has not noticed yet) the call is a 503 with {@code Retry-After: 1}; a call that was
 * already forwarded once is never forwarded again.
 */
public final class OwnerForwarding extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(OwnerForwarding.class);

    /** On a forwarded call: the instance that forwarded it. */
    public static final String FORWARDED_BY = "X-Wafleet-Forwarded-By";
    /** On a forwarded call's answer: the instance that answered it. */
    public static final String ANSWERED_BY = "X-Wafleet-Answered-By";

    private static final Pattern ACCOUNT_PATH =
            Pattern.compile("^/api/v1/accounts/([^/]+)(/[^/]+)?$", Pattern.CASE_INSENSITIVE);
    private static final List<String> REQUEST_HEADERS = List.of("Authorization", "Content-Type", "Accept");
    private static final List<String> ANSWER_HEADERS = List.of("Content-Type", "Retry-After", "Location");
    /** Longer than any account call waits for its answer ({@code spring.mvc.async.request-timeout}). */
    private static final Duration TIMEOUT = Duration.ofSeconds(130);

    private final RequestConsumer requests;
    private final RouterMembers members;
    private final HttpClient http;
    private final ClientAddress clients;

    public OwnerForwarding(RequestConsumer requests, RouterMembers members, HttpClient http, ClientAddress clients) {
        this.requests = requests;
        this.members = members;
        this.http = http;
        this.clients = clients;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String accountId = accountOf(request);
        if (accountId == null || !AccountsController.isAccountId(accountId) || requests.holds(accountId)) {
            chain.doFilter(request, response); // bad ids are refused by the controllers, with the field named
            return;
        }
        RouterMember owner = members.owner(requests.partitionOf(accountId));
        if (owner == null || request.getHeader(FORWARDED_BY) != null) {
            moving(response, accountId);
            return;
        }
        forward(request, owner);
    }

    /** The account a call is about, if it is one forwarded to the account's owner (the routed path, in any case). */
    static String accountOf(HttpServletRequest request) {
        String path = PathFirewallFilter.routedPath(request);
        Matcher account = ACCOUNT_PATH.matcher(path);
        if (account.matches()) {
            return account.group(1);
        }
        if (path.equalsIgnoreCase("/api/v1/servers/select") && "GET".equals(request.getMethod())) {
            return request.getParameter("accountId");
        }
        return null;
    }

    private void forward(HttpServletRequest request, RouterMember owner) throws IOException {
        byte[] body = request.getInputStream().readAllBytes();
        String query = request.getQueryString();
        HttpRequest.Builder call = HttpRequest.newBuilder(
                        URI.create(owner.getApiUrl() + request.getRequestURI() + (query == null ? "" : "?" + query)))
                .timeout(TIMEOUT)
                .header(FORWARDED_BY, members.routerId())
                .method(
                        request.getMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : REQUEST_HEADERS) {
            String value = request.getHeader(header);
            if (value != null) {
                call.header(header, value);
            }
        }
        clients.forwardedHeader(request).ifPresent(client -> call.header(ForwardedClients.HEADER, client));
        AsyncContext async = request.startAsync();
        async.setTimeout(TIMEOUT.plusSeconds(5).toMillis());
        http.sendAsync(call.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((answer, error) -> {
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            try {
                if (error != null) {
                    log.warn("owner {} of a call did not answer: {}", owner.getRouterId(), error.toString());
                    moving(response, null);
                } else {
                    response.setStatus(answer.statusCode());
                    for (String header : ANSWER_HEADERS) {
                        answer.headers().firstValue(header).ifPresent(value -> response.setHeader(header, value));
                    }
                    response.setHeader(ANSWERED_BY, owner.getRouterId());
                    response.getOutputStream().write(answer.body());
                }
            } catch (IOException | RuntimeException e) {
                log.debug("the caller left before its forwarded answer came: {}", e.toString());
            } finally {
                async.complete();
            }
        });
    }

    private static void moving(HttpServletResponse response, String accountId) throws IOException {
        response.setHeader("Retry-After", "1");
        Problems.write(
                response,
                503,
                "account-moving",
                "Account moving",
                (accountId == null ? "the account's" : "account " + accountId + "'s")
                        + " router is changing (a rebalance, or its router stopped): try again in a second");
    }
}
