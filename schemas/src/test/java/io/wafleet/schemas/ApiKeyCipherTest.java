package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * API keys are sealed with AES-GCM, bound to their server's id and origin: the ciphertext hides them, tampering or
 * moving them is caught, the key ring rotates, secrets stay out of errors.
 */
class ApiKeyCipherTest {

    private static final byte[] OLD_BYTES = new byte[32];
    private static final String OLD = Base64.getEncoder().encodeToString(OLD_BYTES);
    private static final String NEW = Base64.getEncoder().encodeToString(bytes(7));
    private static final String SECRET = "waha-secret-key-123";
    private static final ApiKeyCipher.Binding SERVER = ApiKeyCipher.Binding.of("s-1", "HTTPS", "WA.example", 443);

    private final ApiKeyCipher cipher = ApiKeyCipher.fromBase64Key(OLD);

    @Test
    void derivedSecretsAreStablePerPurposeAndTheOldKeysStillDeriveTheirs() {
        ApiKeyCipher rotated = ApiKeyCipher.ring(NEW, java.util.List.of(OLD));
        ApiKeyCipher before = ApiKeyCipher.fromBase64Key(OLD);

        java.util.List<String> secrets = rotated.derivedSecrets("webhook:srv-1");

        assertThat(secrets).hasSize(2).doesNotHaveDuplicates();
        assertThat(secrets.get(0)).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(ApiKeyCipher.ring(NEW, java.util.List.of(OLD)).derivedSecrets("webhook:srv-1"))
                .isEqualTo(secrets);
        assertThat(secrets.get(1))
                .isEqualTo(before.derivedSecrets("webhook:srv-1").get(0));
        assertThat(rotated.derivedSecrets("webhook:srv-2").get(0)).isNotEqualTo(secrets.get(0));
        assertThat(secrets.get(0)).doesNotContain(NEW).doesNotContain(OLD);
    }

    @Test
    void aKeyRoundTripsAndItsCiphertextHidesItAndNamesItsKey() {
        String sealed = cipher.encrypt(SECRET, SERVER);

        assertThat(SERVER.origin()).isEqualTo("https://wa.example:443");
        assertThat(sealed).startsWith("v2:" + cipher.currentKeyId() + ":").doesNotContain(SECRET);
        assertThat(cipher.currentKeyId()).hasSize(8).doesNotContain(OLD);
        assertThat(cipher.decrypt(sealed, SERVER)).isEqualTo(SECRET);
        assertThat(cipher.encrypt(SECRET, SERVER)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void aCiphertextMovedToAnotherServerOrOriginDoesNotDecrypt() {
        String sealed = cipher.encrypt(SECRET, SERVER);

        for (ApiKeyCipher.Binding other : List.of(
                ApiKeyCipher.Binding.of("s-2", "https", "wa.example", 443),
                ApiKeyCipher.Binding.of("s-1", "http", "wa.example", 443),
                ApiKeyCipher.Binding.of("s-1", "https", "evil.example", 443),
                ApiKeyCipher.Binding.of("s-1", "https", "wa.example", 8443))) {
            assertThatThrownBy(() -> cipher.decrypt(sealed, other))
                    .as(other.toString())
                    .hasMessageContaining("does not decrypt with this key for this server's id and origin")
                    .hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void tamperingOrAnotherKeyIsRefusedWithoutShowingTheSecret() {
        String sealed = cipher.encrypt(SECRET, SERVER);
        char[] chars = sealed.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';

        assertThatThrownBy(() -> cipher.decrypt(new String(chars), SERVER)).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> ApiKeyCipher.fromBase64Key(NEW).decrypt(sealed, SERVER))
                .hasMessageContaining("not in this service's key ring")
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> cipher.decrypt("plaintext", SERVER)).hasMessageContaining("starts with v2:");
    }

    @Test
    void theRingEncryptsWithTheCurrentKeyAndDecryptsWithEveryKey() {
        String underOld = cipher.encrypt(SECRET, SERVER);
        ApiKeyCipher rotated = ApiKeyCipher.ring(NEW, List.of(OLD));

        String underNew = rotated.encrypt(SECRET, SERVER);

        assertThat(rotated.currentKeyId()).isNotEqualTo(cipher.currentKeyId());
        assertThat(rotated.decrypt(underOld, SERVER)).isEqualTo(SECRET);
        assertThat(rotated.decrypt(underNew, SERVER)).isEqualTo(SECRET);
        assertThat(rotated.isCurrent(underNew)).isTrue();
        assertThat(rotated.isCurrent(underOld)).isFalse();
        assertThat(rotated.toString()).doesNotContain(NEW).doesNotContain(OLD);
    }

    @Test
    void theOlderUnboundFormStillDecryptsUntilReencrypted() throws Exception {
        String v1 = legacy(OLD_BYTES, SECRET);
        ApiKeyCipher rotated = ApiKeyCipher.ring(NEW, List.of(OLD));

        assertThat(rotated.decrypt(v1, SERVER)).isEqualTo(SECRET);
        assertThat(rotated.isCurrent(v1)).isFalse();
        assertThatThrownBy(() -> ApiKeyCipher.fromBase64Key(NEW).decrypt(v1, SERVER))
                .hasMessageContaining("does not decrypt with any key of the ring");
    }

    @Test
    void aKeyOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> ApiKeyCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("must be 32 bytes");
        assertThat(cipher.toString()).doesNotContain(OLD);
    }

    /** The v1 form as wafleet wrote it before keys were bound: AES-GCM without associated data. */
    private static String legacy(byte[] key, String plaintext) throws Exception {
        byte[] nonce = bytes(3);
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce, 0, 12));
        byte[] sealed = aes.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        return "v1:"
                + Base64.getEncoder()
                        .encodeToString(ByteBuffer.allocate(12 + sealed.length)
                                .put(nonce, 0, 12)
                                .put(sealed)
                                .array());
    }

    private static byte[] bytes(int seed) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }
}
