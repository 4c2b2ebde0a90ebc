package io.wafleet.router.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import io.wafleet.router.RouterApplication;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every endpoint of the OpenAPI document driven with malformed input, generated from what each one reads: every
 * body field gets a value of the wrong type, a NUL, a control character and an over-long string; every query
 * parameter gets garbage; bodies are not JSON or not objects; path ids are garbage. The answer is always a 4xx
 * problem+json, a 400 names the field, and nothing is ever a 5xx. The body fields of the server and pool-rule forms
 * come from the records themselves, so a field added there is covered at once; an endpoint added to the API without
 * a row here fails the test.
 */
@WafleetIntegrationTest
class MalformedInputTest {

    private static final String TOKEN = "malformed-input-admin-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SERVER = "{\"name\": \"WA-Bad\", \"hostname\": \"bad.example\", \"port\": 3001,"
            + " \"environment\": \"production\"}";
    private static final List<String> ACCOUNT_FIELDS = List.of(
            "requestId:string",
            "name:string",
            "environment:string",
            "location:string",
            "tags:list",
            "minCapacity:int",
            "algorithm:string",
            "serverId:string");
    private static final List<String> BULK_FIELDS =
            List.of("environment:string", "location:string", "tags:list", "serverIds:list", "all:bool");

    private static ConfigurableApplicationContext router;
    private static String base;

    /** An endpoint: its body's fields ("name:type") and a valid body to start from. */
    private record Endpoint(String method, String path, List<String> fields, String valid) {}

    @BeforeAll
    static void start(KafkaCluster kafka, PostgresDatabase shared) {
        PostgresDatabase database = shared.createFreshDatabase("malformed");
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.router.admin-token=" + TOKEN,
                "--wafleet.router.api-key-encryption-key="
                        + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                "--wafleet.router.rate-limit-per-second=0",
                "--wafleet.router.token-rate-limit-per-second=0",
                "--wafleet.router.max-body-bytes=65536"));
        database.springProperties().forEach(property -> args.add("--" + property));
        router = new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new));
        base = "http://127.0.0.1:" + router.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static List<Endpoint> endpoints() {
        List<String> server = fields(ServerForm.class);
        List<String> rule = fields(LbRuleForm.class);
        List<String> imported = new ArrayList<>();
        server.forEach(field -> imported.add("servers[0]." + field));
        rule.forEach(field -> imported.add("loadBalancing." + field));
        return List.of(
                new Endpoint("POST", "/api/v1/servers", server, SERVER),
                new Endpoint("PUT", "/api/v1/servers/{id}", server, SERVER),
                new Endpoint("DELETE", "/api/v1/servers/{id}", List.of(), null),
                new Endpoint(
                        "POST",
                        "/api/v1/servers/import",
                        imported,
                        "{\"servers\": [" + SERVER + "], \"loadBalancing\": {}}"),
                new Endpoint("PUT", "/api/v1/lb-rules", rule, "{}"),
                new Endpoint("POST", "/api/v1/servers/{id}/drain", List.of(), null),
                new Endpoint("DELETE", "/api/v1/servers/{id}/drain", List.of(), null),
                new Endpoint("POST", "/api/v1/accounts/{id}/connect", ACCOUNT_FIELDS, "{}"),
                new Endpoint(
                        "POST",
                        "/api/v1/accounts/{id}/migrate",
                        ACCOUNT_FIELDS.stream()
                                .filter(f -> !f.startsWith("name:"))
                                .toList(),
                        "{}"),
                new Endpoint("POST", "/api/v1/accounts/{id}/disconnect", List.of("requestId:string"), "{}"),
                new Endpoint("POST", "/api/v1/accounts/{id}/refresh-qr", List.of("requestId:string"), "{}"),
                // Its text may hold line breaks and is up to 4,096 characters: MessageProblemsTest tries its bad texts.
                new Endpoint(
                        "POST",
                        "/api/v1/accounts/{id}/messages",
                        List.of("messageId:string", "recipient:string", "expiresAt:string"),
                        "{\"recipient\": \"491701234567\", \"text\": \"hi\"}"),
                new Endpoint("POST", "/api/v1/bulk/{operation}", BULK_FIELDS, "{\"all\": true}"),
                new Endpoint("POST", "/api/v1/demo/servers/{id}/fault", List.of("mode:string"), "{}"),
                new Endpoint("POST", "/api/v1/demo/servers/{id}/recover", List.of(), null),
                // Its body is a server's event, read in the server's dialect once the server's secret is proven:
                // ServerNoticesTest and ServerWebhooksIntegrationTest try its malformed bodies.
                new Endpoint("POST", "/api/v1/webhooks/{id}", List.of(), null));
    }

    /** A record's components as body fields, named and typed as the API reads them. */
    private static List<String> fields(Class<?> form) {
        List<String> fields = new ArrayList<>();
        for (RecordComponent component : form.getRecordComponents()) {
            String name = component.getName();
            if (name.equals("actor")) {
                continue;
            }
            if (name.equals("apiKeyCiphertext")) {
                name = "apiKey";
            }
            fields.add(name + ":" + type(component.getGenericType()));
        }
        return fields;
    }

    private static String type(Type type) {
        if (type instanceof ParameterizedType) {
            return "list";
        }
        return switch (type.getTypeName()) {
            case "int", "java.lang.Integer", "double" -> "int";
            case "boolean" -> "bool";
            default -> "string";
        };
    }

    @Test
    void everyEndpointOfTheOpenApiDocumentIsCovered() throws Exception {
        JsonNode paths =
                JSON.readTree(send("GET", "/v3/api-docs", null, null).body()).get("paths");
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                documented.add(operation.getKey().toUpperCase() + " " + path.getKey());
            }
        }
        Set<String> covered = new TreeSet<>();
        endpoints().forEach(endpoint -> covered.add(endpoint.method() + " " + endpoint.path()));
        reads(paths).keySet().forEach(path -> covered.add("GET " + path));
        assertThat(covered).containsAll(documented);
    }

    @Test
    void everyBodyFieldWithAMalformedValueIsA400NamingIt() throws Exception {
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (Endpoint endpoint : endpoints()) {
            for (String field : endpoint.fields()) {
                String[] nameType = field.split(":");
                for (Object bad : malformed(nameType[1])) {
                    String body = with(endpoint.valid(), nameType[0], bad);
                    HttpResponse<String> response = send(endpoint.method(), path(endpoint), body, TOKEN);
                    sent++;
                    String named = field(response);
                    boolean naming =
                            named != null && (named.equals(nameType[0]) || named.startsWith(nameType[0] + "["));
                    if (response.statusCode() != 400 || !problem(response) || !naming) {
                        String shown = String.valueOf(bad);
                        wrong.add(endpoint.method() + " " + endpoint.path() + " " + nameType[0] + "="
                                + shown.substring(0, Math.min(20, shown.length())) + " -> " + response.statusCode()
                                + " " + response.body());
                    }
                }
            }
        }
        assertThat(sent).isGreaterThan(300);
        assertThat(wrong).isEmpty();
    }

    @Test
    void bodiesThatAreNotJsonObjectsAndGarbageIdsAreA4xxProblemNeverA5xx() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints()) {
            for (String body : List.of("{", "[]", "\"text\"", "42", "{\"a\": " + "[".repeat(5000) + "}", "\u0000")) {
                check(wrong, endpoint.method(), path(endpoint), body);
            }
            for (String id : List.of("x".repeat(300), "a%20b", "%C3%28", "a%00b", "%E2%80%AE", "%2e%2e")) {
                check(wrong, endpoint.method(), endpoint.path().replaceAll("\\{[^}]+}", id), endpoint.valid());
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyQueryParameterWithGarbageIsNeverA5xx() throws Exception {
        JsonNode paths =
                JSON.readTree(send("GET", "/v3/api-docs", null, null).body()).get("paths");
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (Map.Entry<String, List<String>> read : reads(paths).entrySet()) {
            if (read.getKey().equals("/api/v1/stream")) {
                continue; // an endless stream; it takes no parameters
            }
            for (String parameter : read.getValue()) {
                for (String value : List.of("%00", "lots", "-1", "1e99", "x".repeat(2000), "%0d%0aSet-Cookie:x")) {
                    String path = read.getKey().replaceAll("\\{[^}]+}", "x") + "?" + parameter + "=" + value;
                    HttpResponse<String> response = send("GET", path, null, TOKEN);
                    sent++;
                    // A well-formed value that no server matches is answered: "no server qualifies" is not an error.
                    boolean wellFormed = value.matches("[A-Za-z0-9.-]{1,64}");
                    boolean noServer =
                            response.statusCode() == 503 && response.body().contains("/problems/no-server");
                    if ((response.statusCode() >= 500 && !(wellFormed && noServer))
                            || (response.statusCode() >= 400 && !problem(response))
                            || (response.statusCode() == 400 && !parameter.equals(field(response)))) {
                        wrong.add("GET " + path.substring(0, Math.min(80, path.length())) + " -> "
                                + response.statusCode() + " " + response.body());
                    }
                }
            }
        }
        assertThat(sent).isGreaterThan(20);
        assertThat(wrong).isEmpty();
    }

    @Test
    void theIssuesExamplesAreRefusedWithTheRuleTheProbeApplies() throws Exception {
        Map<String, Object> cases = new LinkedHashMap<>();
        cases.put("hostname", "a@evil.example");
        cases.put("basePath", "/x?y");
        cases.put("maxRetries", 50);
        cases.put("maxUsersPerInstance", 2_000_000_000);
        cases.put("healthCheckEndpoint", "/health?x=1#y");
        cases.put("ipAddress", "wa.example");
        cases.put("allowedIps", List.of("10.0.0.0/33"));
        cases.put("apiKey", "key\r\nX-Injected: 1");
        for (Map.Entry<String, Object> bad : cases.entrySet()) {
            HttpResponse<String> response =
                    send("POST", "/api/v1/servers", with(SERVER, bad.getKey(), bad.getValue()), TOKEN);
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(field(response)).as(response.body()).startsWith(bad.getKey());
        }
        HttpResponse<String> hostnameInPath = send("POST", "/api/v1/servers", with(SERVER, "hostname", "x/y?z"), TOKEN);
        assertThat(field(hostnameInPath)).isEqualTo("hostname");
        HttpResponse<String> overflow = send(
                "POST",
                "/api/v1/servers",
                with(with(SERVER, "maxInstances", 100_000), "maxUsersPerInstance", 100_000),
                TOKEN);
        assertThat(overflow.body()).contains("maxInstances × maxUsersPerInstance must be at most");
    }

    @Test
    void aBodyOverTheCapIsA413WithOrWithoutALength() throws Exception {
        String big = "{\"servers\": [], \"pad\": \"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> declared = send("POST", "/api/v1/servers/import", big, TOKEN);
        HttpResponse<String> chunked = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/servers/import"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(big.getBytes())))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        for (HttpResponse<String> response : List.of(declared, chunked)) {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(problem(response)).isTrue();
            assertThat(response.body()).contains("over 65536 bytes");
        }
    }

    private static void check(List<String> wrong, String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body, TOKEN);
        if (response.statusCode() >= 500 || (response.statusCode() >= 400 && !problem(response))) {
            wrong.add(method + " " + path.substring(0, Math.min(60, path.length())) + " <- "
                    + (body == null ? "" : body.substring(0, Math.min(20, body.length()))) + " -> "
                    + response.statusCode() + " " + response.body());
        }
    }

    /** The GET paths of the document and their query parameters. */
    private static Map<String, List<String>> reads(JsonNode paths) {
        Map<String, List<String>> reads = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            JsonNode get = path.getValue().get("get");
            if (get == null) {
                continue;
            }
            List<String> parameters = new ArrayList<>();
            JsonNode declared = get.get("parameters");
            if (declared != null) {
                for (JsonNode parameter : declared) {
                    if (parameter.get("in").asString().equals("query")) {
                        parameters.add(parameter.get("name").asString());
                    }
                }
            }
            reads.put(path.getKey(), parameters);
        }
        return reads;
    }

    private static List<Object> malformed(String type) {
        List<Object> values = new ArrayList<>(List.of(Map.of("nested", 1)));
        switch (type) {
            case "string" -> values.addAll(List.of(5, "a\u0000b", "line\nbreak", "x".repeat(1_500)));
            case "int" -> values.addAll(List.of("x", 1.5, 1e15, true));
            case "bool" -> values.addAll(List.of("x", 1));
            case "list" -> values.addAll(List.of("x", List.of("a\u0000b"), List.of(7)));
            default -> throw new IllegalArgumentException(type);
        }
        return values;
    }

    private static String with(String valid, String path, Object value) throws Exception {
        ObjectNode body = (ObjectNode) JSON.readTree(valid);
        ObjectNode target = body;
        Iterator<String> parts = List.of(path.split("\\.")).iterator();
        String part = parts.next();
        while (parts.hasNext()) {
            target = part.endsWith("[0]")
                    ? (ObjectNode)
                            target.get(part.substring(0, part.length() - 3)).get(0)
                    : (ObjectNode) target.get(part);
            part = parts.next();
        }
        target.set(part, JSON.valueToTree(value));
        return JSON.writeValueAsString(body);
    }

    private static String path(Endpoint endpoint) {
        return endpoint.path().replace("{id}", "acct-1").replace("{operation}", "disconnect");
    }

    private static boolean problem(HttpResponse<String> response) {
        return response.headers()
                .firstValue("content-type")
                .map(type -> type.startsWith("application/problem+json"))
                .orElse(false);
    }

    private static String field(HttpResponse<String> response) {
        try {
            JsonNode field = JSON.readTree(response.body()).get("field");
            return field == null ? null : field.asString();
        } catch (Exception e) {
            return null;
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
