package io.wafleet.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The HTTP client's resolver: the addresses it returns are the ones the client connects to, so checking them here
 * is checking at connect time (a DNS answer that changes between two calls is checked again; no earlier lookup is
 * trusted). A host's {@link AddressPolicy} comes from the endpoints that name it; an address it refuses is dropped,
 * and when none is left the call fails with {@link AddressRefused}.
 */
final class PolicyDnsResolver implements DnsResolver {

    /** No address of the host may be connected to. */
    static final class AddressRefused extends UnknownHostException {
        AddressRefused(String message) {
            super(message);
        }
    }

    private final Map<String, AddressPolicy> policies = new ConcurrentHashMap<>();

    /**
     * The policy of {@code host:port} (servers often share a host on different ports); the last endpoint registered
     * for it sets it. Connections opened under an older policy are not reused for it: each carries its policy as
     * its pool state (see {@code ServerClients}).
     */
    void register(String host, int port, AddressPolicy policy) {
        policies.put(key(host, port), policy);
    }

    /** Without a port no server's policy applies; link-local and metadata addresses are still refused. */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return resolve(host, AddressPolicy.NONE);
    }

    private static String key(String host, int port) {
        return host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    private InetAddress[] resolve(String host, AddressPolicy policy) throws UnknownHostException {
        InetAddress[] candidates;
        if (policy.ipAddress() != null) {
            candidates = new InetAddress[] {policy.ipAddress()};
        } else {
            candidates = IpRules.literal(host)
                    .map(address -> new InetAddress[] {address})
                    .orElse(null);
            if (candidates == null) {
                candidates = SystemDefaultDnsResolver.INSTANCE.resolve(host);
            }
        }
        List<InetAddress> allowed = new ArrayList<>();
        String refusal = null;
        for (InetAddress candidate : candidates) {
            var refused = policy.refusal(candidate);
            if (refused.isPresent()) {
                refusal = refused.get();
            } else {
                allowed.add(candidate);
            }
        }
        if (allowed.isEmpty()) {
            throw new AddressRefused(host + ": " + (refusal == null ? "no address" : refusal));
        }
        return allowed.toArray(InetAddress[]::new);
    }

    /** What the client's connection requester asks: the addresses of {@code host:port} its policy allows. */
    @Override
    public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (InetAddress address : resolve(host, policies.getOrDefault(key(host, port), AddressPolicy.NONE))) {
            addresses.add(new InetSocketAddress(address, port));
        }
        return addresses;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
