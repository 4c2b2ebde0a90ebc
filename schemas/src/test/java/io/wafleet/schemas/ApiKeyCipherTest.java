package io.wafleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** API keys are sealed with AES-GCM: the ciphertext hides them, tampering is caught, secrets stay out of errors. */
class ApiKeyCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private final ApiKeyCipher cipher = ApiKeyCipher.fromBase64Key(KEY);

    @Test
    void aKeyRoundTripsAndItsCiphertextHidesIt() {
        String sealed = cipher.encrypt("waha-secret-key-123");

        assertThat(sealed).startsWith("v1:").doesNotContain("waha-secret-key-123");
        assertThat(cipher.decrypt(sealed)).isEqualTo("waha-secret-key-123");
        assertThat(cipher.encrypt("waha-secret-key-123"))
                .as("a fresh nonce each time")
                .isNotEqualTo(sealed);
    }

    @Test
    void tamperingOrAnotherKeyIsRefusedWithoutShowingTheSecret() {
        String sealed = cipher.encrypt("waha-secret-key-123");
        char[] chars = sealed.toCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        ApiKeyCipher other = ApiKeyCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32
        }));

        assertThatThrownBy(() -> cipher.decrypt(new String(chars))).hasMessageContaining("does not decrypt");
        assertThatThrownBy(() -> other.decrypt(sealed))
                .hasMessageContaining("does not decrypt")
                .hasMessageNotContaining("waha-secret-key-123");
        assertThatThrownBy(() -> cipher.decrypt("plaintext")).hasMessageContaining("starts with v1:");
    }

    @Test
    void aKeyOfTheWrongSizeIsRefused() {
        assertThatThrownBy(() -> ApiKeyCipher.fromBase64Key(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("must be 32 bytes");
        assertThat(cipher.toString()).doesNotContain(KEY);
    }
}
