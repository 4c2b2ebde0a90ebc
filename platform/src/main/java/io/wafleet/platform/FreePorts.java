package io.wafleet.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports for the servers a test, a benchmark or the demo starts. One instance never hands out a port twice:
 * the system may offer a port again once the socket that asked for it is closed, and two servers told the same port
 * would fail to start.
 */
public final class FreePorts {

    private final Set<Integer> given = new HashSet<>();

    /** A port free now that this instance has not handed out before. */
    public synchronized int next() {
        while (true) {
            int port = any();
            if (given.add(port)) {
                return port;
            }
        }
    }

    /** A port free now. */
    public static int any() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
