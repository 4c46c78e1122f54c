package io.mxcutover.appliance.alert;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code alerts:} section of the service YAML: the webhooks that receive alerts and the thresholds of the
 * events the watcher finds. No webhook: no alert is sent (the events are still logged where they happen).
 */
public class AlertConfig {
    /** How often the watcher reads the domains (readiness, DNS, relay queue, window, bounces). */
    @NotNull
    @JsonProperty
    public Duration checkInterval = Duration.minutes(1);

    /** {@code relay-queue-old} when a domain's oldest queued message is at least this old. */
    @NotNull
    @JsonProperty
    public Duration queueAge = Duration.hours(1);

    /** {@code window-closing} when a catch-up window closes within this time. */
    @NotNull
    @JsonProperty
    public Duration windowNotice = Duration.hours(2);

    @Valid
    @NotNull
    @JsonProperty
    public List<Webhook> webhooks = new ArrayList<>();

    /** One receiver: where to POST, the HMAC secret, which events (empty: all), and how hard to try. */
    public static class Webhook {
        @JsonProperty
        public String name = "";

        /** http:// or https:// URL the alert is POSTed to. */
        @JsonProperty
        public String url = "";

        /** The HMAC-SHA256 key the receiver checks {@code X-Mxcutover-Signature} with; at least 16 characters. */
        @JsonProperty
        public String secret = "";

        @JsonProperty
        public List<AlertEvent> events = new ArrayList<>();

        /** Attempts in all, the first included. */
        @JsonProperty
        public int attempts = 5;

        /** Wait after the first failed attempt; doubled after each further one, up to {@code maxBackoff}. */
        @JsonProperty
        public Duration backoff = Duration.seconds(10);

        @JsonProperty
        public Duration maxBackoff = Duration.minutes(5);

        /** How long one attempt may take (connect and answer). */
        @JsonProperty
        public Duration timeout = Duration.seconds(10);

        /** Whether this receiver wants the event. */
        public boolean wants(AlertEvent event) {
            return events == null || events.isEmpty() || events.contains(event);
        }

        /** Never the secret. */
        @Override
        public String toString() {
            return name + " (" + url + ")";
        }
    }

    /** What is wrong with the section, one sentence each; empty when it can be used. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        positive(problems, "alerts.checkInterval", checkInterval, "1m");
        positive(problems, "alerts.queueAge", queueAge, "1h");
        positive(problems, "alerts.windowNotice", windowNotice, "2h");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < webhooks.size(); i++) {
            Webhook w = webhooks.get(i);
            String where = "alerts.webhooks[" + i + "]";
            if (w.name == null || !w.name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                problems.add(where + ".name '" + w.name + "' is not a name like ops-pager (letters, digits, . _ -)");
            } else if (names.contains(w.name)) {
                problems.add(where + ".name " + w.name + " is used twice: give each webhook its own name");
            }
            names.add(w.name);
            if (!httpUrl(w.url)) {
                problems.add(where + ".url '" + w.url + "' is not an http:// or https:// URL");
            }
            if (w.secret == null || w.secret.length() < 16) {
                problems.add(where + ".secret must be at least 16 characters (the receiver checks the HMAC with it);"
                        + " e.g. ${MXCUTOVER_ALERT_SECRET} from the environment");
            }
            if (w.attempts < 1 || w.attempts > 20) {
                problems.add(where + ".attempts must be 1 to 20, got " + w.attempts);
            }
            positive(problems, where + ".backoff", w.backoff, "10s");
            positive(problems, where + ".timeout", w.timeout, "10s");
            if (w.maxBackoff == null || w.backoff == null || w.maxBackoff.compareTo(w.backoff) < 0) {
                problems.add(where + ".maxBackoff must be at least backoff, e.g. 5m");
            }
        }
        return problems;
    }

    private static void positive(List<String> problems, String key, Duration d, String example) {
        if (d == null || d.toMilliseconds() < 1) {
            problems.add(key + " must be positive, e.g. " + example);
        }
    }

    private static boolean httpUrl(String url) {
        try {
            URI u = URI.create(url == null ? "" : url.strip());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
