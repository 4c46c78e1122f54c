package io.mxcutover.appliance.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
            sb.append(u)
                    .append('@')
                    .append(DemoMailboxes.DOMAIN)
                    .append(',')
                    .append(u)
                    .append(',')
                    .append(pw)
                    .append(',')
                    .append(u)
                    .append(',')
                    .append(pw)
                    .append('\n');
        }
        // Imported without the legacy password: waits for its user on /migrate/ (the new side's password is the
        // admin's, as when the admin provisions the new server).
        String u = DemoMailboxes.SELF_SERVICE_USER;
        sb.append(u)
                .append('@')
                .append(DemoMailboxes.DOMAIN)
                .append(',')
                .append(u)
                .append(",,")
                .append(u);
        sb.append(',').append(DemoMailboxes.SELF_SERVICE_PASSWORD).append('\n');
        return sb.toString();
    }

    /**
     * Imports the mailboxes now (the API answers: the demo calls this once the server started); returns what
     * happened, for the demo's output.
     */
    static String importNow(int apiPort) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String auth = "Basic "
                + Base64.getEncoder()
                        .encodeToString((DemoCommand.ADMIN + ":" + DemoCommand.ADMIN_PASSWORD)
                                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/mailboxes"))
                .header("Authorization", auth)
                .header("Content-Type", "text/csv")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(csv()))
                .build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return "demo: imported mailboxes " + DemoMailboxes.USERS + " for sync (HTTP " + r.statusCode()
                    + "); the history copy starts now; " + DemoMailboxes.SELF_SERVICE_USER + "@" + DemoMailboxes.DOMAIN
                    + " without its password: it waits for its user on /migrate/";
        } catch (java.io.IOException e) {
            return "demo: the mailbox import failed (" + e.getMessage() + "); import them by hand:\n"
                    + "  curl -u admin:admin-demo-pw -H 'Content-Type: text/csv' --data-binary @mailboxes.csv "
                    + "http://127.0.0.1:" + apiPort + "/api/v1/mailboxes";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "demo: interrupted before the mailbox import";
        }
    }
}
