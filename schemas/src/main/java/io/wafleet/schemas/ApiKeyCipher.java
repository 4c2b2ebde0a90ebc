package io.wafleet.schemas;

import io.wafleet.avro.ServerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts servers' API keys for storage and topics, and decrypts them in memory where a server is called.
 * AES-256-GCM with a random 12-byte nonce, the text form {@code v2:<key id>:} + base64(nonce || ciphertext || tag).
 * The associated data is the server's id and origin ({@code protocol://hostname:port}): a ciphertext copied to another
 * server, or left on a server whose address changed, does not decrypt. Keys form a ring: the current key
 * ({@code WAFLEET_API_KEY_ENCRYPTION_KEY}) encrypts, it and the old ones ({@code WAFLEET_API_KEY_OLD_KEYS}) decrypt,
 * each found by its id (the first 8 hex digits of the key's SHA-256), so the key can be rotated without downtime and
 * {@code ./wafleet reencrypt-keys} moves every stored key to the current one. The older {@code v1:} form (no key id,
 * no binding) still decrypts, with any key of the ring, until it is re-encrypted.
 */
public final class ApiKeyCipher {

    /** What a ciphertext is bound to: the server's id and origin. */
    public record Binding(String serverId, String origin) {

        /** The binding of a server config: its id and {@code protocol://hostname:port}, in lower case. */
        public static Binding of(ServerConfig config) {
            return of(config.getId(), config.getProtocol().name(), config.getHostname(), config.getPort());
        }

        public static Binding of(String serverId, String protocol, String hostname, int port) {
            return new Binding(
                    serverId,
                    protocol.toLowerCase(Locale.ROOT) + "://" + hostname.toLowerCase(Locale.ROOT) + ":" + port);
        }

        byte[] associatedData() {
            return ("wafleet-api-key\u0000" + serverId + "\u0000" + origin).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final String V1 = "v1:";
    private static final String V2 = "v2:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private record Key(String id, SecretKey secret) {}

    private final Key current;
    private final Map<String, Key> ring = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private ApiKeyCipher(Key current, List<Key> old) {
        this.current = current;
        ring.put(current.id(), current);
        old.forEach(key -> ring.putIfAbsent(key.id(), key));
    }

    /** A cipher with one key, 32 bytes in base64; an unusable key is refused without repeating it. */
    public static ApiKeyCipher fromBase64Key(String base64Key) {
        return ring(base64Key, List.of());
    }

    /**
     * The ring a service's settings describe ({@code WAFLEET_API_KEY_ENCRYPTION_KEY}, {@code
     * WAFLEET_API_KEY_OLD_KEYS}), or null when no current key is set: then no key can be opened or sealed.
     */
    public static ApiKeyCipher ofSettings(String currentBase64, List<String> oldBase64) {
        return currentBase64 == null || currentBase64.isBlank() ? null : ring(currentBase64, oldBase64);
    }

    /** A cipher whose current key encrypts and which also decrypts with the old ones. */
    public static ApiKeyCipher ring(String currentBase64, List<String> oldBase64) {
        List<Key> old = new ArrayList<>();
        for (String key : oldBase64) {
            if (!key.isBlank()) {
                old.add(key(key));
            }
        }
        return new ApiKeyCipher(key(currentBase64), old);
    }

    /**
     * A secret for {@code purpose} from each key of the ring, the current key's first: HMAC-SHA256 of the purpose
     * under the key, in unpadded base64url (43 characters). Nothing needs storing, every instance with the same ring
     * derives the same secrets, and one purpose's secret says nothing of another's or of the key. A secret made with an
     * old key stays valid while that key is in the ring, so the ring rotates without breaking what holds one.
     */
    public List<String> derivedSecrets(String purpose) {
        List<String> secrets = new ArrayList<>();
        for (Key key : ring.values()) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.secret().getEncoded(), "HmacSHA256"));
                byte[] secret = mac.doFinal(("wafleet-derived\u0000" + purpose).getBytes(StandardCharsets.UTF_8));
                secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC-SHA256 is not available", e);
            }
        }
        return secrets;
    }

    /** The id of the key that encrypts. */
    public String currentKeyId() {
        return current.id();
    }

    public String encrypt(String plaintext, Binding binding) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.secret(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(binding.associatedData());
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return V2 + current.id() + ":"
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The plaintext key; a value that is not ours, was tampered with, belongs to another server or origin, or was
     * sealed with a key outside the ring is refused without showing it.
     */
    public String decrypt(String ciphertext, Binding binding) {
        if (ciphertext != null && ciphertext.startsWith(V2)) {
            int colon = ciphertext.indexOf(':', V2.length());
            Key key = colon < 0 ? null : ring.get(ciphertext.substring(V2.length(), colon));
            if (key == null) {
                throw new IllegalArgumentException("the encrypted API key was sealed with a key that is not in this"
                        + " service's key ring (WAFLEET_API_KEY_ENCRYPTION_KEY, WAFLEET_API_KEY_OLD_KEYS)");
            }
            return open(key, ciphertext.substring(colon + 1), binding.associatedData());
        }
        if (ciphertext != null && ciphertext.startsWith(V1)) {
            for (Key key : ring.values()) {
                try {
                    return open(key, ciphertext.substring(V1.length()), null);
                } catch (IllegalArgumentException wrongKey) {
                    // try the next key of the ring
                }
            }
            throw new IllegalArgumentException("the encrypted API key does not decrypt with any key of the ring");
        }
        throw new IllegalArgumentException("an encrypted API key starts with v2: (or the older v1:)");
    }

    /** Whether a ciphertext is sealed with the current key and bound (nothing for re-encryption to do). */
    public boolean isCurrent(String ciphertext) {
        return ciphertext != null && ciphertext.startsWith(V2 + current.id() + ":");
    }

    private static String open(Key key, String base64, byte[] associatedData) {
        try {
            byte[] all = Base64.getDecoder().decode(base64);
            if (all.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("the encrypted API key is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            if (associatedData != null) {
                cipher.updateAAD(associatedData);
            }
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encrypted API key is not valid base64 or too short");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "the encrypted API key does not decrypt with this key for this server's id and origin");
        }
    }

    private static Key key(String base64Key) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key == null ? "" : base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the API key encryption key is not valid base64");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(
                    "the API key encryption key must be 32 bytes (base64), was " + bytes.length + " bytes");
        }
        try {
            String id = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 8);
            return new Key(id, new SecretKeySpec(bytes, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeyCipher[AES-256-GCM, current key " + current.id() + ", ring " + ring.keySet() + "]";
    }
}
