package io.wafleet.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wafleet.platform.junit.WafleetIntegrationTest;
import io.wafleet.platform.kafka.KafkaCluster;
import io.wafleet.platform.postgres.PostgresDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The token check against the paths an attacker would try: every write and every sensitive read under percent-encoded
 * letters, {@code ;params} in any segment, {@code //}, {@code /./}, {@code ..}, a trailing slash, upper case and
 * {@code %2F}, sent byte for byte over a socket (an HTTP client would normalise some of them). None may succeed
 * without the right token, and none may change anything.
 */
@WafleetIntegrationTest
class ApiPathVariantsTest {

    private static final String ADMIN = "admin-secret-token";
    private static final String READER = "reader-secret-token";
    private static final String IMPORT =
            "{\"servers\": [{\"name\": \"WA-Variant\", \"hostname\": \"variant.example\", \"port\": 3001,"
                    + " \"environment\": \"production\"}]}";

    private ConfigurableApplicationContext router;
    private PostgresDatabase database;
    private int port;

    @BeforeEach
    void start(KafkaCluster kafka, PostgresDatabase shared) {
        database = shared.createFreshDatabase("router_variants");
        Flyway.configure().dataSource(database.dataSource()).load().migrate();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--wafleet.bootstrap-servers=" + kafka.bootstrapServers(),
                "--wafleet.router.admin-token=" + ADMIN,
                "--wafleet.router.read-token=" + READER,
                "--wafleet.router.rate-limit-per-second=0"));
        database.springProperties().forEach(property -> args.add("--" + property));
        router = new SpringApplicationBuilder(RouterApplication.class).run(args.toArray(String[]::new));
        port = Integer.parseInt(router.getEnvironment().getProperty("local.server.port"));
    }

    @AfterEach
    void stop() {
        router.close();
    }

    @Test
    void noPathVariantOfAWriteOrASensitiveReadPassesWithoutTheRightToken() throws Exception {
        List<String> passed = new ArrayList<>();
        for (String[] call : new String[][] {
            {"POST", "/api/v1/servers/import", IMPORT},
            {"GET", "/api/v1/accounts", null},
            {"GET", "/api/v1/accounts/acct-1/qr", null},
            {"POST", "/api/v1/accounts/acct-1/connect", "{}"},
            {"GET", "/api/v1/servers", null},
            {"GET", "/api/v1/stream", null}
        }) {
            for (String variant : variants(call[1])) {
                for (String token : new String[] {null, "wrong-token"}) {
                    int status = send(call[0], variant, call[2], token).status();
                    if (status >= 200 && status < 300) {
                        passed.add(call[0] + " " + variant + " (token " + token + ") -> " + status);
                    }
                }
                if (call[0].equals("POST")) {
                    // The reader's token reads; it never writes.
                    int status = send(call[0], variant, call[2], READER).status();
                    if (status >= 200 && status < 300) {
                        passed.add(call[0] + " " + variant + " (reader token) -> " + status);
                    }
                }
            }
        }

        assertThat(passed).isEmpty();
        assertThat(configured("WA-Variant"))
                .as("servers imported by the variants")
                .isZero();
    }

    @Test
    void theCanonicalPathsWorkWithTheRightTokens() throws Exception {
        assertThat(send("GET", "/api/v1/accounts", null, READER).status()).isEqualTo(200);
        assertThat(send("GET", "/api/v1/servers", null, ADMIN).status()).isEqualTo(200);
        Response imported = send("POST", "/api/v1/servers/import", IMPORT, ADMIN);
        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        assertThat(configured("WA-Variant")).isEqualTo(1);
    }

    private int configured(String name) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT count(*) FROM server_configs WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** The canonical path and the forms a servlet container or Spring MVC might route to the same handler. */
    static Set<String> variants(String path) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(path);
        String[] segments = path.substring(1).split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            String first = String.format("%%%02x", (int) segment.charAt(0));
            variants.add(join(segments, i, first + segment.substring(1)));
            variants.add(join(segments, i, first.toUpperCase(Locale.ROOT) + segment.substring(1)));
            variants.add(join(segments, i, segment + ";x=1"));
            variants.add(join(segments, i, segment + ";"));
            variants.add(join(segments, i, segment.toUpperCase(Locale.ROOT)));
            variants.add(insertAt(path, i, "/"));
            variants.add(insertAt(path, i, "/./"));
            variants.add(insertAt(path, i, "/x/../"));
            variants.add(insertAt(path, i, "/%2e/"));
            variants.add(insertAt(path, i, "/x/%2e%2e/"));
            if (i > 0) {
                variants.add(replaceSlash(path, i, "%2F"));
                variants.add(replaceSlash(path, i, "%2f"));
                variants.add(replaceSlash(path, i, "\\"));
            }
        }
        variants.add(path + "/");
        variants.add(path + "/.");
        variants.add(path + "?x=1");
        variants.add(path + "%20");
        variants.add(path.toUpperCase(Locale.ROOT));
        return variants;
    }

    private static String join(String[] segments, int index, String replacement) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < segments.length; i++) {
            path.append('/').append(i == index ? replacement : segments[i]);
        }
        return path.toString();
    }

    /** The path with {@code extra} in place of its {@code index}-th slash (0 is the leading one). */
    private static String insertAt(String path, int index, String extra) {
        int slash = slash(path, index);
        return path.substring(0, slash) + extra + path.substring(slash + 1);
    }

    private static String replaceSlash(String path, int index, String replacement) {
        int slash = slash(path, index);
        return path.substring(0, slash) + replacement + path.substring(slash + 1);
    }

    private static int slash(String path, int index) {
        int at = -1;
        for (int i = 0; i <= index; i++) {
            at = path.indexOf('/', at + 1);
        }
        return at;
    }

    private record Response(int status, String body) {}

    /** One HTTP/1.1 request, its target sent exactly as given. */
    private Response send(String method, String target, String body, String token) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Type: application/json\r\n");
        }
        request.append("Content-Length: ").append(content.length).append("\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String statusLine = answer.substring(0, Math.max(0, answer.indexOf("\r\n")));
            String[] parts = statusLine.split(" ");
            int status = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return new Response(status, answer);
        }
    }
}
