package io.wafleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Liveness (/livez) says only whether the process must be restarted; readiness (/readyz) whether it can take
 * traffic. A router that is still reading its health table is alive and not ready: restarting it for that would
 * make it start reading again.
 */
@WafleetIntegrationTest
class ProbeGroupsTest {

    @Test
    void livenessIsTheLivenessStateAloneAndReadinessHasTheTables(KafkaCluster kafka) {
        try (ConfigurableApplicationContext router = new SpringApplicationBuilder(RouterApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--wafleet.router.admin-token=probe-groups-admin-token")) {
            HealthEndpointGroups groups = router.getBean(HealthEndpointGroups.class);
            HealthEndpointGroup liveness = groups.get("liveness");
            HealthEndpointGroup readiness = groups.get("readiness");

            assertThat(liveness.isMember("livenessState")).isTrue();
            assertThat(liveness.isMember("fleet")).isFalse();
            assertThat(liveness.isMember("accounts")).isFalse();
            assertThat(liveness.isMember("readinessState")).isFalse();
            assertThat(readiness.isMember("readinessState")).isTrue();
            assertThat(readiness.isMember("fleet")).isTrue();
            assertThat(readiness.isMember("accounts")).isTrue();
        }
    }
}
