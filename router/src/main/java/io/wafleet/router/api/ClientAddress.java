package io.wafleet.router.api;

import io.wafleet.client.IpRules;
import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The address of the client behind a request. {@code X-Forwarded-For} is believed only from the proxies the operator
 * names ({@code WAFLEET_TRUSTED_PROXIES}, CIDR blocks; none by default): walking it from the right, the first address
 * that is not a trusted proxy is the client. From anyone else the header is ignored, so nobody picks their own rate
 * limit bucket by sending it. A call another router forwarded names its client in a signed header ({@link
 * ForwardedClients}), believed when its signature holds.
 */
public final class ClientAddress {

    private final List<IpRules.Cidr> trustedProxies;
    private final Optional<ForwardedClients> forwarded;
    /** Where this instance keeps a request's client once worked out (its own: another may trust otherwise). */
    private final String attribute = ClientAddress.class.getName() + "@" + System.identityHashCode(this);

    public ClientAddress(List<String> trustedProxies) {
        this(trustedProxies, Optional.empty());
    }

    public ClientAddress(List<String> trustedProxies, Optional<ForwardedClients> forwarded) {
        this.forwarded = forwarded;
        this.trustedProxies = trustedProxies.stream()
                .map(text -> IpRules.parseCidr(text)
                        .orElseThrow(() -> new IllegalStateException(
                                "WAFLEET_TRUSTED_PROXIES: '" + text + "' is not an address or a CIDR block")))
                .toList();
    }

    /** The request's client, worked out once per request (the rate limit, the token check and forwarding ask). */
    public String of(HttpServletRequest request) {
        if (request.getAttribute(attribute) instanceof String known) {
            return known;
        }
        String client = resolve(request);
        request.setAttribute(attribute, client);
        return client;
    }

    private String resolve(HttpServletRequest request) {
        Optional<String> client =
                forwarded.flatMap(clients -> clients.verify(request.getHeader(ForwardedClients.HEADER)));
        if (client.isPresent()) {
            return client.get();
        }
        String remote = request.getRemoteAddr();
        if (trustedProxies.isEmpty() || !trusted(remote)) {
            return remote;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return remote;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            Optional<InetAddress> address = IpRules.literal(hop);
            if (address.isEmpty()) {
                // Garbage in the chain: the last hop we can vouch for is the client.
                return i == hops.length - 1 ? remote : hops[i + 1].strip();
            }
            if (!trusted(hop)) {
                return address.get().getHostAddress();
            }
        }
        return hops[0].strip();
    }

    /** The header naming this call's client for a router it is forwarded to; empty without a shared key. */
    public Optional<String> forwardedHeader(HttpServletRequest request) {
        return forwarded.map(clients -> clients.sign(of(request)));
    }

    private boolean trusted(String address) {
        Optional<InetAddress> parsed = IpRules.literal(address);
        return parsed.isPresent() && trustedProxies.stream().anyMatch(cidr -> cidr.contains(parsed.get()));
    }
}
