package io.wafleet.router.admin;

import io.wafleet.router.RouterProperties;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The admin API's parts: the database (only when one is configured), the API-key cipher, the token filter. */
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
    AdminStore adminStore(DataSource dataSource) {
        return new AdminStore(dataSource);
    }

    @Bean
    FilterRegistrationBean<ApiTokenFilter> apiTokenFilter(RouterProperties router) {
        FilterRegistrationBean<ApiTokenFilter> registration =
                new FilterRegistrationBean<>(new ApiTokenFilter(router.adminToken(), router.readToken()));
        // Every path: the filter itself decides on the routed path (a URL pattern matches case-sensitively).
        registration.addUrlPatterns("/*");
        registration.setOrder(1);
        return registration;
    }
}
