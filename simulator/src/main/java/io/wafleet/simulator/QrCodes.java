package io.wafleet.simulator;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** Real, scannable QR codes (ZXing) as PNG bytes. */
final class QrCodes {

    private static final int SIZE = 264;

    private QrCodes() {}

    /**
     * The QR as a 1-bit PNG of about 264 px. The pixels are written straight into the image's bytes: ZXing's
     * MatrixToImageWriter sets them one by one through the colour model, which made a busy simulated fleet spend most
     * of its time drawing QR codes (`git show b4d6c96:bench/README.md`, CONNECT).
     */
    static byte[] png(String text) {
        try {
            BitMatrix matrix =
                    new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 2));
            int modules = matrix.getWidth();
            int scale = Math.max(1, SIZE / modules);
            int pixels = modules * scale;
            BufferedImage image = new BufferedImage(pixels, pixels, BufferedImage.TYPE_BYTE_BINARY);
            byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            int stride = (pixels + 7) / 8;
            byte[] row = new byte[stride];
            for (int y = 0; y < modules; y++) {
                java.util.Arrays.fill(row, (byte) 0);
                for (int x = 0; x < pixels; x++) {
                    // In the binary palette 1 is white, 0 black.
                    if (!matrix.get(x / scale, y)) {
                        row[x >> 3] |= (byte) (0x80 >>> (x & 7));
                    }
                }
                for (int copy = 0; copy < scale; copy++) {
                    System.arraycopy(row, 0, data, (y * scale + copy) * stride, stride);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code for " + text, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
