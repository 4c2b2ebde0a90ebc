package io.wafleet.router.operations;

import io.wafleet.router.accounts.AccountRegistry;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.lifecycle.ServerCalls;
import io.wafleet.router.requests.AccountRequests;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Drains and bulk operations, and their views. */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    /** Operations' views in PostgreSQL when the router has a database, so every instance answers for them. */
    @Bean
    FleetOperations fleetOperations(
            AccountRegistry registry,
            AccountRequests requests,
            ServerCalls calls,
            AccountSettings settings,
            ObjectProvider<DataSource> dataSource,
            JsonMapper json,
            String routerId) {
        DataSource database = dataSource.getIfAvailable();
        OperationStore store = database == null ? null : new OperationStore(database, json, routerId);
        return new FleetOperations(registry, requests, calls, settings, store);
    }
}
