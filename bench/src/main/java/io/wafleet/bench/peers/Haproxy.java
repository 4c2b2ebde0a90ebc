package io.wafleet.bench.peers;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (the Debian package's {@code haproxy}) health-checking one server, with its runtime API on a UNIX socket:
 * the peer the bench compares failure detection against.
 */
final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Path socket;

    private Haproxy(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The binary, or null when HAProxy is not installed. */
    static Path binary() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin")) {
            Path candidate = Path.of(dir, "haproxy");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The first line of {@code haproxy -v}. */
    static String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary().toString(), "-v")
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out.lines().findFirst().orElse("HAProxy, version unknown");
    }

    /**
     * Starts HAProxy checking {@code GET path} on 127.0.0.1:port every {@code interSeconds}, down after {@code fall}
     * failures, up after {@code rise} successes, each check given {@code timeoutSeconds}; its one server is {@code s1}.
     */
    static Haproxy start(Path dir, int port, String path, int interSeconds, int fall, int rise, int timeoutSeconds)
            throws IOException, InterruptedException {
        return start(dir, """
                defaults
                    mode http
                    timeout connect %ds
                    timeout client 30s
                    timeout server 30s
                    timeout check %ds
                backend peer
                    option httpchk GET %s
                    http-check expect status 200
                    server s1 127.0.0.1:%d check inter %ds fall %d rise %d
                """.formatted(timeoutSeconds, timeoutSeconds, path, port, interSeconds, fall, rise));
    }

    /** Starts HAProxy with these sections after a {@code global} one that opens its runtime API. */
    static Haproxy start(Path dir, String sections) throws IOException, InterruptedException {
        Path socket = dir.resolve("haproxy.sock");
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, "global\n    stats socket " + socket + " mode 600 level admin\n" + sections);
        Process process = new ProcessBuilder(binary().toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        Haproxy haproxy = new Haproxy(process, socket);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "HAProxy did not start: " + Files.readString(dir.resolve("haproxy.log")));
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return haproxy;
    }

    /** Server {@code s1}'s status as {@code show stat} gives it: {@code UP}, {@code DOWN}, {@code UP 1/3}, ... */
    String status() throws IOException {
        return field("s1", "status");
    }

    /** One column of one server's line of {@code show stat} (its {@code svname}). */
    String field(String server, String column) throws IOException {
        String csv = command("show stat");
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(","));
        int name = header.indexOf("svname");
        int index = header.indexOf(column);
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > index && fields[name].equals(server)) {
                return fields[index];
            }
        }
        throw new IllegalStateException("no server " + server + " in: " + csv);
    }

    private String command(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            while (channel.read(buffer) > 0) {
                buffer.flip();
                out.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return out.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
