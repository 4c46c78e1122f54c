package io.mxcutover.sync.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The plain sockets of every IMAP connection, with {@code TCP_NODELAY} on (Angus's {@code mail.imap.socketFactory};
 * for implicit TLS Angus wraps the socket made here, and STARTTLS keeps it). Commands written back to back without
 * waiting for their answers (a STATUS per folder, LSUB and LIST, the APPEND after an APPEND) go out at once: with
 * Nagle's algorithm each small write after the first waited for the server's ACK of the one before, one round trip
 * or a delayed-ACK timer (40 ms on Linux, up to 200 ms on Windows servers) per batch of commands sent together.
 */
final class NoDelaySockets extends SocketFactory {
    static final NoDelaySockets INSTANCE = new NoDelaySockets();

    private NoDelaySockets() {}

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(new Socket(address, port, localAddress, localPort));
    }

    /** Stable: the Jakarta Mail session cache is keyed by the properties' text. */
    @Override
    public String toString() {
        return "NoDelaySockets";
    }
}
