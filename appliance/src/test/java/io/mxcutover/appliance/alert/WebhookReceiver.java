package io.mxcutover.appliance.alert;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A webhook receiver on 127.0.0.1 and an ephemeral port (the JDK's HttpServer): records every request
 * (headers and body bytes) and answers with the next status the test queued, 200 when none is left.
 */
final class WebhookReceiver implements AutoCloseable {
    /** One request: its headers and the exact bytes of its body. */
    static final class Received {
        private final Map<String, List<String>> headers;
        private final byte[] body;

        Received(Map<String, List<String>> headers, byte[] body) {
            this.headers = headers;
            this.body = body.clone();
        }

        byte[] body() {
            return body.clone();
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> arrivals = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    private final HttpServer server;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Received r = new Received(Map.copyOf(exchange.getRequestHeaders()), body);
            received.add(r);
            arrivals.add(r);
            Integer status = statuses.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        server.start();
    }

    /** The next answers, in order. */
    WebhookReceiver answer(int... codes) {
        for (int c : codes) {
            statuses.add(c);
        }
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
