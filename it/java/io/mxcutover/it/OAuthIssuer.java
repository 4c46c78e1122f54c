package io.mxcutover.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small OAuth2 authorization server for tests, on 127.0.0.1 and a free port (JDK HttpServer): a token endpoint
 * ({@code POST /token}, RFC 6749: {@code client_credentials} for a registered client id and secret,
 * {@code refresh_token} for a registered refresh token) and a token-introspection endpoint
 * ({@code POST /introspect}, RFC 7662) for {@link OAuthImapServer}'s Dovecot. The test decides which tokens are
 * good: it registers clients and refresh tokens, each for one user, and can expire a user's tokens (the next
 * introspection says {@code "active": false}), revoke a refresh token ({@code invalid_grant}) or disable a user
 * (every token, even a new one, inactive). Access tokens are {@code at-<user>-<n>}, issued with
 * {@code expires_in} = {@link #lifetimeSeconds(long)} (3600 by default); they never expire by themselves.
 */
public final class OAuthIssuer implements AutoCloseable {
    private record Client(String secret, String user) {}

    private record Issued(String user, boolean active) {}

    private final HttpServer http;
    private final ExecutorService executor;
    private final Map<String, Client> clients = new HashMap<>();
    private final Map<String, String> refreshTokens = new HashMap<>();
    private final Map<String, Issued> tokens = new HashMap<>();
    private final Set<String> disabled = new HashSet<>();
    private final Map<String, Integer> issued = new HashMap<>();
    private final Map<String, Integer> refused = new HashMap<>();
    private final List<String> tokenRequests = new ArrayList<>();
    private long lifetimeSeconds = 3600;
    private int sequence;

    private OAuthIssuer(HttpServer http, ExecutorService executor) {
        this.http = http;
        this.executor = executor;
    }

    public static OAuthIssuer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "oauth-issuer");
                t.setDaemon(true);
                return t;
            });
            OAuthIssuer issuer = new OAuthIssuer(http, executor);
            http.createContext("/token", issuer::token);
            http.createContext("/introspect", issuer::introspect);
            http.setExecutor(executor);
            http.start();
            return issuer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test OAuth2 server on 127.0.0.1", e);
        }
    }

    public URI tokenUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/token");
    }

    public URI introspectionUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/introspect");
    }

    /** A client whose client-credentials tokens are {@code user}'s (Dovecot 2.3 wants one user per token). */
    public synchronized void addClient(String clientId, String secret, String user) {
        clients.put(clientId, new Client(secret, user));
    }

    /** A refresh token for {@code user}, usable by any registered client. */
    public synchronized void addRefreshToken(String refreshToken, String user) {
        refreshTokens.put(refreshToken, user);
    }

    /** The token endpoint answers {@code invalid_grant} for it from now on. */
    public synchronized void revokeRefreshToken(String refreshToken) {
        refreshTokens.remove(refreshToken);
    }

    /** Every access token issued to {@code user} so far is inactive (expired or revoked on the server's side). */
    public synchronized void expireTokensOf(String user) {
        tokens.replaceAll((t, i) -> i.user().equals(user) ? new Issued(user, false) : i);
    }

    /** Every token of {@code user}, issued or to be issued, is inactive. */
    public synchronized void disable(String user) {
        disabled.add(user);
    }

    public synchronized void lifetimeSeconds(long seconds) {
        lifetimeSeconds = seconds;
    }

    /** How many access tokens {@code user} got. */
    public synchronized int issued(String user) {
        return issued.getOrDefault(user, 0);
    }

    /** How many introspections of {@code user}'s tokens answered inactive (logins Dovecot refused). */
    public synchronized int refused(String user) {
        return refused.getOrDefault(user, 0);
    }

    /** The access tokens issued so far (to check that none reaches a message). */
    public synchronized List<String> issuedTokens() {
        return List.copyOf(tokens.keySet());
    }

    /** The bodies of the token requests received, form-encoded as sent. */
    public synchronized List<String> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    private void token(HttpExchange exchange) throws IOException {
        String body = body(exchange);
        Map<String, String> form = form(body);
        int status;
        String answer;
        synchronized (this) {
            tokenRequests.add(body);
            String user = null;
            String error = null;
            String grant = form.getOrDefault("grant_type", "");
            Client client = clients.get(form.getOrDefault("client_id", ""));
            if (!exchange.getRequestMethod().equals("POST")) {
                error = "invalid_request";
            } else if (grant.equals("client_credentials")) {
                if (client == null || !client.secret().equals(form.get("client_secret"))) {
                    error = "invalid_client";
                } else {
                    user = client.user();
                }
            } else if (grant.equals("refresh_token")) {
                if (client == null || !client.secret().equals(form.get("client_secret"))) {
                    error = "invalid_client";
                } else {
                    user = refreshTokens.get(form.getOrDefault("refresh_token", ""));
                    if (user == null) {
                        error = "invalid_grant";
                    }
                }
            } else {
                error = "unsupported_grant_type";
            }
            if (error != null) {
                status = error.equals("invalid_client") ? 401 : 400;
                answer = "{\"error\":\"" + error + "\",\"error_description\":\"test issuer says " + error + "\"}";
            } else {
                String token = "at-" + user + "-" + (++sequence);
                tokens.put(token, new Issued(user, true));
                issued.merge(user, 1, Integer::sum);
                status = 200;
                answer = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + lifetimeSeconds + "}";
            }
        }
        reply(exchange, status, answer);
    }

    private void introspect(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(body(exchange));
        String answer;
        synchronized (this) {
            Issued token = tokens.get(form.getOrDefault("token", ""));
            if (token == null) {
                answer = "{\"active\":false}";
            } else {
                boolean active = token.active() && !disabled.contains(token.user());
                if (!active) {
                    refused.merge(token.user(), 1, Integer::sum);
                }
                answer = "{\"active\":" + active + ",\"username\":\"" + token.user() + "\"}";
            }
        }
        reply(exchange, 200, answer);
    }

    private static String body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
