package io.mxcutover.appliance.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.mxcutover.sync.time.Sleeper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Imports the demo mailboxes into the running appliance through its own REST API, as an admin would
 * ({@code POST /api/v1/mailboxes} with a CSV), so the sync starts copying them.
 */
final class DemoImport {
    private DemoImport() {}

    static String csv() {
        StringBuilder sb = new StringBuilder("address,legacy_login,legacy_password,new_login,new_password\n");
        for (String u : DemoMailboxes.USERS) {
            String pw = DemoMailboxes.password(u);
            sb.append(u).append('@').append(DemoMailboxes.DOMAIN).append(',')
              .append(u).append(',').append(pw).append(',').append(u).append(',').append(pw).append('\n');
        }
        return sb.toString();
    }

    /** Waits (at most a minute) for the API, then imports; prints what happened. Runs on its own thread. */
    static void importWhenUp(int apiPort, Clock clock) {
        Thread t = new Thread(() -> {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String auth = "Basic " + Base64.getEncoder().encodeToString(
                    (DemoCommand.ADMIN + ":" + DemoCommand.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/mailboxes"))
                    .header("Authorization", auth)
                    .header("Content-Type", "text/csv")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(csv()))
                    .build();
            Instant deadline = clock.instant().plusSeconds(60);
            while (clock.instant().isBefore(deadline)) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    System.out.println("demo: imported mailboxes " + DemoMailboxes.USERS + " for sync (HTTP "
                            + r.statusCode() + "); the history copy starts now");
                    return;
                } catch (java.io.IOException e) {
                    pause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            System.err.println("demo: the API did not come up within 60 s; import the mailboxes by hand:\n"
                    + "  curl -u admin:admin-demo-pw -H 'Content-Type: text/csv' --data-binary @mailboxes.csv "
                    + "http://127.0.0.1:" + apiPort + "/api/v1/mailboxes");
        }, "demo-import");
        t.setDaemon(true);
        t.start();
    }

    private static void pause() {
        try {
            Sleeper.SYSTEM.sleep(Duration.ofMillis(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
