package io.wafleet.client;

import io.wafleet.avro.Protocol;
import io.wafleet.avro.ServerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a server config must be for wafleet to call the server: one definition, applied by the admin API to what it
 * stores (a 400 naming the field) and by every service to what it reads from wa.server-configs (an invalid config
 * is reported, not called). Bounds keep every value usable where it goes: a timeout a client accepts, a capacity
 * ({@code maxInstances × maxUsersPerInstance}) that fits the views' integer, a hostname that is only a hostname.
 */
public final class ServerConfigRules {

    /** A field and what is wrong with it. */
    public record Violation(String field, String problem) {}

    /** An integer field's bounds, inclusive. */
    public record Bounds(String field, int min, int max) {
        Optional<Violation> check(long value) {
            return value < min || value > max
                    ? Optional.of(new Violation(field, "must be between " + min + " and " + max + ", was " + value))
                    : Optional.empty();
        }
    }

    public static final Bounds PORT = new Bounds("port", 1, 65_535);
    public static final Bounds CONNECTION_TIMEOUT = new Bounds("connectionTimeout", 1, 600_000);
    public static final Bounds REQUEST_TIMEOUT = new Bounds("requestTimeout", 1, 600_000);
    public static final Bounds MAX_RETRIES = new Bounds("maxRetries", 0, 10);
    public static final Bounds HEALTH_CHECK_INTERVAL = new Bounds("healthCheckInterval", 100, 86_400_000);
    public static final Bounds MAX_INSTANCES = new Bounds("maxInstances", 0, 100_000);
    public static final Bounds MAX_USERS_PER_INSTANCE = new Bounds("maxUsersPerInstance", 0, 1_000_000);
    public static final Bounds MESSAGING_RATE_LIMIT = new Bounds("messagingRateLimit", 0, 1_000_000);
    public static final Bounds PRIORITY = new Bounds("priority", -1_000_000, 1_000_000);
    public static final Bounds WEIGHT = new Bounds("weight", 0, 1_000_000);
    public static final Bounds RISE = new Bounds("rise", 1, 100);
    public static final Bounds FALL = new Bounds("fall", 1, 100);
    /** maxInstances × maxUsersPerInstance. */
    public static final long MAX_CAPACITY = 100_000_000;

    public static final int MAX_TAGS = 32;
    public static final int MAX_ALLOWED_IPS = 64;

    /** A text field's rule: a pattern (anchored) and the words that explain it. */
    private record Text(Pattern pattern, String rule) {}

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final String POOL = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    private static final Map<String, Text> TEXT = new LinkedHashMap<>();

    static {
        TEXT.put(
                "name",
                new Text(Pattern.compile("[^\\p{Cntrl}]{1,128}"), "1 to 128 characters, no control characters"));
        TEXT.put(
                "hostname",
                new Text(
                        Pattern.compile("(?=.{1,253}$)" + LABEL + "(?:\\." + LABEL + ")*\\.?"),
                        "a DNS hostname (letters, digits, '-' and '.', at most 253 characters); an IP address goes"
                                + " in ipAddress"));
        TEXT.put("environment", new Text(Pattern.compile(POOL), "1 to 64 of A-Z a-z 0-9 . _ -, starting alphanumeric"));
        TEXT.put("location", new Text(Pattern.compile(POOL), "1 to 64 of A-Z a-z 0-9 . _ -, starting alphanumeric"));
        TEXT.put("tags", new Text(Pattern.compile(POOL), "1 to 64 of A-Z a-z 0-9 . _ -, starting alphanumeric"));
        TEXT.put(
                "apiKey",
                new Text(
                        Pattern.compile("[\\x21-\\x7E]{1,512}"),
                        "1 to 512 visible ASCII characters (it goes in a header)"));
        TEXT.put(
                "basePath",
                new Text(Pattern.compile("(?=.{0,256}$)(/[A-Za-z0-9._~-]+)*"), "empty, or /-separated path segments"));
        TEXT.put(
                "healthCheckEndpoint",
                new Text(
                        Pattern.compile("(?=.{1,256}$)/[A-Za-z0-9._~/-]*"),
                        "a path starting with '/' (no query, at most 256 characters)"));
    }

