package io.wafleet.aggregator;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.WafleetProperties;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The stats-aggregator service: the Streams topology under exactly-once, with readiness and metrics on Actuator. */
// No database: when a classpath also holds the sink (one JVM for the demo, the bench), its JDBC setup stays out.
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@EnableConfigurationProperties({WafleetProperties.class, AggregatorProperties.class})
public class StatsAggregatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(StatsAggregatorApplication.class, args);
    }

    @Bean
    AggregatorStreams aggregatorStreams(
            Topics topics, KafkaClients kafka, AggregatorProperties aggregator, MeterRegistry meters) {
        LongAdder deadLetters = new LongAdder();
        FunctionCounter.builder("wafleet.aggregator.dead.letters", deadLetters, LongAdder::sum)
                .description("records the aggregator could not read, sent to the dead-letter topic")
                .register(meters);
        return new AggregatorStreams(
                StatsTopology.build(aggregator.topologyConfig(), topics),
                StreamsSettings.of(kafka.streams(Map.of()), topics.deadLetters().name(), deadLetters, aggregator));
    }

    @Bean(destroyMethod = "close")
    KafkaStreamsMetrics aggregatorStreamsMetrics(AggregatorStreams streams, MeterRegistry meters) {
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams.streams());
        metrics.bindTo(meters);
        return metrics;
    }

    /** Checks of servers without a config, summed over this instance's tasks (the topology counts them per task). */
    @Bean
    FunctionCounter unknownServerChecks(AggregatorStreams streams, MeterRegistry meters) {
        return FunctionCounter.builder(
                        "wafleet.aggregator.unknown.server.checks",
                        streams,
                        running -> running.streams().metrics().entrySet().stream()
                                .filter(metric -> metric.getKey().name().equals("unknown-server-checks-total"))
                                .mapToDouble(
                                        metric -> ((Number) metric.getValue().metricValue()).doubleValue())
                                .sum())
                .description("health checks of servers that have no config; kept, and counted here")
                .register(meters);
    }

    @Bean
    AggregatorHealthIndicator aggregatorHealthIndicator(AggregatorStreams streams) {
        return new AggregatorHealthIndicator(streams);
    }
}
