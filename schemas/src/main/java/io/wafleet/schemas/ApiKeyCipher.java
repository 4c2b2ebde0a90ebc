package io.wafleet.schemas;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts servers' API keys for storage and topics, and decrypts them in memory where a server is called. AES-256-GCM
 * with a random 12-byte nonce; the text form is {@code v1:} + base64(nonce || ciphertext || tag). The key comes from
 * configuration as 32 bytes in base64 ({@code WAFLEET_API_KEY_ENCRYPTION_KEY}).
 */
public final class ApiKeyCipher {

    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private ApiKeyCipher(SecretKey key) {
        this.key = key;
    }

    /** A cipher with the base64 key of 32 bytes; an unusable key is refused without repeating it. */
    public static ApiKeyCipher fromBase64Key(String base64Key) {
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
        return new ApiKeyCipher(new SecretKeySpec(bytes, "AES"));
    }

    public String encrypt(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX
                    + Base64.getEncoder()
                            .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                    .put(nonce)
                                    .put(sealed)
                                    .array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext key; a value that is not ours or was tampered with is refused without showing it. */
    public String decrypt(String ciphertext) {
        if (ciphertext == null || !ciphertext.startsWith(PREFIX)) {
            throw new IllegalArgumentException("an encrypted API key starts with " + PREFIX);
        }
        try {
            byte[] all = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
            if (all.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("the encrypted API key is too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encrypted API key is not valid base64 or too short");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the encrypted API key does not decrypt with this key");
        }
    }

    @Override
    public String toString() {
        return "ApiKeyCipher[AES-256-GCM, key ***]";
    }
}
