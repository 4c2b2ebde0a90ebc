package io.wafleet.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP addresses and CIDR blocks as a server config writes them ({@code ipAddress}, {@code allowedIps}), parsed
 * without any DNS lookup: an IPv4 dotted quad or an IPv6 literal, a block with its prefix length ({@code 10.0.0.0/8},
 * {@code fd00::/8}; a bare address is a block of one).
 */
public final class IpRules {

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    /** A block of addresses. */
    public record Cidr(byte[] network, int prefix, String text) {

        /** Whether the address is inside the block (an IPv4 address is never inside an IPv6 block). */
        public boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cidr cidr
                    && prefix == cidr.prefix
                    && java.util.Arrays.equals(network, cidr.network);
        }

        @Override
        public int hashCode() {
            return 31 * java.util.Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    private IpRules() {}

    /** The address a literal names, or empty when it is not an IPv4 or IPv6 literal. */
    public static Optional<InetAddress> literal(String text) {
        if (text == null
                || !(IPV4.matcher(text).matches()
                        || (text.contains(":") && IPV6.matcher(text).matches()))) {
            return Optional.empty();
        }
        try {
            // A literal: no lookup happens (a text with ':' is parsed as IPv6 or refused).
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The block a text names, or empty when it is not an address or address/prefix. */
    public static Optional<Cidr> parseCidr(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        Optional<InetAddress> address = literal(slash < 0 ? text : text.substring(0, slash));
        if (address.isEmpty()) {
            return Optional.empty();
        }
        int bits = address.get().getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
                return Optional.empty();
            }
            prefix = Integer.parseInt(length);
        }
        return Optional.of(new Cidr(address.get().getAddress(), prefix, text));
    }

    static Optional<ServerConfigRules.Violation> address(String field, String value) {
        return value == null || literal(value).isPresent()
                ? Optional.empty()
                : Optional.of(new ServerConfigRules.Violation(
                        field, "must be an IPv4 or IPv6 address, was '" + shown(value) + "'"));
    }

    static Optional<ServerConfigRules.Violation> cidr(String field, String value) {
        return parseCidr(value).isPresent()
                ? Optional.empty()
                : Optional.of(new ServerConfigRules.Violation(
                        field, "must be an address or a CIDR block like 10.0.0.0/8, was '" + shown(value) + "'"));
    }

    /** At most 64 characters of a value, control characters replaced: safe to put in a message. */
    static String shown(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
