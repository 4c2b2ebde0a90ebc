package io.wafleet.client;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a server may be reached at: its config's {@code ipAddress} (dialled instead of resolving the
 * hostname; TLS and {@code Host} keep the hostname) and {@code allowedIps} (every address connected to must be inside
 * one). Link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) are refused unless a block
 * of {@code allowedIps} within their range names them.
 */
public record AddressPolicy(InetAddress ipAddress, List<IpRules.Cidr> allowed) {

    public static final AddressPolicy NONE = new AddressPolicy(null, List.of());

    private static final List<IpRules.Cidr> METADATA = List.of(
            IpRules.parseCidr("169.254.0.0/16").orElseThrow(),
            IpRules.parseCidr("fe80::/10").orElseThrow(),
            IpRules.parseCidr("fd00:ec2::254/128").orElseThrow());

    public AddressPolicy {
        allowed = List.copyOf(allowed);
    }

    /** The policy of a config's {@code ipAddress} and {@code allowedIps} (already validated). */
    public static AddressPolicy of(String ipAddress, List<String> allowedIps) {
        return new AddressPolicy(
                ipAddress == null ? null : IpRules.literal(ipAddress).orElse(null),
                allowedIps.stream()
                        .flatMap(text -> IpRules.parseCidr(text).stream())
                        .toList());
    }

    /**
     * Why the address may not be connected to, if it may not. A link-local or metadata address needs a block of
     * allowedIps within its own range ({@code 169.254.10.0/24}, not {@code 0.0.0.0/0}).
     */
    public Optional<String> refusal(InetAddress address) {
        boolean inAllowed = allowed.stream().anyMatch(block -> block.contains(address));
        for (IpRules.Cidr metadata : METADATA) {
            if (metadata.contains(address)
                    && allowed.stream()
                            .noneMatch(block -> block.contains(address) && block.prefix() >= metadata.prefix())) {
                return Optional.of(
                        address.getHostAddress() + " is a link-local or metadata address, not named in allowedIps");
            }
        }
        if (!allowed.isEmpty() && !inAllowed) {
            return Optional.of(address.getHostAddress() + " is outside allowedIps " + allowed);
        }
        return Optional.empty();
    }
}
