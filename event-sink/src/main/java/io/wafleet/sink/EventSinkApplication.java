package io.wafleet.sink;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.schemas.Topics;
import io.wafleet.service.ConsumerLoopMetrics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.TopicListener;
import io.wafleet.service.WafleetProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The event-sink service: migrations at start, the audit sink, partition maintenance, and CDC of server configs. */
@SpringBootApplication
@EnableConfigurationProperties({WafleetProperties.class, SinkProperties.class, CdcProperties.class})
public class EventSinkApplication {

    public static void main(String[] args) {
        SpringApplication.run(EventSinkApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AuditSink auditSink(
            Topics topics,
            KafkaClients kafka,
            SinkProperties sink,
            DataSource dataSource,
            Clock clock,
            MeterRegistry meters) {
        Map<String, Object> consumer = kafka.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                sink.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                sink.maxPollRecords(),
                // The aggregator writes in transactions: aborted records must not reach the audit trail.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"));
        return new AuditSink(
                new DefaultKafkaConsumerFactory<>(consumer, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                new KafkaProducer<>(producerConfig(kafka), new ByteArraySerializer(), new ByteArraySerializer()),
                new AuditStore(dataSource, clock, sink.retentionDays(), sink.writerConnections()),
                topics,
                sink,
                meters);
    }

    @Bean
    @ConditionalOnProperty(name = "wafleet.cdc.enabled", havingValue = "true", matchIfMissing = true)
    CdcEngine cdcEngine(
            DataSourceProperties database,
            CdcProperties cdc,
            Topics topics,
            KafkaClients kafka,
            Clock clock,
            MeterRegistry meters) {
        CdcEngine engine = new CdcEngine(
                database,
                cdc,
                topics,
                new KafkaProducer<>(producerConfig(kafka), new StringSerializer(), new ByteArraySerializer()),
                clock);
        Gauge.builder("wafleet.sink.cdc.leading", engine, leading -> leading.isLeading() ? 1 : 0)
                .description("1 while this instance holds the CDC lock and streams server_configs changes")
                .register(meters);
        return engine;
    }

    @Bean
    @ConditionalOnProperty(name = "wafleet.cdc.enabled", havingValue = "true", matchIfMissing = true)
    SlotWal slotWal(DataSource dataSource, CdcProperties cdc, MeterRegistry meters) {
        return new SlotWal(dataSource, cdc.slotName(), Duration.ofSeconds(15), meters);
    }

    @Bean
    ConsumerLoopMetrics consumerLoopMetrics(List<TopicListener<?, ?>> loops) {
        return new ConsumerLoopMetrics(loops);
    }

    @Bean
    AuditSinkHealthIndicator auditSinkHealthIndicator(AuditSink sink, ObjectProvider<CdcEngine> cdc) {
        return new AuditSinkHealthIndicator(sink, cdc);
    }

    /** The seed's WHATSAPP_SERVER_URL, added as the only server when none is configured (after the migrations). */
    @Bean
    org.springframework.boot.ApplicationRunner defaultServer(
            DataSource dataSource,
            @org.springframework.beans.factory.annotation.Value("${WHATSAPP_SERVER_URL:}") String url) {
        return arguments -> DefaultServer.addIfNone(dataSource, url);
    }

    @Bean
    PartitionMaintenance partitionMaintenance(DataSource dataSource, Clock clock, SinkProperties sink) {
        return new PartitionMaintenance(dataSource, clock, sink);
    }

    /** Idempotent, fully acknowledged: a record the sink or CDC hands over is written once and kept. */
    private static Map<String, Object> producerConfig(KafkaClients kafka) {
        return kafka.producer(
                Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"));
    }
}
