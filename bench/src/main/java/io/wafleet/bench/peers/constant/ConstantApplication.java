package io.wafleet.bench.peers.constant;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The peer of the router's HTTP selection: a minimal Spring Boot MVC application (Tomcat, one controller, nothing
 * else of wafleet) that answers one constant JSON body, run in the same JVM as the router so that it has the same
 * flags. What the router's select endpoint costs above the framework is the gap between the two under the same load.
 */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "io.wafleet.service.KafkaClientsConfiguration",
            "io.wafleet.service.TopicsConfiguration"
        })
@RestController
public class ConstantApplication {

    /**
     * What it starts with: none of the services' application.yaml files on the bench's classpath ({@code
     * spring.config.name} of its own, which no file has), a port of its own, the management server off.
     */
    public static final String[] ARGUMENTS = {
        "--spring.config.name=wafleet-bench-constant",
        "--server.port=0",
        "--management.server.port=-1",
        "--spring.kafka.listener.auto-startup=false",
        "--logging.level.root=WARN"
    };

    /** The body it answers; set before it starts. */
    public static volatile String body = "{}";

    @GetMapping(value = "/select", produces = MediaType.APPLICATION_JSON_VALUE)
    String select() {
        return body;
    }
}
