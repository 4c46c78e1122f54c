package io.mxcutover.appliance.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mxcutover.sync.run.Backoff;
import io.mxcutover.sync.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to one webhook: POST of the JSON body, signed; retried with backoff on anything but a 2xx
 * or a definite refusal (a 4xx other than 408 and 429), until the webhook's {@code attempts} are used. Waits
 * through the {@link Sleeper}, so a test's retries take no time.
 */
public final class WebhookDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final AlertConfig.Webhook hook;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final ObjectMapper json;
    private final Backoff backoff;

    public WebhookDelivery(AlertConfig.Webhook hook, HttpClient http, Sleeper sleeper, ObjectMapper json) {
        this.hook = hook;
        this.http = http;
        this.sleeper = sleeper;
        this.json = json;
        this.backoff = new Backoff(hook.backoff.toJavaDuration(), hook.maxBackoff.toJavaDuration());
    }

    /** How one alert went: delivered or not, after how many attempts, and the last answer in words. */
    public record Result(boolean delivered, int attempts, String last) {}

    /** The body every attempt sends (and signs): the same bytes each time. */
    public byte[] body(Alert a) {
        ObjectNode o = json.createObjectNode();
        o.put("id", a.id());
        o.put("event", a.event().word());
        o.put("domain", a.domain());
        o.put("mailbox", a.mailbox().orElse(null));
        o.put("detail", a.detail());
        o.put("at", a.at().toString());
        try {
            return json.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert could not be written as JSON", e);
        }
    }

    /** Blocks until delivered, refused, or out of attempts. Throws only when interrupted (the appliance stops). */
    public Result deliver(Alert a) throws InterruptedException {
        byte[] body = body(a);
        HttpRequest request = HttpRequest.newBuilder(URI.create(hook.url.strip()))
                .timeout(hook.timeout.toJavaDuration())
                .header("Content-Type", "application/json")
                .header("User-Agent", "mxcutover-alerts")
                .header("X-Mxcutover-Event", a.event().word())
                .header("X-Mxcutover-Delivery", a.id())
                .header(WebhookSignature.HEADER, WebhookSignature.sign(hook.secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        String last = "";
        for (int attempt = 1; attempt <= hook.attempts; attempt++) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                last = "HTTP " + status;
                if (status >= 200 && status < 300) {
                    return new Result(true, attempt, last);
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    LOG.warn("alert {} to webhook {}: refused with {}; not retried", a, hook, last);
                    return new Result(false, attempt, last + " (refused; not retried)");
                }
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt < hook.attempts) {
                Duration wait = backoff.delay(attempt, "");
                LOG.warn(
                        "alert {} to webhook {}: attempt {} of {} failed ({}); next in {}",
                        a,
                        hook,
                        attempt,
                        hook.attempts,
                        last,
                        wait);
                sleeper.sleep(wait);
            }
        }
        return new Result(false, hook.attempts, last);
    }
}
