package io.wafleet.router.webhooks;

import io.wafleet.schemas.ApiKeyCipher;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each server's webhook secret, derived from the API key encryption key ring ({@link ApiKeyCipher#derivedSecrets}):
 * nothing is stored, every router derives the same secret, one server's secret proves nothing for another, and after
 * a key rotation the secrets of the old key still prove until it leaves the ring. Without an encryption key there are
 * no secrets: no webhook is asked for and every delivery is refused.
 *
 * <p>A delivery proves its server by any of: WAHA Plus's {@code X-Webhook-Hmac} (hex HMAC-SHA512 of the body keyed
 * by the secret, the session's {@code hmac.key}); {@code Authorization: Bearer <secret>} (Evolution's webhook
 * {@code headers}, WAHA Plus's {@code customHeaders}); or {@code ?token=<secret>} for WAHA Core, which sends neither.
 * Every comparison takes the same time whatever matches.
 */
public final class WebhookSecrets {

    /** What a delivery presented; any part may be null. */
    public record Proof(String hmacHex, String bearer, String token, byte[] body) {}

    private final ApiKeyCipher cipher;

    /** @param cipher the encryption key ring, or null when none is configured */
    public WebhookSecrets(ApiKeyCipher cipher) {
        this.cipher = cipher;
    }

    /** The server's current secret, or empty without an encryption key. */
    public Optional<String> secret(String serverId) {
        return cipher == null ? Optional.empty() : Optional.of(secrets(serverId).get(0));
    }

    /** Whether the delivery proves it comes from the server; a signature, once given, must be right. */
    public boolean proves(String serverId, Proof proof) {
        if (cipher == null) {
            return false;
        }
        List<String> secrets = secrets(serverId);
        if (proof.hmacHex() != null) {
            byte[] given =
                    proof.hmacHex().trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            boolean signed = false;
            for (String secret : secrets) {
                signed |= MessageDigest.isEqual(given, hmacSha512Hex(secret, proof.body()));
            }
            return signed;
        }
        boolean matched = false;
        for (String secret : secrets) {
            byte[] expected = secret.getBytes(StandardCharsets.UTF_8);
            matched |= proof.bearer() != null
                    && MessageDigest.isEqual(expected, proof.bearer().getBytes(StandardCharsets.UTF_8));
            matched |= proof.token() != null
                    && MessageDigest.isEqual(expected, proof.token().getBytes(StandardCharsets.UTF_8));
        }
        return matched;
    }

    private List<String> secrets(String serverId) {
        return cipher.derivedSecrets("webhook:" + serverId);
    }

    static byte[] hmacSha512Hex(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return HexFormat.of().formatHex(mac.doFinal(body)).getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA512 is not available", e);
        }
    }
}
