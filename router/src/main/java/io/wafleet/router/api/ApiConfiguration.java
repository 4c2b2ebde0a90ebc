package io.wafleet.router.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.wafleet.router.RouterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The public API's rate limit and its OpenAPI description ({@code /v3/api-docs}, {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    FilterRegistrationBean<PathFirewallFilter> pathFirewallFilter() {
        FilterRegistrationBean<PathFirewallFilter> registration =
                new FilterRegistrationBean<>(new PathFirewallFilter());
        registration.addUrlPatterns("/*");
        // First of all: every later filter and the dispatcher see only unambiguous paths.
        registration.setOrder(Integer.MIN_VALUE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(RouterProperties router) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(router.rateLimitPerSecond()));
        registration.addUrlPatterns("/*");
        // Before the token check: an unauthenticated flood is limited too.
        registration.setOrder(0);
        return registration;
    }

    @Bean
    OpenAPI wafleetOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("wafleet router")
                        .version("v1")
                        .description("Server selection, the fleet's health table and its administration."))
                .components(new Components()
                        .addSecuritySchemes(
                                "bearer",
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")));
    }
}
