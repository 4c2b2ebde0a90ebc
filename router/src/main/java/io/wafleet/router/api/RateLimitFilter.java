package io.wafleet.router.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token bucket (Bucket4j) per key on {@code /api/**}: per client address ({@link ClientAddress}) before the token
 * check, so an unauthenticated flood is limited too, and per token ({@link Actor}) after it, so one leaked or busy
 * token cannot take the API from the others. A client over its rate gets {@code 429} with {@code Retry-After}.
 * Buckets unused for a minute expire, and at most {@code 100,000} are kept.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private final String what;
    private final int perSecond;
    private final Function<HttpServletRequest, String> key;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(1))
            .maximumSize(100_000)
            .build();

    private RateLimitFilter(String what, int perSecond, Function<HttpServletRequest, String> key) {
        this.what = what;
        this.perSecond = perSecond;
        this.key = key;
    }

    public static RateLimitFilter perAddress(int perSecond, ClientAddress clients) {
        return new RateLimitFilter("this address", perSecond, clients::of);
    }

    /** Keyed by the token's name; requests without one (open calls) pass. */
    public static RateLimitFilter perToken(int perSecond) {
        return new RateLimitFilter("this token", perSecond, request -> {
            Object actor = request.getAttribute(Actor.ATTRIBUTE);
            return actor == null ? null : actor.toString();
        });
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return perSecond <= 0 || !PathFirewallFilter.isApi(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = key.apply(request);
        if (client == null) {
            chain.doFilter(request, response);
            return;
        }
        Bucket bucket = buckets.get(
                client,
                ignored -> Bucket.builder()
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
                "more than " + perSecond + " requests a second from " + what);
    }
}
