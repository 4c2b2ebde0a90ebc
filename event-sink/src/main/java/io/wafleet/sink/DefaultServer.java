package io.wafleet.sink;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's {@code WHATSAPP_SERVER_URL} ("default WhatsApp server"): when set and no server is configured yet, the
 * sink adds it as server {@code default} in environment {@code production}; CDC then brings it to every service.
 * With servers configured it does nothing, so it never undoes an operator's choices.
 */
final class DefaultServer {

    private static final Logger log = LoggerFactory.getLogger(DefaultServer.class);

    private DefaultServer() {}

    /** @return whether the server was added */
    static boolean addIfNone(DataSource dataSource, String url) throws SQLException {
        if (url == null || url.isBlank()) {
            return false;
        }
        URI uri = URI.create(url.trim());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "WHATSAPP_SERVER_URL must be an http(s)://host[:port][/path] URL, was '" + url + "'");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getPath() == null || uri.getPath().equals("/")
                ? ""
                : uri.getPath().replaceAll("/+$", "");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO server_configs"
                        + " (name, hostname, port, protocol, base_path, environment, created_by, updated_by)"
                        + " SELECT 'default', ?, ?, ?, ?, 'production', 'WHATSAPP_SERVER_URL', 'WHATSAPP_SERVER_URL'"
                        + " WHERE NOT EXISTS (SELECT 1 FROM server_configs)")) {
            insert.setString(1, uri.getHost());
            insert.setInt(2, port);
            insert.setString(3, scheme);
            insert.setString(4, path);
            boolean added = insert.executeUpdate() == 1;
            if (added) {
                log.info(
                        "no server configured: added WHATSAPP_SERVER_URL {}://{}:{}{} as 'default'",
                        scheme,
                        uri.getHost(),
                        port,
                        path);
            }
            return added;
        }
    }
}
