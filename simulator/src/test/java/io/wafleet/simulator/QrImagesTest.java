package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class QrImagesTest {

    @Test
    void byDefaultEachQrIsDrawnFromItsOwnText() {
        QrImages images = QrImages.of("s1", 0);

        assertThat(images.png("2@a,acc-1,1")).isEqualTo(QrCodes.png("2@a,acc-1,1"));
        assertThat(images.png("2@a,acc-1,2")).isNotEqualTo(images.png("2@a,acc-1,1"));
        assertThat(images.dataUrl("2@a,acc-1,1")).startsWith("data:image/png;base64,iVBORw0KGgo");
    }

    @Test
    void drawnAheadEveryQrIsOneOfThePoolAndTheSameTextKeepsItsImage() {
        QrImages images = QrImages.of("s1", 8);
        Set<String> pool = new HashSet<>();
        IntStream.range(0, 8).forEach(i -> pool.add(Arrays.toString(QrCodes.png("2@s1-drawn-ahead-" + i))));

        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] png = images.png("2@c,acc-" + i + ",1");
            assertThat(pool).contains(Arrays.toString(png));
            answered.add(Arrays.toString(png));
        }
        assertThat(answered).as("200 texts spread over the pool").hasSizeGreaterThan(4);
        assertThat(images.png("2@c,acc-7,1")).isSameAs(images.png("2@c,acc-7,1"));
    }
}
