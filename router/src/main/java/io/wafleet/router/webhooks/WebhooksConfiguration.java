package io.wafleet.router.webhooks;

import io.wafleet.router.FleetState;
import io.wafleet.router.RouterProperties;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The servers' webhooks: their secrets, the URL they are sent to, and the writer of what they deliver. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
public class WebhooksConfiguration {

    @Bean
    WebhookSecrets webhookSecrets(RouterProperties router) {
        return new WebhookSecrets(router.cipher());
    }

    @Bean
    ServerWebhooks serverWebhooks(WebhookSettings settings, WebhookSecrets secrets) {
        return new ServerWebhooks(settings, secrets);
    }

    /** Once the API listens, its URL is the receiver's (unless one is configured). */
    @Bean
    ApplicationListener<WebServerInitializedEvent> webhookReceiverUrl(
            ServerWebhooks webhooks, RouterProperties router) {
        return event -> {
            String namespace = event.getApplicationContext().getServerNamespace();
            if (namespace == null || namespace.isEmpty()) {
                webhooks.listening(router.apiUrl(event.getWebServer().getPort()));
            }
        };
    }

    @Bean(destroyMethod = "close")
    Producer<byte[], byte[]> noticeProducer(KafkaClients kafka, String routerId) {
        return new KafkaProducer<>(
                kafka.producer(Map.of(
                        ProducerConfig.CLIENT_ID_CONFIG,
                        routerId + "-notices",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        2,
                        // A broker away fails the delivery after this: the server is answered 503 and retries.
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        5_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        5_000)),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @Bean
    NoticeSender noticeSender(Producer<byte[], byte[]> noticeProducer, Topics topics, String routerId) {
        return new NoticeSender(noticeProducer, topics, routerId);
    }

    /** Evolution's own Kafka events, when an operator names their topics. */
    @Bean
    @ConditionalOnProperty("wafleet.router.webhooks.evolution-topics")
    EvolutionKafkaNotices evolutionKafkaNotices(
            KafkaClients kafka,
            WebhookSettings settings,
            AccountSettings accounts,
            FleetState fleet,
            NoticeSender sender,
            ServerSignals signals,
            String routerId) {
        Map<String, Object> config = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                routerId + "-evolution",
                ConsumerConfig.GROUP_ID_CONFIG,
                accounts.group() + "-evolution",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        return new EvolutionKafkaNotices(
                new DefaultKafkaConsumerFactory<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                Pattern.compile(settings.evolutionTopics()),
                fleet,
                sender,
                signals,
                Clock.systemUTC());
    }

    @Bean
    ServerSignals serverSignals(NoticeSender sender, WebhookSettings settings, String routerId) {
        return new ServerSignals(sender, settings, routerId, Clock.systemUTC());
    }
}
