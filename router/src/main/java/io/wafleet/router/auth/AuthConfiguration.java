package io.wafleet.router.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.wafleet.router.RouterProperties;
import io.wafleet.router.api.ClientAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API's tokens and the filter that checks them. */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    @Bean
    ApiTokens apiTokens(RouterProperties router) {
        ApiTokens tokens = ApiTokens.load(
                router.tokensFile() == null ? null : Path.of(router.tokensFile()),
                router.adminToken(),
                router.readToken());
        log.info(
                "{} API token(s){}{}",
                tokens.size(),
                router.tokensFile() == null ? "" : " (tokens file " + router.tokensFile() + ")",
                router.publicReads() ? "; reads are public (WAFLEET_PUBLIC_READS)" : "");
        return tokens;
    }

    @Bean
    FilterRegistrationBean<ApiTokenFilter> apiTokenFilter(
            ApiTokens tokens, RouterProperties router, MeterRegistry meters, ClientAddress clients) {
        FilterRegistrationBean<ApiTokenFilter> registration = new FilterRegistrationBean<>(
                new ApiTokenFilter(tokens, new AccessRules(router.publicReads()), meters, clients));
        // Every path: the filter itself decides on the routed path (a URL pattern matches case-sensitively).
        registration.addUrlPatterns("/*");
        registration.setOrder(1);
        return registration;
    }
}
