package io.wafleet.probe;

import io.wafleet.avro.ServerConfig;
import io.wafleet.client.ServerClient;
import java.time.Duration;

/**
 * One server as the probe checks it: its validated config, its client (with the API key decrypted, in memory only),
 * its interval and retries.
 *
 * @param config the server's config as published
 * @param client the client in the server's dialect
 * @param interval time between checks
 * @param maxRetries retries of a failed check before it counts as failed
 */
record ProbeTarget(ServerConfig config, ServerClient client, Duration interval, int maxRetries) {

    String serverId() {
        return config.getId();
    }

    @Override
    public String toString() {
        return "ProbeTarget[" + config.getId() + ", every " + interval.toMillis() + " ms]";
    }
}
