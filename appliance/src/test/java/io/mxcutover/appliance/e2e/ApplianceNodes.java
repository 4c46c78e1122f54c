package io.mxcutover.appliance.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.mxcutover.it.PostgresServer;
import io.mxcutover.sync.credential.SecretBox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Appliance nodes as an admin runs them (issue 16): each node is the shaded jar's {@code server} in a child JVM
 * with a YAML of its own (its own API, admin and relay ports, {@code node.id}, spool and local state directory), the
 * same plan file, the same credential key ({@code sync.keyFile}: made once here and copied into every node's state
 * directory, as the operator copies it to every machine) and the same {@code store.url} (a PostgreSQL database; or
 * none: SQLite in the node's state directory, for one node). A node is stopped by its PID with SIGTERM
 * ({@link Node#stop}) or SIGKILL ({@link Node#kill}: what {@code kill -9} does; {@link Process#destroyForcibly} is
 * SIGKILL on Linux).
 *
 * <pre>{@code
 * try (ApplianceNodes nodes = ApplianceNodes.onPostgres(dir, plan, pg.newDatabase("cluster"), pg)) {
 *     List<Node> started = nodes.start(List.of("a", "b"), Map.of("sync.leaseSeconds", "5"));
 *     started.get(0).api("POST", "/v1/mailboxes", csv, "text/csv");
 * }
 * }</pre>
 *
 * <p>Settings that differ per run are dotted keys set in the node's YAML (e.g. {@code sync.leaseSeconds}): a key the
 * build does not know makes the node refuse to start, with Dropwizard's "Unrecognized field" in its log.
 */
final class ApplianceNodes implements AutoCloseable {
    static final Path JAR = Path.of("target/mxcutover.jar");
    static final String ADMIN_PASSWORD = "admin-test-pw";
    static final String ADMIN = basic("admin", ADMIN_PASSWORD);
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration START = Duration.ofSeconds(150);

    private final Path dir;
    private final Path plan;
    private final Path key;
    private final String storeUrl;
    private final String storeUser;
    private final Path storePasswordFile;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApplianceNodes(Path dir, String planYaml, String storeUrl, String storeUser, String storePassword)
            throws IOException {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        this.dir = Files.createDirectories(dir);
        this.plan = Files.writeString(dir.resolve("plan.yml"), planYaml);
        this.key = dir.resolve("sync.key");
        SecretBox.fromEnvOrFile(key); // made once: every node gets a copy
        this.storeUrl = storeUrl;
        this.storeUser = storeUser;
        if (storePassword.isEmpty()) {
            this.storePasswordFile = null;
        } else {
            this.storePasswordFile = Files.writeString(dir.resolve("store-password"), storePassword + "\n");
            Files.setPosixFilePermissions(storePasswordFile, PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** Nodes sharing one PostgreSQL database ({@code url} from {@link PostgresServer#newDatabase}). */
    static ApplianceNodes onPostgres(Path dir, String planYaml, String url, PostgresServer pg) throws IOException {
        return new ApplianceNodes(dir, planYaml, url, pg.user(), pg.password());
    }

    /** One node on SQLite (its file in the node's state directory). */
    static ApplianceNodes onSqlite(Path dir, String planYaml) throws IOException {
        return new ApplianceNodes(dir, planYaml, "", "", "");
    }

    /** A connection to the shared database (PostgreSQL), as the nodes' user. */
    Connection database() throws SQLException {
        String password;
        try {
            password = Files.readString(storePasswordFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return DriverManager.getConnection(storeUrl, storeUser, password);
    }

    /** Starts the nodes at once (child JVMs in parallel) and returns them when every one answers its API. */
    List<Node> start(List<String> ids, Map<String, String> overrides) throws IOException {
        List<Node> started = new ArrayList<>();
        for (String id : ids) {
            started.add(launch(id, overrides));
        }
        for (Node n : started) {
            n.awaitAnswering();
        }
        return started;
    }

    /** One node, started and answering. */
    Node start(String id, Map<String, String> overrides) throws IOException {
        return start(List.of(id), overrides).get(0);
    }

    Node node(String id) {
        return nodes.get(id);
    }

    private Node launch(String id, Map<String, String> overrides) throws IOException {
        Node previous = nodes.get(id);
        if (previous != null && previous.process.isAlive()) {
            throw new IllegalStateException("node " + id + " runs already (pid " + previous.pid() + ")");
        }
        Path home = Files.createDirectories(dir.resolve(id));
        Path state = Files.createDirectories(home.resolve("state"));
        Path nodeKey = state.resolve("sync.key");
        if (!Files.exists(nodeKey)) {
            Files.copy(key, nodeKey, StandardCopyOption.COPY_ATTRIBUTES);
        }
        int apiPort = freePort();
        int adminPort = freePort();
        Path yml = Files.writeString(
                home.resolve("mxcutover.yml"), withOverrides(yaml(id, home, apiPort, adminPort), overrides));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                JAR.toString(),
                "server",
                yml.toString());
        int run = previous == null ? 0 : previous.run + 1;
        Path log = home.resolve("appliance-" + run + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Node node = new Node(id, home, process, apiPort, adminPort, log, run);
        nodes.put(id, node);
        return node;
    }

    private String yaml(String id, Path home, int apiPort, int adminPort) {
        String store = storeUrl.isEmpty()
                ? "store:\n  path: %s\n".formatted(home.resolve("state/mxcutover.db"))
                : "store:\n  path: %s\n  url: \"%s\"\n  user: %s\n  passwordFile: %s\n  maxPoolSize: 5\n"
                        .formatted(home.resolve("state/mxcutover.db"), storeUrl, storeUser, storePasswordFile);
        return """
                plan: %s
                planCheckIntervalMillis: 1000
                node:
                  id: %s
                  address: "http://127.0.0.1:%d"
                %susers:
                  - name: admin
                    role: ADMIN
                    passwordHash: "$2a$04$14O.mTLGnwSz.X7IZtF06.p11ksWb17Gya9OtH51gEK8i.s16Blwq"
                relay:
                  listen: 127.0.0.1
                  port: 0
                  hostname: %s.appliance.test
                  spool: %s
                  minBackoff: 1s
                  maxBackoff: 2s
                  deliveryWorkers: 4
                  outboundTls: "off"
                dns:
                  enabled: false
                cutover:
                  tickInterval: 500ms
                sync:
                  intervalSeconds: 5
                  idle: false
                  trustAnyCertificate: true
                  keyFile: %s
                  tempDir: %s
                server:
                  applicationConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: %d
                  requestLog:
                    appenders: []
                logging:
                  level: WARN
                  loggers:
                    io.mxcutover: INFO
                  appenders:
                    - type: console
                      target: stdout
                      logFormat: "%%d{ISO8601} %%-5level [%%thread] %%logger{0}: %%msg%%n"
                """.formatted(
                        plan,
                        id,
                        apiPort,
                        store,
                        id,
                        home.resolve("spool"),
                        home.resolve("state/sync.key"),
                        home.resolve("sync-tmp"),
                        apiPort,
                        adminPort);
    }

    /**
     * The YAML with each dotted key ({@code sync.leaseSeconds}) set, its sections made when missing; digits are
     * written as numbers, {@code true}/{@code false} as booleans.
     */
    static String withOverrides(String yaml, Map<String, String> overrides) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        ObjectNode root = (ObjectNode) mapper.readTree(yaml);
        overrides.forEach((key, value) -> {
            String[] parts = key.split("\\.");
            ObjectNode at = root;
            for (int i = 0; i < parts.length - 1; i++) {
                at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
            }
            String last = parts[parts.length - 1];
            if (value.matches("-?[0-9]+")) {
                at.put(last, Long.parseLong(value));
            } else if (value.equals("true") || value.equals("false")) {
                at.put(last, Boolean.parseBoolean(value));
            } else {
                at.put(last, value);
            }
        });
        return mapper.writeValueAsString(root);
    }

    /** Every node still running is killed (SIGKILL): a test's clean-up, not a shutdown. */
    @Override
    public void close() {
        for (Node n : nodes.values()) {
            n.process.destroyForcibly();
        }
        for (Node n : nodes.values()) {
            try {
                n.process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One appliance node: a child JVM. */
    final class Node {
        final String id;
        final Path home;
        final Process process;
        final int apiPort;
        final int adminPort;
        final Path log;
        final int run;

        Node(String id, Path home, Process process, int apiPort, int adminPort, Path log, int run) {
            this.id = id;
            this.home = home;
            this.process = process;
            this.apiPort = apiPort;
            this.adminPort = adminPort;
            this.log = log;
            this.run = run;
        }

        long pid() {
            return process.pid();
        }

        boolean alive() {
            return process.isAlive();
        }

        void awaitAnswering() throws IOException {
            await("node " + id + " answers on :" + apiPort)
                    .atMost(START)
                    .ignoreExceptions()
                    .until(() -> !process.isAlive()
                            || api("GET", "/v1/status", null, null).statusCode() == 200);
            assertThat(process.isAlive())
                    .as("node %s runs; its log:%n%s", id, Files.readString(log))
                    .isTrue();
        }

        /** {@code kill -9}: SIGKILL, no shutdown hook, no graceful stop; waits until the process is gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("node %s gone after SIGKILL", id)
                    .isTrue();
        }

        /** SIGTERM: Dropwizard's graceful stop; waits for the process to end. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }

        /** The relay's SMTP port (the node's status lists its listeners). */
        int relayPort() throws IOException, InterruptedException {
            return get("/v1/status")
                    .get("listeners")
                    .get("relay.smtp")
                    .get("port")
                    .asInt();
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> r = api("GET", path, null, null);
            assertThat(r.statusCode())
                    .as("node %s GET %s: %s", id, path, r.body())
                    .isEqualTo(200);
            return JSON.readTree(r.body());
        }

        /** A request to {@code /api}{@code path} as the admin. */
        HttpResponse<String> api(String method, String path, String body, String type)
                throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api" + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", ADMIN);
            if (body == null) {
                b.GET();
            } else {
                b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        String logText() throws IOException {
            return Files.readString(log);
        }

        @Override
        public String toString() {
            return "node " + id + " (pid " + process.pid() + ", api :" + apiPort + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
