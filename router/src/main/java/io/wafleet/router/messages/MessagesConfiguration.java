package io.wafleet.router.messages;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.avro.ServerNotice;
import io.wafleet.router.FleetState;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.lifecycle.ServerCalls;
import io.wafleet.router.members.RouterMembers;
import io.wafleet.router.requests.RequestConsumer;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.LiveTail;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The outbound messages: the worker, its producer and consumers, and the acknowledgements' tail. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MessageSettings.class)
public class MessagesConfiguration {

    @Bean
    Messages messages(
            Topics topics,
            KafkaClients kafka,
            MessageSettings settings,
            RequestConsumer requests,
            AccountRegistry registry,
            FleetState fleet,
            ServerCalls calls,
            RouterMembers members,
            String routerId,
            MeterRegistry meters) {
        Clock clock = Clock.systemUTC();
        MessageStore store = new MessageStore(
                new KafkaProducer<>(
                        kafka.producer(Map.of(
                                ProducerConfig.CLIENT_ID_CONFIG,
                                routerId + "-messages",
                                ProducerConfig.ACKS_CONFIG,
                                "all",
                                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                                true,
                                ProducerConfig.LINGER_MS_CONFIG,
                                2)),
                        new ByteArraySerializer(),
                        new ByteArraySerializer()),
                topics,
                routerId);
        MessageRecords records = new MessageRecords(store, new SentMessages(), registry::serverOf, clock, meters);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                kafka.consumer(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        settings.group(),
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        routerId + "-messages",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        ProgressReader progress = new ProgressReader(
                () -> new KafkaConsumer<>(
                        kafka.consumer(Map.of(
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                routerId + "-message-progress-"
                                        + UUID.randomUUID().toString().substring(0, 8),
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest")),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer()),
                topics.messageProgress());
        MessageSteps.Factory steps = (onWorker, finished) -> new MessageSteps(
                registry,
                fleet,
                calls,
                () -> Math.max(1, members.live().size()),
                settings,
                records,
                clock,
                onWorker,
                finished);
        MessageWorker worker = new MessageWorker(
                consumer,
                topics.outboundMessages(),
                topics.connectionRequests().name(),
                progress,
                requests::ownedPartitions,
                settings,
                records,
                store,
                steps,
                new MessageMeters(meters),
                clock);
        return new Messages(worker, records, store, settings);
    }

    @Bean
    RecentMessages recentMessages(org.springframework.beans.factory.ObjectProvider<javax.sql.DataSource> database) {
        return new RecentMessages(database.getIfAvailable());
    }

    /** Every router reads the servers' notices; each reports the acknowledgements of the messages it sent. */
    @Bean
    LiveTail<ServerNotice> messageAcks(Topics topics, KafkaClients kafka, Messages messages) {
        return LiveTail.of("message-acks", kafka, "router-message-acks", topics.serverNotices(), messages::notice);
    }
}
