package io.wafleet.router.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client behind a call one router forwards to another ({@link OwnerForwarding}, {@link AccountListing}): the
 * forwarding router names the client's address in {@link #HEADER}, signed (HMAC-SHA256, with a key derived from the
 * API-key encryption key every router of a deployment shares) and dated, so the owner rate-limits and checks tokens'
 * address rules against the client, not against the forwarding router. A header that does not verify, or is older
 * than {@link #VALID_FOR}, is ignored: nobody else can choose the address they are counted under.
 */
public final class ForwardedClients {

    public static final String HEADER = "X-Wafleet-Client";

    static final Duration VALID_FOR = Duration.ofSeconds(60);
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] PURPOSE = "wafleet forwarded client v1".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec key;
    private final Clock clock;

    private ForwardedClients(byte[] sharedKey, Clock clock) {
        this.key = new SecretKeySpec(mac(new SecretKeySpec(sharedKey, ALGORITHM), PURPOSE), ALGORITHM);
        this.clock = clock;
    }

    /** Signing and verifying with a key derived from the routers' shared base64 key; none without one. */
    public static Optional<ForwardedClients> of(String sharedBase64Key, Clock clock) {
        if (sharedBase64Key == null || sharedBase64Key.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new ForwardedClients(Base64.getDecoder().decode(sharedBase64Key.strip()), clock));
    }

    /** The header's value naming {@code client}: {@code address;epochSeconds;signature}. */
    public String sign(String client) {
        String signed = client + ";" + clock.instant().getEpochSecond();
        return signed + ";" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, bytes(signed)));
    }

    /** The client the header names, when its signature holds and it is recent; empty otherwise. */
    public Optional<String> verify(String header) {
        if (header == null || header.length() > 200) {
            return Optional.empty();
        }
        int last = header.lastIndexOf(';');
        int first = header.indexOf(';');
        if (first <= 0 || last == first) {
            return Optional.empty();
        }
        String signed = header.substring(0, last);
        byte[] given;
        long at;
        try {
            given = Base64.getUrlDecoder().decode(header.substring(last + 1));
            at = Long.parseLong(signed.substring(first + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        long age = clock.instant().getEpochSecond() - at;
        if (!MessageDigest.isEqual(mac(key, bytes(signed)), given) || Math.abs(age) > VALID_FOR.toSeconds()) {
            return Optional.empty();
        }
        return Optional.of(signed.substring(0, first));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java has " + ALGORITHM, e);
        }
    }
}
