package io.wafleet.router.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A QR's id: a digest of its image, so the same QR shown again (republished, or read back) has the same id. Events on
 * the topic carry only this; the image stays with the account's state.
 */
public final class QrIds {

    private QrIds() {}

    public static String of(String image) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8));
            return "qr-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
