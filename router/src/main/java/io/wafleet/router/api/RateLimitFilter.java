package io.wafleet.router.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token bucket (Bucket4j) per client address on the public API ({@code GET /api/v1/**}): a client over its rate
 * gets {@code 429} with {@code Retry-After}. The admin API is behind its token instead.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private static final int MAX_CLIENTS = 100_000;

    private final int perSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimitFilter(int perSecond) {
        this.perSecond = perSecond;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return perSecond <= 0 || !request.getMethod().equals("GET") || !PathFirewallFilter.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (buckets.size() > MAX_CLIENTS) {
            // Bounded memory under many addresses: start over rather than grow.
            buckets.clear();
        }
        Bucket bucket = buckets.computeIfAbsent(
                request.getRemoteAddr(),
                address -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(perSecond)
                                .refillGreedy(perSecond, Duration.ofSeconds(1))
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds =
                Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
        response.setHeader("Retry-After", Long.toString(seconds));
        Problems.write(
                response,
                429,
                "rate-limited",
                "Too many requests",
                "more than " + perSecond + " requests a second from this address");
    }
}
