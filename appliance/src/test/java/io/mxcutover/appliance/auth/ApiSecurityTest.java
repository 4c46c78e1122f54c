package io.mxcutover.appliance.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.core.Application;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.it.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The appliance as an attacker meets it: the API on HTTPS only (TLS 1.2 and 1.3; a TLS 1.1 client is
 * refused), a burst of wrong passwords locks the client's address out (HTTP Basic on both ports and
 * the console's form count together; the test clock ends the lockout), and no password configured or
 * tried ever reaches the log files the run wrote. The service YAML is written here: an https connector
 * with a keystore generated for this run, file appenders for the application and request logs.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiSecurityTest {
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
    static final String KEYSTORE_PASSWORD = "keystore-pw-5LqT";
    static final String LEGACY_MASTER_PASSWORD = "legacy-master-pw-8Hn";
    static final String NEW_MASTER_PASSWORD = "new-master-pw-2Kd";
    static final List<String> TRIED = List.of("wrong-pw-A1", "wrong-pw-B2", "wrong-pw-C3", "wrong-pw-D4");
    static final List<String> IMAP_PASSWORDS = List.of("imap-legacy-pw-9Zq", "imap-new-pw-4Wx");
    static final Path DIR = directory();
    static final DropwizardAppExtension<ApplianceConfiguration> APP = new DropwizardAppExtension<>(
            new DropwizardTestSupport<ApplianceConfiguration>(
                    ApplianceApplication.class, serviceYaml().toString()) {
                @Override
                public Application<ApplianceConfiguration> newApplication() {
                    return new ApplianceApplication(CLOCK);
                }
            });
    static final HttpClient HTTPS =
            HttpClient.newBuilder().sslContext(trusting()).build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path directory() {
        try {
            Path dir = io.mxcutover.appliance.TempDirs.dir("mxcutover-security-");
            Files.writeString(dir.resolve("plan.yml"), TestAppliance.plan("example.org"));
            Process keytool = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            "api",
                            "-keyalg",
                            "RSA",
                            "-keysize",
                            "2048",
                            "-validity",
                            "2",
                            "-dname",
                            "CN=127.0.0.1",
                            "-ext",
                            "SAN=ip:127.0.0.1",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            dir.resolve("api.p12").toString(),
                            "-storepass",
                            KEYSTORE_PASSWORD)
                    .redirectErrorStream(true)
                    .start();
            keytool.getInputStream().readAllBytes();
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool failed");
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service YAML: conf/test.yml's users, an https API connector, logs to files, a strict throttle. */
    static Path serviceYaml() {
        String yaml = """
                plan: %1$s/plan.yml
                planCheckIntervalMillis: 200
                dns:
                  enabled: false
                relay:
                  listen: 127.0.0.1
                  port: 0
                  hostname: mx.test.example
                  spool: %1$s/spool
                store:
                  path: %1$s/state/mxcutover.db
                sync:
                  legacyMasterUser: master
                  legacyMasterPassword: "%3$s"
                  newMasterUser: master
                  newMasterPassword: "%4$s"
                loginThrottle:
                  maxFailures: 3
                  window: 5m
                  lockout: 15m
                users:
                  - name: admin
                    role: ADMIN
                    passwordHash: "$2a$04$14O.mTLGnwSz.X7IZtF06.p11ksWb17Gya9OtH51gEK8i.s16Blwq"
                  - name: ops
                    role: OPERATOR
                    passwordHash: "$2a$04$NExizwEh28OGh2Zf7gWPoej386zerpmTHcR.iKdYi1mBVs3CnjRri"
                server:
                  applicationConnectors:
                    - type: https
                      bindHost: 127.0.0.1
                      port: 0
                      keyStorePath: %1$s/api.p12
                      keyStorePassword: "%2$s"
                      keyStoreType: PKCS12
                      supportedProtocols: [TLSv1.3, TLSv1.2]
                  adminConnectors:
                    - type: http
                      bindHost: 127.0.0.1
                      port: 0
                  requestLog:
                    appenders:
                      - type: file
                        currentLogFilename: %1$s/logs/requests.log
                        archive: false
                logging:
                  level: INFO
                  appenders:
                    - type: file
                      currentLogFilename: %1$s/logs/mxcutover.log
                      archive: false
                      logFormat: "%%d %%-5level [%%thread] %%logger{0}: %%msg%%n"
                """.formatted(DIR, KEYSTORE_PASSWORD, LEGACY_MASTER_PASSWORD, NEW_MASTER_PASSWORD);
        try {
            Path file = DIR.resolve("service.yml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trusts the certificate of this run's keystore, and nothing else. */
    static SSLContext trusting() {
        try (InputStream in = Files.newInputStream(DIR.resolve("api.p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, KEYSTORE_PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String api(String path) {
        return "https://127.0.0.1:" + APP.getLocalPort() + "/api" + path;
    }

    static HttpResponse<String> get(HttpClient client, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> consoleLogin(String user, String password) throws Exception {
        return HTTPS.send(
                HttpRequest.newBuilder(URI.create(api("/v1/session")))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"name\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every test starts with a clean slate: a day later, no lockout and no failure counts. */
    static void nextDay() {
        CLOCK.advance(Duration.ofDays(1));
    }

    @Test
    @Order(1)
    void apiShouldAnswerOverTls12AndTls13() throws Exception {
        for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
            try (SSLSocket s =
                    (SSLSocket) trusting().getSocketFactory().createSocket("127.0.0.1", APP.getLocalPort())) {
                s.setEnabledProtocols(new String[] {protocol});
                s.startHandshake();
                assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
            }
        }
        nextDay();
        HttpResponse<String> status = get(HTTPS, api("/v1/status"), TestAppliance.ADMIN);
        assertThat(status.statusCode()).isEqualTo(200);
        // the console's cookie is Secure over TLS
        HttpResponse<String> login = consoleLogin("ops", "ops-test-pw");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.headers().firstValue("Set-Cookie").orElseThrow()).contains("Secure");
    }

    @Test
    @Order(2)
    void apiShouldRefuseTls11Client() throws Exception {
        // A client JVM that may speak TLS 1.1 (the JDK disables it by default, on both sides: a child
        // JVM re-enables it for the client only), offering nothing else.
        Path security = DIR.resolve("tls11-client.security");
        Files.writeString(security, "jdk.tls.disabledAlgorithms=SSLv3, RC4, DES, NULL\n");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Djava.security.properties=" + security,
                        "-cp",
                        System.getProperty("java.class.path"),
                        TlsClientProbe.class.getName(),
                        "127.0.0.1",
                        Integer.toString(APP.getLocalPort()),
                        "TLSv1.1")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out)
                .as("the server refused the handshake, not the client")
                .contains("REFUSED")
                .doesNotContain("No appropriate protocol")
                .doesNotContain("NEGOTIATED");
    }

    @Test
    @Order(3)
    void basicBurstShouldLockTheAddressOutUntilTheTestClockPassesTheLockout() throws Exception {
        nextDay();
        List<Integer> codes = new ArrayList<>();
        for (String wrong : TRIED) {
            codes.add(get(HTTPS, api("/v1/status"), TestAppliance.basic("admin", wrong))
                    .statusCode());
        }
        assertThat(codes).containsExactly(401, 401, 401, 429);
        HttpResponse<String> right = get(HTTPS, api("/v1/status"), TestAppliance.ADMIN);
        assertThat(right.statusCode())
                .as("locked: even the right password is not checked")
                .isEqualTo(429);
        assertThat(right.headers().firstValue("Retry-After")).contains("900");
        // the admin port and the console's form share the lockout
        assertThat(get(HTTP, "http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck", TestAppliance.ADMIN)
                        .statusCode())
                .isEqualTo(429);
        assertThat(consoleLogin("admin", "admin-test-pw").statusCode()).isEqualTo(429);
        // requests without credentials are not affected
        assertThat(get(HTTPS, api("/v1/status"), null).statusCode()).isEqualTo(401);

        CLOCK.advance(Duration.ofMinutes(14));
        assertThat(get(HTTPS, api("/v1/status"), TestAppliance.ADMIN).statusCode())
                .isEqualTo(429);
        CLOCK.advance(Duration.ofMinutes(1));
        assertThat(get(HTTPS, api("/v1/status"), TestAppliance.ADMIN).statusCode())
                .isEqualTo(200);
    }

    @Test
    @Order(4)
    void consoleFormAndAdminPortFailuresShouldCountTowardsTheLockout() throws Exception {
        nextDay();
        assertThat(consoleLogin("ops", TRIED.get(0)).statusCode()).isEqualTo(401);
        assertThat(get(
                                HTTP,
                                "http://127.0.0.1:" + APP.getAdminPort() + "/healthcheck",
                                TestAppliance.basic("ops", TRIED.get(1)))
                        .statusCode())
                .isEqualTo(401);
        assertThat(consoleLogin("nobody", TRIED.get(2)).statusCode()).isEqualTo(401);
        assertThat(consoleLogin("ops", "ops-test-pw").statusCode()).isEqualTo(429);
        nextDay();
        // a success below the limit clears the count
        assertThat(consoleLogin("ops", TRIED.get(3)).statusCode()).isEqualTo(401);
        assertThat(consoleLogin("ops", TRIED.get(0)).statusCode()).isEqualTo(401);
        assertThat(consoleLogin("ops", "ops-test-pw").statusCode()).isEqualTo(200);
        assertThat(consoleLogin("ops", TRIED.get(1)).statusCode()).isEqualTo(401);
        assertThat(consoleLogin("ops", "ops-test-pw").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(100)
    void noLogLineShouldContainAnySecretThisRunConfiguredOrTried() throws Exception {
        nextDay();
        // also store mailbox passwords (sealed) and let the sync try them against servers that are not there
        HttpResponse<String> imported = HTTPS.send(
                HttpRequest.newBuilder(URI.create(api("/v1/mailboxes")))
                        .header("Authorization", TestAppliance.ADMIN)
                        .header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "address,legacy_login,legacy_password,new_login,new_password\n"
                                        + "erik@example.org,erik," + IMAP_PASSWORDS.get(0) + ",erik,"
                                        + IMAP_PASSWORDS.get(1) + "\n"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).isBetween(200, 299);
        get(HTTPS, api("/v1/mailboxes"), TestAppliance.OPERATOR);
        consoleLogin("admin", TRIED.get(0));

        Path logs = DIR.resolve("logs");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> read(logs).contains("failed login from 127.0.0.1")
                        && read(logs).contains("/api/v1/mailboxes"));

        List<String> secrets = new ArrayList<>(List.of(
                "admin-test-pw", "ops-test-pw", KEYSTORE_PASSWORD, LEGACY_MASTER_PASSWORD, NEW_MASTER_PASSWORD));
        secrets.addAll(TRIED);
        secrets.addAll(IMAP_PASSWORDS);
        Path key = DIR.resolve("state/sync.key");
        if (Files.exists(key)) {
            secrets.add(Files.readString(key).strip());
        }
        for (String s : List.copyOf(secrets)) {
            // as HTTP Basic would carry them
            secrets.add(Base64.getEncoder().encodeToString(("admin:" + s).getBytes(StandardCharsets.UTF_8)));
            secrets.add(Base64.getEncoder().encodeToString(("ops:" + s).getBytes(StandardCharsets.UTF_8)));
        }
        String all = read(logs);
        assertThat(all.lines().count()).as("the run logged something").isGreaterThan(10);
        assertThat(secrets)
                .allSatisfy(s -> assertThat(all).as("logs under %s", logs).doesNotContain(s));
        System.out.printf(
                "secrets in logs: %d secrets checked against %d log lines of %s: none found%n",
                secrets.size(), all.lines().count(), logs);
    }

    static String read(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                sb.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    /** For the refused-client check in a child JVM: {@code host port protocol}. */
    public static final class TlsClientProbe {
        private TlsClientProbe() {}

        public static void main(String[] args) throws Exception {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
                s.setEnabledProtocols(new String[] {args[2]});
                s.startHandshake();
                System.out.println("NEGOTIATED " + s.getSession().getProtocol());
            } catch (IOException e) {
                System.out.println("REFUSED " + e);
            }
        }
    }

    /** The probe checks the protocol, not the certificate. */
    static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
