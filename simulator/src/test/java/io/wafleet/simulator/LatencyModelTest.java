package io.wafleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The log-normal model hits its median and 99th percentile. */
class LatencyModelTest {

    @Test
    void samplesHaveTheGivenMedianAndP99() {
        LatencyModel model = LatencyModel.logNormal(20, 200);
        double[] samples = new double[200_000];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = model.sampleMs();
        }
        Arrays.sort(samples);

        assertThat(samples[samples.length / 2]).isCloseTo(20, within(1.0));
        assertThat(samples[(int) (samples.length * 0.99)]).isCloseTo(200, within(15.0));
        assertThat(model.p95Ms()).isBetween(20.0, 200.0);
    }

    @Test
    void aZeroMedianMeansNoDelay() {
        assertThat(LatencyModel.logNormal(0, 0).sampleMs()).isZero();
    }

    @Test
    void aP99BelowTheMedianIsRefused() {
        assertThatThrownBy(() -> LatencyModel.logNormal(50, 10)).hasMessageContaining("median <= p99");
    }
}
