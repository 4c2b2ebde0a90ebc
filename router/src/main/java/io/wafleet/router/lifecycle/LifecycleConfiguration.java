package io.wafleet.router.lifecycle;

import io.wafleet.avro.ServerNotice;
import io.wafleet.client.ClientSettings;
import io.wafleet.client.ServerClients;
import io.wafleet.router.FleetState;
import io.wafleet.router.RouterProperties;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.accounts.Publisher;
import io.wafleet.router.select.Outliers;
import io.wafleet.router.select.Selector;
import io.wafleet.router.webhooks.ServerWebhooks;
import io.wafleet.router.webhooks.WebhookSettings;
import io.wafleet.schemas.Topics;
import io.wafleet.service.KafkaClients;
import io.wafleet.service.LiveTail;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The lifecycle flows and the clients they call the servers with. */
@Configuration(proxyBeanMethods = false)
public class LifecycleConfiguration {

    @Bean(destroyMethod = "close")
    ServerClients serverClients(Environment environment) {
        return new ServerClients(ClientSettings.defaults().withServerTls(environment::getProperty));
    }

    @Bean
    ServerCalls serverCalls(
            FleetState state,
            ServerClients clients,
            RouterProperties router,
            AccountSettings settings,
            Outliers outliers,
            ServerWebhooks webhooks) {
        return new ServerCalls(state, clients, router.cipher(), settings, outliers, webhooks::of);
    }

    @Bean(destroyMethod = "close")
    Lifecycle lifecycle(
            FleetState state,
            Selector selector,
            AccountRegistry registry,
            ServerCalls calls,
            Publisher publisher,
            AccountSettings settings,
            WebhookSettings webhooks) {
        return new Lifecycle(state, selector, registry, calls, publisher, settings, webhooks, Clock.systemUTC());
    }

    /** Every router reads the servers' notices as they come; each applies those of the accounts it handles. */
    @Bean
    LiveTail<ServerNotice> serverNotices(Topics topics, KafkaClients kafka, Lifecycle lifecycle) {
        return LiveTail.of("server-notices", kafka, "router-notices", topics.serverNotices(), lifecycle::notice);
    }
}
