package io.wafleet.router.accounts;

import static io.wafleet.avro.AccountState.QR_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wafleet.avro.ConnectionAction;
import io.wafleet.avro.Dialect;
import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.router.api.OwnerForwarding;
import io.wafleet.router.requests.RequestConsumer;
import io.wafleet.simulator.ServerSpec;
import io.wafleet.simulator.SimulatedFleet;
import io.wafleet.simulator.SimulatedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Routers that keep only the accounts of the request partitions they handle ({@code hold=owned-partitions}): each
 * holds its share, and the accounts of a router that leaves are restored from wa.account-state by the one that
 * takes its partitions.
 */
@WafleetIntegrationTest
class OwnedPartitionsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OWNED = "wafleet.router.accounts.hold=owned-partitions";

    private final RouterFixture fixture;
    private final SimulatedFleet fleet;
    private final String env;

    OwnedPartitionsIntegrationTest(KafkaCluster kafka) {
        fixture = new RouterFixture(kafka);
        env = fixture.prefix;
        fleet = SimulatedFleet.start(List.of(
                ServerSpec.builder(env + "-seed", Dialect.SEED).capacity(5, 100).build()));
    }

    @AfterEach
    void stop() {
        fixture.close();
        fleet.close();
    }

    @Test
    void eachRouterHoldsItsPartitionsAccountsAndTheSurvivorTakesOverTheOthers() {
        SimulatedServer server = fleet.server(env + "-seed");
        int partitions = fixture.config.connectionRequests().partitions();
        List<String> accounts = twoRoutersWaitingForScans(server, OWNED, "owned", 24);

        await().atMost(WAIT).untilAsserted(() -> {
            for (ConfigurableApplicationContext router : List.of(first, second)) {
                Set<Integer> owned = owned(router);
                List<String> expected = accounts.stream()
                        .filter(account -> owned.contains(RequestPartitions.of(account, partitions)))
                        .toList();
                AccountRegistry registry = router.getBean(AccountRegistry.class);
                assertThat(registry.accounts().stream().map(Account::accountId).toList())
                        .as("the accounts of partitions %s only", owned)
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertThat(registry.loads().own())
                        .as("its own accounts in progress")
                        .isEqualTo(java.util.Map.of(server.id(), expected.size()));
                assertThat(registry.pending(server.id()))
                        .as("every router's accounts in progress count in its selection")
                        .isEqualTo(accounts.size());
            }
        });
        assertThat(first.getBean(AccountRegistry.class).size())
                .as("neither holds every account")
                .isLessThan(accounts.size());

        // Any router answers any account: the one that does not hold it forwards the call to the one that does.
        for (String account : accounts) {
            for (ConfigurableApplicationContext router : List.of(first, second)) {
                boolean held = router.getBean(RequestConsumer.class).holds(account);
                HttpResponse<String> answer = fixture.call(router, "GET", "/api/v1/accounts/" + account, null);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"status\":\"qr_required\"").contains(server.id());
                assertThat(answer.headers().firstValue(OwnerForwarding.ANSWERED_BY))
                        .as("answered by its owner")
                        .isEqualTo(held ? Optional.empty() : Optional.of(routerId(other(router))));
                assertThat(fixture.call(router, "GET", "/api/v1/servers/select?accountId=" + account, null)
                                .body())
                        .as("sticky from every router")
                        .contains("\"sticky\":true")
                        .contains(server.id());
            }
        }
        // Listing pages through both routers' accounts, from either: every account once, in id order.
        for (ConfigurableApplicationContext router : List.of(first, second)) {
            List<String> listed = new java.util.ArrayList<>();
            String after = "";
            do {
                HttpResponse<String> page =
                        fixture.call(router, "GET", "/api/v1/accounts?limit=5&after=" + after, null);
                assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                assertThat(page.body()).contains("\"total\":" + accounts.size());
                java.util.regex.Matcher ids = java.util.regex.Pattern.compile("\"accountId\":\"([^\"]+)\"")
                        .matcher(page.body());
                while (ids.find()) {
                    listed.add(ids.group(1));
                }
                java.util.regex.Matcher next =
                        java.util.regex.Pattern.compile("\"next\":\"([^\"]+)\"").matcher(page.body());
                after = next.find() ? next.group(1) : null;
            } while (after != null);
            assertThat(listed)
                    .containsExactlyElementsOf(accounts.stream().sorted().toList());
        }
        String disconnected = accounts.stream()
                .filter(account -> !first.getBean(RequestConsumer.class).holds(account))
                .findFirst()
                .orElseThrow();
        HttpResponse<String> disconnect =
                fixture.call(first, "POST", "/api/v1/accounts/" + disconnected + "/disconnect", "{}");
        assertThat(disconnect.statusCode()).as(disconnect.body()).isEqualTo(200);
        assertThat(disconnect.body()).contains("\"status\":\"disconnected\"");
        assertThat(fixture.call(first, "GET", "/api/v1/accounts/nobody-" + env, null)
                        .statusCode())
                .as("an unknown account is a 404 from its owner")
                .isEqualTo(404);

        // A bulk operation from one router reaches the accounts the other holds: their answers come from the events.
        HttpResponse<String> bulk = fixture.call(
                first, "POST", "/api/v1/bulk/disconnect?timeoutMs=30000", "{\"serverIds\":[\"" + server.id() + "\"]}");
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
        assertThat(bulk.body())
                .contains("\"total\":" + (accounts.size() - 1))
                .contains("\"succeeded\":" + (accounts.size() - 1))
                .contains("\"failed\":0");
        for (ConfigurableApplicationContext router : List.of(first, second)) {
            assertThat(fixture.call(router, "GET", "/api/v1/accounts?state=disconnected&limit=1", null)
                            .body())
                    .contains("\"total\":" + accounts.size());
        }

        long closedAt = System.nanoTime();
        first.close();
        AccountRegistry survivor = second.getBean(AccountRegistry.class);
        await().atMost(WAIT).until(() -> owned(second).size() == partitions && survivor.size() == accounts.size());
        long tookOverMs = (System.nanoTime() - closedAt) / 1_000_000;
        for (String account : accounts) {
            assertThat(fixture.call(second, "GET", "/api/v1/accounts/" + account, null)
                            .body())
                    .contains(server.id());
        }
        System.out.printf("the survivor held every account %d ms after the other router stopped%n", tookOverMs);
    }

    @Test
    void withEveryPartitionHeldEachRouterHoldsEveryAccountAndForwardsNothing() {
        SimulatedServer server = fleet.server(env + "-seed");
        List<String> accounts =
                twoRoutersWaitingForScans(server, "wafleet.router.accounts.hold=every-partition", "every", 12);

        for (ConfigurableApplicationContext router : List.of(first, second)) {
            await().atMost(WAIT)
                    .until(() -> router.getBean(AccountRegistry.class).size() == accounts.size());
            assertThat(router.getBean(AccountRegistry.class).pending(server.id()))
                    .isEqualTo(accounts.size());
            for (String account : accounts) {
                HttpResponse<String> answer = fixture.call(router, "GET", "/api/v1/accounts/" + account, null);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.headers().firstValue(OwnerForwarding.ANSWERED_BY))
                        .isEmpty();
            }
        }
    }

    /**
     * Behind a proxy both routers trust, four clients call the router that does not hold an account: it forwards each
     * call to the owner with the client's address signed, so the owner counts each client's 3 calls against that
     * client's rate of 3/s, not the 12 against the forwarding router's address.
     */
    @Test
    void aForwardedCallCountsAgainstItsClientAtTheOwnerNotAgainstTheForwardingRouter() throws Exception {
        String[] limited = {
            OWNED, "wafleet.router.rate-limit-per-second=3", "wafleet.router.trusted-proxies=127.0.0.0/8"
        };
        first = fixture.startRouter(limited);
        second = fixture.startRouter(limited);
        int partitions = fixture.config.connectionRequests().partitions();
        await().atMost(WAIT)
                .until(() -> owned(first).size() + owned(second).size() == partitions
                        && !owned(first).isEmpty()
                        && !owned(second).isEmpty());
        RequestConsumer owner = first.getBean(RequestConsumer.class);
        String account = IntStream.range(0, 1_000)
                .mapToObj(i -> "forwarded-" + i + "-" + env)
                .filter(id -> owned(first).contains(owner.partitionOf(id)))
                .findFirst()
                .orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int client = 1; client <= 4; client++) {
            for (int i = 0; i < 3; i++) {
                answers.add(http.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:"
                                        + second.getEnvironment().getProperty("local.server.port")
                                        + "/api/v1/accounts/" + account))
                                .header("Authorization", "Bearer " + RouterFixture.ADMIN_TOKEN)
                                .header("X-Forwarded-For", "203.0.113." + client)
                                .build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
        }

        assertThat(answers)
                .as("12 calls of 4 clients, 3 each, all answered by the owner (an unknown account: 404)")
                .allSatisfy(answer -> {
                    assertThat(answer.statusCode()).isEqualTo(404);
                    assertThat(answer.headers().firstValue(OwnerForwarding.ANSWERED_BY))
                            .contains(routerId(first));
                });
    }

    /** Two routers sharing the partitions, and {@code count} accounts connected through them, waiting for scans. */
    private List<String> twoRoutersWaitingForScans(SimulatedServer server, String hold, String prefix, int count) {
        fixture.addServer(server, env, 1);
        first = fixture.startRouter(hold);
        second = fixture.startRouter(hold);
        int partitions = fixture.config.connectionRequests().partitions();
        await().atMost(WAIT)
                .until(() -> owned(first).size() + owned(second).size() == partitions
                        && !owned(first).isEmpty()
                        && !owned(second).isEmpty());
        List<String> accounts = IntStream.range(0, count)
                .mapToObj(i -> prefix + "-" + i + "-" + env)
                .toList();
        accounts.forEach(account -> fixture.post(RouterFixture.request(account, ConnectionAction.CONNECT)
                .setEnvironment(env)
                .build()));
        await().atMost(WAIT)
                .until(() -> accounts.stream()
                        .allMatch(account -> fixture.states(account).contains(QR_REQUIRED)));
        return accounts;
    }

    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    private ConfigurableApplicationContext other(ConfigurableApplicationContext router) {
        return router == first ? second : first;
    }

    private static String routerId(ConfigurableApplicationContext router) {
        return router.getBean("routerId", String.class);
    }

    private static Set<Integer> owned(ConfigurableApplicationContext router) {
        return new HashSet<>(router.getBean(RequestConsumer.class).ownedPartitions());
    }
}
