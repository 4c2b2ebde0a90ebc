package io.wafleet.router.members;

import io.wafleet.router.RouterProperties;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.requests.RequestConsumer;
import io.wafleet.router.select.ServerLoads;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;

/** The router instances' membership: this one's record on wa.router-members, and everyone's read back. */
@Configuration(proxyBeanMethods = false)
public class MembersConfiguration {

    @Bean
    RouterMembers routerMembers(
            Topics topics,
            KafkaClients kafka,
            RequestConsumer requests,
            AccountSettings settings,
            ServerLoads loads,
            AccountRegistry registry,
            String routerId) {
        Map<String, Object> consumer = kafka.consumer(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG,
                routerId + "-members",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        Map<String, Object> producer = kafka.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, routerId + "-members"));
        RouterMembers members = new RouterMembers(
                new DefaultKafkaConsumerFactory<>(consumer, new StringDeserializer(), new ByteArrayDeserializer()),
                topics.routerMembers(),
                routerId,
                new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer()),
                requests::ownedPartitions,
                registry::size,
                // Every instance counts every account itself when it holds them all: nothing to share then.
                settings.hold() == AccountSettings.Hold.OWNED_PARTITIONS ? loads : null,
                Clock.systemUTC());
        requests.onOwnership(members::partitionsChanged);
        return members;
    }

    /** Once the API listens: its URL, as configured or this host's address with the port it got. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> advertiseApi(RouterMembers members, RouterProperties router) {
        return event -> {
            String namespace = event.getApplicationContext().getServerNamespace();
            if (namespace != null && !namespace.isEmpty()) {
                return; // the management port's server
            }
            members.advertise(router.apiUrl(event.getWebServer().getPort()));
        };
    }
}
