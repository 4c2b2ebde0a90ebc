package io.wafleet.router.admin;

import io.wafleet.router.RouterProperties;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The admin API's parts: the database (only when one is configured), the API-key cipher. */
@Configuration(proxyBeanMethods = false)
public class AdminConfiguration {

    @Bean
    @ConditionalOnProperty(name = "spring.datasource.url")
    DataSource dataSource(Environment environment) {
        return DataSourceBuilder.create()
                .url(environment.getProperty("spring.datasource.url"))
                .username(environment.getProperty("spring.datasource.username"))
                .password(environment.getProperty("spring.datasource.password"))
                .build();
    }

    @Bean
    @ConditionalOnProperty(name = "spring.datasource.url")
    AdminStore adminStore(DataSource dataSource, RouterProperties router) {
        return new AdminStore(dataSource, new ServerKeys(router.cipher()));
    }
}
