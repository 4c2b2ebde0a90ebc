package io.wafleet.router;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.router.select.Load;
import io.wafleet.router.select.Outliers;
import io.wafleet.router.select.Selector;
import io.wafleet.router.select.ServerLoads;
import io.wafleet.schemas.Topics;
import io.wafleet.service.ConsumerLoopMetrics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.TopicListener;
import io.wafleet.service.WafleetProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The router service: the health table in memory, server selection and the read API. */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@EnableConfigurationProperties({WafleetProperties.class, RouterProperties.class})
public class RouterApplication {

    public static void main(String[] args) {
        SpringApplication.run(RouterApplication.class, args);
    }

    @Bean
    MetricsHistory metricsHistory(RouterProperties router) {
        return new MetricsHistory(router.metricsWindowsKept());
    }

    @Bean
    FleetState fleetState(
            Topics topics, KafkaClients kafka, RouterProperties router, MetricsHistory metrics, ServerLoads loads) {
        Map<String, Object> consumer = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                "router-fleet-" + UUID.randomUUID().toString().substring(0, 8),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // The aggregator writes the health table in transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
        return new FleetState(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                topics,
                router.loadBalancing().rule(),
                metrics,
                router.tableRefresh(),
                router.metricsHistory(),
                loads);
    }

    /** Accounts each server has taken that its reports do not count yet: moved by the registry, read by selection. */
    @Bean
    ServerLoads serverLoads() {
        return new ServerLoads();
    }

    @Bean(destroyMethod = "close")
    FleetMetrics fleetMetrics(
            FleetState state, MetricsHistory history, ObjectProvider<Load> load, MeterRegistry meters) {
        return new FleetMetrics(state, history, load.getIfAvailable(() -> Load.NONE), meters, Duration.ofSeconds(5));
    }

    @Bean
    ConsumerLoopMetrics consumerLoopMetrics(List<TopicListener<?, ?>> loops) {
        return new ConsumerLoopMetrics(loops);
    }

    @Bean
    Selector selector() {
        return new Selector(System::nanoTime);
    }

    /** Servers ejected from this router's selection on its own calls' failures, with their meters. */
    @Bean
    Outliers outliers(RouterProperties router, FleetState state, ServerLoads loads, MeterRegistry meters) {
        Outliers outliers = new Outliers(router.outliers().rules(), state::fleet, loads, System::nanoTime);
        state.onSnapshot(outliers::snapshot);
        FunctionCounter.builder("wafleet.router.outlier.ejections", outliers, Outliers::ejections)
                .description("servers this router ejected from its selection after failed calls in a row")
                .register(meters);
        FunctionCounter.builder("wafleet.router.outlier.ejections.refused", outliers, Outliers::refusedEjections)
                .description("ejections not made: the most of the server's pool that may be was ejected already")
                .register(meters);
        FunctionCounter.builder("wafleet.router.outlier.readmissions", outliers, Outliers::readmissions)
                .description("ejections taken back early: the health table showed the server fail and recover")
                .register(meters);
        Gauge.builder("wafleet.router.outlier.ejected", outliers, Outliers::ejectedNow)
                .description("servers ejected from this router's selection now")
                .register(meters);
        return outliers;
    }

    @Bean
    FleetHealthIndicator fleetHealthIndicator(FleetState state) {
        return new FleetHealthIndicator(state);
    }
}
