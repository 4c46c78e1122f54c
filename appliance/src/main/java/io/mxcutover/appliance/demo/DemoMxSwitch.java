package io.mxcutover.appliance.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves the demo on its own: once the sync reports every mailbox synced (the history copy is done), waits
 * {@code delay} and switches example.test's MX in the demo's DNS (copies the prepared zone over the served
 * one), so the console shows the switch, the propagation chart rising and the window without a zone edit.
 */
final class DemoMxSwitch implements AutoCloseable {
    private static final Pattern SYNCED = Pattern.compile("\"mailboxesTotal\":(\\d+),\"mailboxesSynced\":(\\d+)");

    private final DemoDns dns;
    private final int apiPort;
    private final Duration delay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-mx-switch");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    DemoMxSwitch(DemoDns dns, int apiPort, Duration delay) {
        this.dns = dns;
        this.apiPort = apiPort;
        this.delay = delay;
    }

    /** Checks the sync every second until the history copy is done, then schedules the switch. */
    private volatile ScheduledFuture<?> check;

    void start() {
        check = timer.scheduleWithFixedDelay(this::checkHistory, 1, 1, TimeUnit.SECONDS);
    }

    private void checkHistory() {
        if (!historyCopied()) {
            return;
        }
        System.out.printf(
                "demo: the history copy is done; the demo switches the MX of example.test to the new"
                        + " servers in %d s (as '%s' would)%n",
                delay.toSeconds(), dns.switchCommand());
        var unused = timer.schedule(this::switchMx, delay.toMillis(), TimeUnit.MILLISECONDS);
        check.cancel(false); // the periodic check is done
    }

    private boolean historyCopied() {
        String auth = "Basic "
                + Base64.getEncoder()
                        .encodeToString((DemoCommand.OPERATOR + ":" + DemoCommand.OPERATOR_PASSWORD)
                                .getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/mailboxes"))
                            .header("Authorization", auth)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = SYNCED.matcher(r.body());
            return m.find() && Integer.parseInt(m.group(1)) > 0 && m.group(1).equals(m.group(2));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void switchMx() {
        try {
            Files.copy(dns.switchedZoneFile(), dns.zoneFile(), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("demo: switched the MX of example.test to mx1/mx2.new.example.test: the authoritative"
                    + " server answers with it now, each resolver once its cached old answer (TTL 30 s) ran out");
        } catch (IOException e) {
            System.err.println("demo: could not switch the MX (" + e.getMessage() + "); run: " + dns.switchCommand());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
