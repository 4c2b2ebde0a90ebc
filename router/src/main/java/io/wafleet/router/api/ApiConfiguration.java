package io.wafleet.router.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.wafleet.router.RouterProperties;
import io.wafleet.router.accounts.AccountSettings;
import io.wafleet.router.members.RouterMembers;
import io.wafleet.router.requests.RequestConsumer;
import io.wafleet.schemas.DaemonThreads;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The API's path firewall, body cap and rate limits, and its OpenAPI description ({@code /v3/api-docs}, {@code /swagger-ui.html}). */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    /** Tomcat's own error answers as problems too ({@link ProblemErrorReportValve}). */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context ->
                ((StandardHost) context.getParent()).setErrorReportValveClass(ProblemErrorReportValve.class.getName()));
    }

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
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(RouterProperties router) {
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter(router.maxBodyBytes()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Integer.MIN_VALUE + 1);
        return registration;
    }

    @Bean
    ClientAddress clientAddress(RouterProperties router) {
        return new ClientAddress(
                router.trustedProxies(), ForwardedClients.of(router.apiKeyEncryptionKey(), Clock.systemUTC()));
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> addressRateLimitFilter(RouterProperties router, ClientAddress clients) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(RateLimitFilter.perAddress(router.rateLimitPerSecond(), clients));
        registration.addUrlPatterns("/*");
        // Before the token check (order 1): an unauthenticated flood is limited too.
        registration.setOrder(0);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> tokenRateLimitFilter(RouterProperties router) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(RateLimitFilter.perToken(router.tokenRateLimitPerSecond()));
        registration.addUrlPatterns("/*");
        // After the token check, which names the token.
        registration.setOrder(2);
        return registration;
    }

    /** The client that forwards calls to other router instances (and asks them for their listing pages). */
    @Bean(destroyMethod = "") // Java 17's HttpClient has no close; its threads are daemons
    HttpClient forwardingHttp() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .executor(Executors.newCachedThreadPool(DaemonThreads.named("owner-forwarding")))
                .build();
    }

    @Bean
    AccountListing accountListing(
            RouterMembers members,
            HttpClient forwardingHttp,
            JsonMapper json,
            AccountSettings settings,
            ClientAddress clients) {
        return new AccountListing(
                members, forwardingHttp, json, settings.hold() == AccountSettings.Hold.OWNED_PARTITIONS, clients);
    }

    @Bean
    FilterRegistrationBean<OwnerForwarding> ownerForwarding(
            RequestConsumer requests, RouterMembers members, HttpClient http, ClientAddress clients) {
        FilterRegistrationBean<OwnerForwarding> registration =
                new FilterRegistrationBean<>(new OwnerForwarding(requests, members, http, clients));
        registration.addUrlPatterns("/*");
        // After the token check and its rate limit: the caller is known, and is checked again by the owner.
        registration.setOrder(3);
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
