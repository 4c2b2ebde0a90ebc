package io.wafleet.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.wafleet.avro.Dialect;
import io.wafleet.avro.Protocol;
import io.wafleet.avro.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated WhatsApp server on its own loopback port: answers in its dialect after a sampled latency, fails as
 * its error rate and fault say, and counts what it was asked.
 */
public final class SimulatedServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatedServer.class);
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    private static final int OVERSIZED_BYTES = 8 << 20;

    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final SSLContext tls;
    private final Clock clock;
    private final Instant startedAt;
    private final Sessions sessions;
    private final QrImages qrImages;
    private final DialectApi api;
    private final WebhookOut webhooks;
    private final SessionSends sends;
    private final Set<HttpExchange> hanging = ConcurrentHashMap.newKeySet();
    private final LongAdder requests = new LongAdder();
    private final Map<String, LongAdder> requestsByRoute = new ConcurrentHashMap<>();
    private final List<Consumer<Served>> servedListeners = new CopyOnWriteArrayList<>();
    private volatile ServerSpec spec;
    private volatile Fault fault = Fault.NONE;
    private volatile String reportedStatus = "healthy";
    private volatile HttpServer http;
    private final int port;

    SimulatedServer(
            ServerSpec spec, ExecutorService workers, ScheduledExecutorService timers, SSLContext tls, Clock clock) {
        this.spec = spec;
        this.workers = workers;
        this.timers = timers;
        this.tls = tls;
        this.clock = clock;
        this.startedAt = clock.instant();
        this.sessions = new Sessions(clock, spec.capacity(), spec.scanDelay());
        this.webhooks = new WebhookOut(timers);
        sessions.listener(this::moved);
        this.qrImages = QrImages.of(spec.id(), spec.qrImagesAhead());
        this.api = switch (spec.dialect()) {
            case SEED -> new SeedApi(this);
            case WAHA -> new WahaApi(this);
            case EVOLUTION -> new EvolutionApi(this);
        };
        this.sends = new SessionSends(clock, timers);
        sends.acks((session, id, chat, ack, at) -> webhooks.send(api.ackWebhooks(session, id, chat, ack, at)));
        this.http = bind(spec.port());
        this.port = http.getAddress().getPort();
    }

    /**
     * A session entered a state: its webhooks go out, and when the state ends by itself after a while (a start, a
     * scan delay, a reconnect) the session is read then, so that change is sent when it happens, not when next read.
     */
    private void moved(Session session, Session.State from, Session.State to, Instant at) {
        if (session.config() == null) {
            return;
        }
        List<WebhookOut.Outgoing> out = api.webhooks(session, from, to, at);
        if (!out.isEmpty()) {
            webhooks.send(out);
        }
        Duration lasts = switch (to) {
            case STARTING -> Session.START_DELAY;
            case RECONNECTING -> Session.RECONNECT_DELAY;
            case SCAN_QR_CODE -> spec.scanDelay();
            default -> null;
        };
        if (lasts != null) {
            readWhenDue(session, to, at.plus(lasts));
        }
    }

    /** Reads the session once {@code due} has passed (by the clock, which a timer can be a moment ahead of). */
    private void readWhenDue(Session session, Session.State state, Instant due) {
        long wait = Math.max(1, Duration.between(clock.instant(), due).toMillis() + 1);
        timers.schedule(
                () -> {
                    if (sessions.stateOf(session) == state
                            && session.stateSince().plus(Duration.ZERO).isBefore(due)
                            && clock.instant().isBefore(due)) {
                        readWhenDue(session, state, due);
                    }
                },
                wait,
                TimeUnit.MILLISECONDS);
    }

    /** What becomes of the messages its sessions send. */
    SessionSends sends() {
        return sends;
    }

    /** Its sessions' sends so far, by outcome: sent, not_on_whatsapp, rate_limited, failed. */
    public Map<String, Object> messageCounts() {
        return sends.counts();
    }

    /** How its sessions' sends fail and are acknowledged. */
    public void messageFaults(SessionSends.Faults faults) {
        sends.faults(faults);
    }

    /** The faults of this server's webhook deliveries (loss, duplicates, delays). */
    public void webhookFaults(WebhookOut.Faults faults) {
        webhooks.faults(faults);
    }

    /** Its webhook deliveries so far: sent, lost, failed. */
    public Map<String, Object> webhookCounts() {
        return webhooks.counts();
    }

    public String id() {
        return spec.id();
    }

    public int port() {
        return port;
    }

    public Dialect dialect() {
        return spec.dialect();
    }

    /** The base URL clients use, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return (spec.tls() ? "https" : "http") + "://127.0.0.1:" + port;
    }

    /**
     * This server as a wa.server-configs record would describe it: its id as id and name, loopback, its port,
     * protocol, dialect, health endpoint, capacity and pool; no API key (it is stored encrypted) and no timeouts.
     */
    public ServerConfig.Builder config() {
        Instant now = Instant.now();
        return ServerConfig.newBuilder()
                .setId(id())
                .setName(id())
                .setHostname("127.0.0.1")
                .setPort(port())
                .setProtocol(spec.tls() ? Protocol.HTTPS : Protocol.HTTP)
                .setDialect(dialect())
                .setHealthCheckEndpoint(ServersJson.healthEndpoint(spec))
                .setEnvironment(spec.environment() == null ? "production" : spec.environment())
                .setLocation(spec.location())
                .setMaxInstances(spec.maxInstances())
                .setMaxUsersPerInstance(spec.maxUsersPerInstance())
                .setPriority(spec.priority())
                .setWeight(spec.weight())
                .setTags(spec.tags())
                // On loopback: an API key may go over plain http.
                .setTrustedNetwork(!spec.tls())
                .setCreatedAt(now)
                .setUpdatedAt(now);
    }

    public ServerSpec spec() {
        return spec;
    }

    /** Puts the server in a fault until {@link #recover()}. */
    public synchronized void fault(Fault fault) {
        if (fault.mode() == Fault.Mode.DOWN) {
            goDown();
        } else if (http == null) {
            http = bind(port);
        }
        this.fault = fault;
        LOG.info("server {} fault: {}", spec.id(), fault);
    }

    /** Back to normal: listening again if it was down, hung requests closed, no fault. */
    public synchronized void recover() {
        if (http == null) {
            http = bind(port);
        }
        releaseHanging();
        fault = Fault.NONE;
        LOG.info("server {} recovered", spec.id());
    }

    public Fault currentFault() {
        return fault;
    }

    public void latency(LatencyModel latency) {
        spec = spec.toBuilder().latency(latency.medianMs(), latency.p99Ms()).build();
    }

    public void errorRate(double errorRate) {
        spec = spec.toBuilder().errorRate(errorRate).build();
    }

    /** The status its health endpoint reports: healthy, degraded, unhealthy. */
    public void reportStatus(String status) {
        this.reportedStatus = status;
    }

    /**
     * The simulated QR scan of a session waiting for it, by its name (WAHA Plus and Evolution name it after the
     * account); on a server with one session (WAHA Core, always {@code default}) that session, whatever name is
     * given. False when no such session waits.
     */
    public boolean scan(String session) {
        return named(session).map(found -> found.scan(clock.instant())).orElse(false);
    }

    /** The simulated drop of a connected session's connection (it reconnects by itself); false when not connected. */
    public boolean drop(String session) {
        return named(session)
                .map(found -> found.drop(clock.instant(), spec.scanDelay()))
                .orElse(false);
    }

    /**
     * The account logs the session out on the phone: the session stops and forgets its login (Evolution 2.3.6: the
     * connection closes with Baileys' 401 and is not reconnected); false when it was not connected.
     */
    public boolean logoutOnPhone(String session) {
        return named(session)
                .filter(found -> sessions.stateOf(found) == Session.State.WORKING)
                .map(found -> {
                    found.logout(clock.instant());
                    return true;
                })
                .orElse(false);
    }

    private java.util.Optional<Session> named(String session) {
        return sessions.find(spec.wahaCore() ? WahaApi.CORE_SESSION : session);
    }

    /**
     * One call as answered: its method, path and body, and how long the server took from taking it up to having
     * written its answer (the sampled latency, the work of the answer, and waiting for the CPU). Not part of any
     * dialect: it lets a benchmark tell the server's time from its client's.
     */
    public record Served(String method, String path, byte[] body, long nanos) {}

    /** Told of every call once its answer is written (on the server's worker thread: keep it short). */
    public void onServed(Consumer<Served> listener) {
        servedListeners.add(listener);
    }

    public long requestCount() {
        return requests.sum();
    }

    /** Requests by "METHOD /path" so far. */
    public Map<String, Long> requestCountsByRoute() {
        Map<String, Long> counts = new HashMap<>();
        requestsByRoute.forEach((route, count) -> counts.put(route, count.sum()));
        return counts;
    }

    /** Each account and the state it is in (WAHA's names). */
    public Map<String, String> accounts() {
        Map<String, String> accounts = new HashMap<>();
        sessions.all()
                .forEach(session -> accounts.put(
                        session.accountId(), sessions.stateOf(session).name()));
        return accounts;
    }

    String reportedStatus() {
        return reportedStatus;
    }

    Sessions sessions() {
        return sessions;
    }

    QrImages qrImages() {
        return qrImages;
    }

    Clock clock() {
        return clock;
    }

    Instant startedAt() {
        return startedAt;
    }

    @Override
    public synchronized void close() {
        goDown();
    }

    private void goDown() {
        if (http != null) {
            http.stop(0);
            http = null;
        }
        releaseHanging();
    }

    private void releaseHanging() {
        hanging.forEach(HttpExchange::close);
        hanging.clear();
    }

    private HttpServer bind(int port) {
        try {
            InetSocketAddress address = new InetSocketAddress(SimulatedFleet.bindAddress(), port);
            HttpServer server;
            if (spec.tls()) {
                HttpsServer https = HttpsServer.create(address, 1024);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            } else {
                server = HttpServer.create(address, 1024);
            }
            server.setExecutor(workers);
            server.createContext("/", this::handle);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " for server " + spec.id(), e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long taken = System.nanoTime();
        requests.increment();
        Request request = read(exchange);
        requestsByRoute
                .computeIfAbsent(
                        exchange.getRequestMethod() + " "
                                + exchange.getRequestURI().getPath(),
                        route -> new LongAdder())
                .increment();
        Fault current = fault;
        if (current.mode() == Fault.Mode.HANG) {
            hanging.add(exchange);
            return;
        }
        Reply reply = reply(request, current);
        Runnable answer = () -> {
            send(exchange, reply);
            served(request, taken);
        };
        long delayMicros = Math.round(spec.latency().sampleMs() * 1000)
                + current.slowMs() * 1000
                + Math.round(reply.waitMs() * spec.waitScale() * 1000);
        if (delayMicros <= 0) {
            answer.run();
        } else {
            timers.schedule(() -> workers.execute(answer), delayMicros, TimeUnit.MICROSECONDS);
        }
    }

    private void served(Request request, long taken) {
        if (!servedListeners.isEmpty()) {
            Served served = new Served(
                    request.method(),
                    "/" + String.join("/", request.segments()),
                    request.body(),
                    System.nanoTime() - taken);
            servedListeners.forEach(listener -> listener.accept(served));
        }
    }

    private Reply reply(Request request, Fault current) {
        String expectedKey = spec.apiKey();
        if (expectedKey != null
                && api.checksKey(request)
                && !sameKey(expectedKey, request.header(api.apiKeyHeader()))) {
            return api.unauthorized();
        }
        switch (current.mode()) {
            case ERROR -> {
                return Reply.error(current.status(), "simulated failure");
            }
            case MALFORMED -> {
                return Reply.raw(200, Reply.JSON, "{\"status\": \"healthy\", \"uptime\": 12, \"accounts\": {\"tot");
            }
            case OVERSIZED -> {
                return oversized();
            }
            default -> {
                // NONE and SLOW answer normally; SLOW only adds delay.
            }
        }
        if (spec.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < spec.errorRate()) {
            return Reply.error(500, "simulated internal error");
        }
        return api.handle(request);
    }

    private static Reply oversized() {
        byte[] body = new byte[OVERSIZED_BYTES];
        byte[] head = "{\"status\": \"healthy\", \"padding\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        Arrays.fill(body, (byte) 'x');
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        return new Reply(200, Reply.JSON, body);
    }

    private static boolean sameKey(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private void send(HttpExchange exchange, Reply reply) {
        try (exchange) {
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            exchange.getResponseBody().write(reply.body());
        } catch (IOException e) {
            // The client went away before its answer; nothing to do.
            LOG.debug("server {}: answer not delivered: {}", spec.id(), e.getMessage());
        }
    }

    private static Request read(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        List<String> segments = Arrays.stream(uri.getPath().split("/"))
                .filter(segment -> !segment.isEmpty())
                .toList();
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                query.putIfAbsent(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
            }
        }
        Map<String, String> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_REQUEST_BYTES);
        }
        return new Request(exchange.getRequestMethod(), segments, query, headers, body);
    }

    private static String decode(String text) {
        return java.net.URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
