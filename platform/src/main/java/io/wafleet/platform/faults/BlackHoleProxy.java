package io.wafleet.platform.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy to a database that can turn into a black hole: connections stay open and what is sent vanishes, as
 * when a network path or a host stops answering without closing anything. {@link #heal()} closes what went in and
 * forwards again. For fault tests.
 */
public final class BlackHoleProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean forwarding = true;

    public BlackHoleProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "black-hole-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing gets through, in either direction; nothing is closed either. */
    public void swallow() {
        forwarding = false;
    }

    /** Closes the connections that went into the hole and forwards new ones again. */
    public void heal() {
        forwarding = true;
        sockets.forEach(BlackHoleProxy::closeQuietly);
        sockets.clear();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                sockets.add(client);
                sockets.add(server);
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // The listener closed, or the database refused: the client sees its connection fail.
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread pump = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                            if (forwarding) {
                                out.write(buffer, 0, read);
                                out.flush();
                            }
                        }
                    } catch (IOException e) {
                        // One side closed.
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "black-hole-pump");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        heal();
    }
}
