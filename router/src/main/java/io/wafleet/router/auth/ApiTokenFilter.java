package io.wafleet.router.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.router.api.Actor;
import io.wafleet.router.api.BearerToken;
import io.wafleet.router.api.ClientAddress;
import io.wafleet.router.api.PathFirewallFilter;
import io.wafleet.router.api.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bearer tokens on {@code /api/**} (the routed path, in any case): the call needs a token whose role includes the
 * one {@link AccessRules} names, and the token's name becomes the request's {@link Actor}. A failure is a 401 (no
 * token, or not a known one) or a 403 (a known token of too small a role), counted in
 * {@code wafleet_router_auth_failures_total{reason}} and logged with the address and path, never the token.
 */
public final class ApiTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ApiTokenFilter.class);

    private final ApiTokens tokens;
    private final AccessRules rules;
    private final MeterRegistry meters;
    private final ClientAddress clients;

    public ApiTokenFilter(ApiTokens tokens, AccessRules rules, MeterRegistry meters, ClientAddress clients) {
        this.tokens = tokens;
        this.rules = rules;
        this.meters = meters;
        this.clients = clients;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The routed path, not the raw URI: "/%61pi/v1/..." and "/api;x/v1/..." are routed to /api/v1/ too.
        return !PathFirewallFilter.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Role required = rules.required(request.getMethod(), PathFirewallFilter.routedPath(request));
        String presented = BearerToken.of(request.getHeader("Authorization"));
        ApiTokens.Token token = presented == null ? null : tokens.find(presented);
        if (required == null) {
            if (token != null) {
                request.setAttribute(Actor.ATTRIBUTE, token.name());
            }
            chain.doFilter(request, response);
            return;
        }
        if (token == null) {
            String reason = presented == null ? "missing" : "invalid";
            fail(request, reason, null);
            response.setHeader("WWW-Authenticate", "Bearer");
            String detail = tokens.isEmpty()
                    ? "no API token is configured: set WAFLEET_ADMIN_TOKEN or WAFLEET_TOKENS_FILE"
                    : presented == null ? "this call needs a bearer token" : "the bearer token is not valid";
            Problems.write(response, 401, "unauthorized", "Unauthorized", detail);
            return;
        }
        if (!token.role().includes(required)) {
            fail(request, "forbidden", token.name());
            Problems.write(
                    response,
                    403,
                    "forbidden",
                    "Forbidden",
                    "this call needs the " + required + " role; token '" + token.name() + "' is " + token.role());
            return;
        }
        request.setAttribute(Actor.ATTRIBUTE, token.name());
        chain.doFilter(request, response);
    }

    private void fail(HttpServletRequest request, String reason, String tokenName) {
        meters.counter("wafleet.router.auth.failures", "reason", reason).increment();
        log.warn(
                "authentication failed ({}{}): {} {} from {}",
                reason,
                tokenName == null ? "" : ", token " + tokenName,
                request.getMethod(),
                PathFirewallFilter.routedPath(request),
                clients.of(request));
    }
}
