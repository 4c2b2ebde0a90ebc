package io.wafleet.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * {@code wafleet_consumer_loop_running{loop}}: 1 while a service's consumer (a listener container) runs, 0 once it ended on an error,
 * so an alert sees a loop that died while its process lives on.
 */
public final class ConsumerLoopMetrics implements MeterBinder {

    private final List<TopicListener<?, ?>> loops;

    public ConsumerLoopMetrics(List<TopicListener<?, ?>> loops) {
        this.loops = List.copyOf(loops);
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (TopicListener<?, ?> loop : loops) {
            Gauge.builder("wafleet.consumer.loop.running", loop, running -> running.isRunning() ? 1 : 0)
                    .description("1 while the consumer loop runs")
                    .tag("loop", loop.name())
                    .register(meters);
        }
    }
}
