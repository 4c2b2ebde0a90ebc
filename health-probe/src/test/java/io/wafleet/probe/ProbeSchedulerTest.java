package io.wafleet.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.wafleet.avro.Dialect;
import io.wafleet.client.ClientSettings;
import io.wafleet.client.ServerClients;
import io.wafleet.client.ServerEndpoint;
import io.wafleet.schemas.Topics;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The scheduler of one probe worker against a simulated server over HTTP, its producer a MockProducer. */
class ProbeSchedulerTest {

    @Test
    void aProducerThatThrowsOnSendDoesNotStopTheServersChecks() {
        MockProducer<byte[], byte[]> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        producer.sendException = new KafkaException("producer closed");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (SimulatedFleet fleet = SimulatedFleet.start(List.of(ServerSpec.of("s1", Dialect.SEED)));
                ServerClients clients = new ServerClients(ClientSettings.defaults());
                CheckPublisher publisher = new CheckPublisher(producer, Topics.defaults(), meters)) {
            SimulatedServer server = fleet.server("s1");
            ProbeScheduler scheduler = new ProbeScheduler(
                    timer,
                    new HealthChecker("probe-1", Clock.systemUTC(), Duration.ofMillis(10), Duration.ofMillis(50)),
                    publisher,
                    meters,
                    Duration.ofMinutes(1));
            ProbeTarget target = new ProbeTarget(
                    server.config().build(),
                    clients.forEndpoint(ServerEndpoint.of("s1", server.baseUrl(), Dialect.SEED)),
                    Duration.ofMillis(50),
                    0);

            scheduler.upsert(target, 0);

            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            meters.counter("wafleet.probe.publish.failures").count() >= 5);
            long asked = server.requestCount();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.requestCount() >= asked + 5);
            assertThat(producer.history()).isEmpty();
            scheduler.close();
        } finally {
            timer.shutdownNow();
        }
    }
}
