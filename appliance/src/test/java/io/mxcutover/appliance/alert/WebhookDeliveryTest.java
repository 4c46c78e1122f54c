package io.mxcutover.appliance.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {
    static final String SECRET = "s3cret-for-the-receiver-only";
    final ObjectMapper json = new ObjectMapper();
    final List<java.time.Duration> waits = new ArrayList<>();
    final WebhookReceiver receiver;

    WebhookDeliveryTest() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void close() {
        receiver.close();
    }

    AlertConfig.Webhook hook(int attempts) {
        AlertConfig.Webhook w = new AlertConfig.Webhook();
        w.name = "ops";
        w.url = receiver.url();
        w.secret = SECRET;
        w.attempts = attempts;
        w.backoff = Duration.seconds(10);
        w.maxBackoff = Duration.seconds(15);
        w.timeout = Duration.seconds(5);
        return w;
    }

    WebhookDelivery delivery(AlertConfig.Webhook w) {
        return new WebhookDelivery(w, HttpClient.newHttpClient(), waits::add, json);
    }

    static Alert alert() {
        return Alert.of(
                AlertEvent.MAILBOX_FAILED,
                "example.org",
                Optional.of("anna@example.org"),
                "login refused by source server",
                Instant.parse("2026-11-20T08:00:00Z"));
    }

    @Test
    void deliveryShouldRetryWithBackoffAndSignTheSameBodyWhenTheReceiverAnswers500() throws Exception {
        receiver.answer(500, 503);
        Alert a = alert();

        WebhookDelivery.Result r = delivery(hook(5)).deliver(a);

        assertThat(r.delivered()).isTrue();
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(waits).containsExactly(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(15));
        assertThat(receiver.received).hasSize(3);
        for (WebhookReceiver.Received got : receiver.received) {
            JsonNode body = json.readTree(got.body());
            assertThat(body.path("id").asText()).isEqualTo(a.id());
            assertThat(body.path("event").asText()).isEqualTo("mailbox-failed");
            assertThat(body.path("domain").asText()).isEqualTo("example.org");
            assertThat(body.path("mailbox").asText()).isEqualTo("anna@example.org");
            assertThat(body.path("detail").asText()).isEqualTo("login refused by source server");
            assertThat(body.path("at").asText()).isEqualTo("2026-11-20T08:00:00Z");
            assertThat(got.header("Content-Type")).isEqualTo("application/json");
            assertThat(got.header("X-Mxcutover-Event")).isEqualTo("mailbox-failed");
            assertThat(got.header("X-Mxcutover-Delivery")).isEqualTo(a.id());
            // The receiver's check, as docs/reference/configuration.md shows it.
            String signature = got.header("X-Mxcutover-Signature");
            assertThat(signature).matches("sha256=[0-9a-f]{64}");
            assertThat(WebhookSignature.verify(SECRET, got.body(), signature)).isTrue();
            assertThat(WebhookSignature.verify("another-secret-of-16+", got.body(), signature))
                    .isFalse();
            assertThat(new String(got.body(), StandardCharsets.UTF_8)).doesNotContain(SECRET);
        }
    }

    @Test
    void deliveryShouldStopWhenReceiverRefusesWith4xxOrAttemptsAreUsed() throws Exception {
        receiver.answer(400);
        WebhookDelivery.Result refused = delivery(hook(5)).deliver(alert());
        assertThat(refused.delivered()).isFalse();
        assertThat(refused.attempts()).isEqualTo(1);
        assertThat(refused.last()).contains("HTTP 400", "not retried");

        receiver.answer(500, 500);
        WebhookDelivery.Result spent = delivery(hook(2)).deliver(alert());
        assertThat(spent.delivered()).isFalse();
        assertThat(spent.attempts()).isEqualTo(2);
        assertThat(spent.last()).isEqualTo("HTTP 500");
        assertThat(receiver.received).hasSize(3);
    }

    @Test
    void signatureShouldBeTheHexHmacSha256OfTheBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertThat(WebhookSignature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