    private ServerConfigRules() {}

    /** What is wrong with a text field's value, if anything; a field without a text rule is only length-checked. */
    public static Optional<Violation> text(String field, String value) {
        Text rule = TEXT.get(field);
        if (rule == null || value == null || rule.pattern().matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Violation(field, "must be " + rule.rule()));
    }

    /** What is wrong with a capacity, if anything. */
    public static Optional<Violation> capacity(int maxInstances, int maxUsersPerInstance) {
        long capacity = (long) maxInstances * maxUsersPerInstance;
        return capacity > MAX_CAPACITY
                ? Optional.of(new Violation(
                        "maxUsersPerInstance",
                        "maxInstances × maxUsersPerInstance must be at most " + MAX_CAPACITY + ", was " + capacity))
                : Optional.empty();
    }

    /**
     * An API key goes over https, or over plain http only to a server marked {@code trustedNetwork} (the operator
     * vouches that nobody can listen on the way: the same host, a private link, a service mesh that encrypts).
     */
    public static Optional<Violation> keyOverHttp(Protocol protocol, boolean trustedNetwork, boolean hasKey) {
        return hasKey && protocol == Protocol.HTTP && !trustedNetwork
                ? Optional.of(new Violation(
                        "apiKey", "is sent only over https, or over http to a server marked \"trustedNetwork\": true"))
                : Optional.empty();
    }

    /** The first thing wrong with a config, if anything. */
    public static Optional<Violation> check(ServerConfig config) {
        List<Function<ServerConfig, Optional<Violation>>> checks = List.of(
                c -> text("name", c.getName()),
                c -> text("hostname", c.getHostname()),
                c -> IpRules.address("ipAddress", c.getIpAddress()),
                c -> PORT.check(c.getPort()),
                c -> text("basePath", c.getBasePath()),
                c -> text("environment", c.getEnvironment()),
                c -> text("location", c.getLocation()),
                c -> CONNECTION_TIMEOUT.check(c.getConnectionTimeout()),
                c -> REQUEST_TIMEOUT.check(c.getRequestTimeout()),
                c -> MAX_RETRIES.check(c.getMaxRetries()),
                c -> HEALTH_CHECK_INTERVAL.check(c.getHealthCheckInterval()),
                c -> text("healthCheckEndpoint", c.getHealthCheckEndpoint()),
                c -> MAX_INSTANCES.check(c.getMaxInstances()),
                c -> MAX_USERS_PER_INSTANCE.check(c.getMaxUsersPerInstance()),
                c -> capacity(c.getMaxInstances(), c.getMaxUsersPerInstance()),
                c -> MESSAGING_RATE_LIMIT.check(c.getMessagingRateLimit()),
                c -> PRIORITY.check(c.getPriority()),
                c -> WEIGHT.check(c.getWeight()),
                c -> list("tags", c.getTags(), MAX_TAGS, tag -> text("tags", tag)),
                c -> list("allowedIps", c.getAllowedIps(), MAX_ALLOWED_IPS, cidr -> IpRules.cidr("allowedIps", cidr)),
                c -> keyOverHttp(c.getProtocol(), c.getTrustedNetwork(), c.getApiKeyCiphertext() != null),
                c -> c.getRise() == null ? Optional.empty() : RISE.check(c.getRise()),
                c -> c.getFall() == null ? Optional.empty() : FALL.check(c.getFall()));
        for (Function<ServerConfig, Optional<Violation>> check : checks) {
            Optional<Violation> violation = check.apply(config);
            if (violation.isPresent()) {
                return violation;
            }
        }
        return Optional.empty();
    }

    /** A list's size and each item's rule; the violation names the item ({@code tags[2]}). */
    public static Optional<Violation> list(
            String field, List<String> items, int max, Function<String, Optional<Violation>> rule) {
        if (items.size() > max) {
            return Optional.of(new Violation(field, "must have at most " + max + " items, had " + items.size()));
        }
        for (int i = 0; i < items.size(); i++) {
            Optional<Violation> violation = rule.apply(items.get(i));
            if (violation.isPresent()) {
                return Optional.of(
                        new Violation(field + "[" + i + "]", violation.get().problem()));
            }
        }
        return Optional.empty();
    }
}
