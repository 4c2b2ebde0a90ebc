package io.wafleet.simulator;

import java.util.Base64;
import java.util.stream.IntStream;

/**
 * The QR images one simulated server answers with. As the real servers do, it draws each QR's image when asked
 * ({@link QrCodes}). A server told to draw {@code ahead} images instead draws that many at start and answers every QR
 * with one of them, the same one for the same QR text: a bench that shares its machine with the router uses it to stand
 * in for servers on other hosts, whose drawing costs the router's machine nothing. The images are real, scannable QRs
 * of the same size; they do not encode the session's own text.
 */
final class QrImages {

    private final byte[][] drawn;

    private QrImages(byte[][] drawn) {
        this.drawn = drawn;
    }

    /** Draws each image when asked; {@code ahead} &gt; 0 draws that many at once and reuses them. */
    static QrImages of(String serverId, int ahead) {
        if (ahead <= 0) {
            return new QrImages(null);
        }
        return new QrImages(IntStream.range(0, ahead)
                .mapToObj(i -> QrCodes.png("2@" + serverId + "-drawn-ahead-" + i))
                .toArray(byte[][]::new));
    }

    byte[] png(String text) {
        return drawn == null ? QrCodes.png(text) : drawn[Math.floorMod(text.hashCode(), drawn.length)];
    }

    String base64Png(String text) {
        return Base64.getEncoder().encodeToString(png(text));
    }

    String dataUrl(String text) {
        return "data:image/png;base64," + base64Png(text);
    }
}
