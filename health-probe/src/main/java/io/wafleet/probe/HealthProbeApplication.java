package io.wafleet.probe;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.client.ClientSettings;
import io.wafleet.client.ServerClients;
import io.wafleet.schemas.ApiKeyCipher;
import io.wafleet.schemas.Topics;
import io.wafleet.service.ConsumerLoopMetrics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.TopicListener;
import io.wafleet.service.WafleetProperties;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The health-probe service: one worker of the group that probes the fleet, partition by partition. */
@SpringBootApplication
@EnableConfigurationProperties({WafleetProperties.class, ProbeProperties.class})
public class HealthProbeApplication {

    public static void main(String[] args) {
        SpringApplication.run(HealthProbeApplication.class, args);
    }

    @Bean(destroyMethod = "close")
    ServerClients serverClients(ProbeProperties probe, Environment environment) {
        return new ServerClients(ClientSettings.defaults()
                .withMaxBodyBytes(probe.maxBodyBytes())
                .withServerTls(environment::getProperty));
    }

    @Bean(destroyMethod = "close")
    CheckPublisher checkPublisher(Topics topics, KafkaClients kafka, MeterRegistry meters) {
        Map<String, Object> producer = kafka.producer(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                5));
        return new CheckPublisher(
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()), topics, meters);
    }

    @Bean
    ProbeScheduler probeScheduler(ProbeProperties probe, CheckPublisher publisher, MeterRegistry meters) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, Executors.defaultThreadFactory());
        timer.setRemoveOnCancelPolicy(true);
        HealthChecker checker =
                new HealthChecker(probe.probeId(), Clock.systemUTC(), probe.retryBackoff(), probe.retryBackoffMax());
        return new ProbeScheduler(timer, checker, publisher, meters, probe.statsInterval());
    }

    @Bean
    ConfigConsumer configConsumer(
            Topics topics,
            KafkaClients kafka,
            ProbeProperties probe,
            ProbeScheduler scheduler,
            ServerClients clients,
            CheckPublisher publisher) {
        Map<String, Object> consumer = kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, probe.groupId(),
                ConsumerConfig.CLIENT_ID_CONFIG, probe.probeId(),
                // Positions are never committed: an owner always reads its partitions' whole current config.
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()));
        ApiKeyCipher cipher = probe.cipher();
        return new ConfigConsumer(
                new DefaultKafkaConsumerFactory<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                scheduler,
                new ProbeTargets(clients, cipher, probe),
                publisher,
                topics,
                probe.probeId());
    }

    @Bean
    ConsumerLoopMetrics consumerLoopMetrics(List<TopicListener<?, ?>> loops) {
        return new ConsumerLoopMetrics(loops);
    }

    @Bean
    ProbeHealthIndicator probeHealthIndicator(ConfigConsumer consumer, ProbeScheduler scheduler) {
        return new ProbeHealthIndicator(consumer, scheduler);
    }
}
