package io.wafleet.router.lifecycle;

import io.wafleet.client.ClientSettings;
import io.wafleet.client.ServerClients;
import io.wafleet.router.FleetState;
import io.wafleet.router.RouterProperties;
import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.accounts.Publisher;
import io.wafleet.router.select.Outliers;
import io.wafleet.router.select.Selector;
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
            Outliers outliers) {
        return new ServerCalls(state, clients, router.cipher(), settings, outliers);
    }

    @Bean(destroyMethod = "close")
    Lifecycle lifecycle(
            FleetState state,
            Selector selector,
            AccountRegistry registry,
            ServerCalls calls,
            Publisher publisher,
            AccountSettings settings) {
        return new Lifecycle(state, selector, registry, calls, publisher, settings, Clock.systemUTC());
    }
}
