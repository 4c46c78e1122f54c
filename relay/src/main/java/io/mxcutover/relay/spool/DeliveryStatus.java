package io.mxcutover.relay.spool;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Delivery progress of one spooled message, kept in {@code status/<id>}.
 *
 * @param finished     recipients already dealt with, mapped to how ("delivered", "bounced");
 *                     they are never tried again
 * @param lastReply    the last reply or error, for the queue listing (never contains secrets)
 */
public record DeliveryStatus(
        int attempts, Instant nextAttempt, boolean delayWarned, Map<String, String> finished, String lastReply) {

    public static final DeliveryStatus FRESH = new DeliveryStatus(0, Instant.EPOCH, false, Map.of(), "");

    public DeliveryStatus {
        if (attempts < 0) {
            throw new IllegalArgumentException("negative attempt count");
        }
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        finished = Map.copyOf(finished);
        lastReply = lastReply == null ? "" : SpoolFormat.clean(lastReply);
    }

    public boolean isFinished(String recipient) {
        return finished.containsKey(recipient);
    }

    public DeliveryStatus withFinished(Map<String, String> more) {
        Map<String, String> m = new LinkedHashMap<>(finished);
        m.putAll(more);
        return new DeliveryStatus(attempts, nextAttempt, delayWarned, m, lastReply);
    }

    public DeliveryStatus afterAttempt(Instant next, String reply) {
        return new DeliveryStatus(attempts + 1, next, delayWarned, finished, reply);
    }

    public DeliveryStatus withNextAttempt(Instant next) {
        return new DeliveryStatus(attempts, next, delayWarned, finished, lastReply);
    }

    public DeliveryStatus withDelayWarned() {
        return new DeliveryStatus(attempts, nextAttempt, true, finished, lastReply);
    }

    byte[] toBytes() {
        StringBuilder sb = new StringBuilder();
        sb.append("attempts ").append(attempts).append('\n');
        sb.append("next ").append(nextAttempt.toEpochMilli()).append('\n');
        sb.append("warned ").append(delayWarned ? 1 : 0).append('\n');
        sb.append("last ").append(lastReply).append('\n');
        finished.forEach((r, how) -> sb.append("done ")
                .append(SpoolFormat.clean(how))
                .append(' ')
                .append(SpoolFormat.clean(r))
                .append('\n'));
        sb.append("end\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static DeliveryStatus parse(byte[] bytes, String name) throws SpoolException {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.endsWith("end\n")) {
            throw new SpoolException("status file " + name + " is incomplete");
        }
        int attempts = 0;
        Instant next = Instant.EPOCH;
        boolean warned = false;
        String last = "";
        Map<String, String> done = new LinkedHashMap<>();
        try {
            for (String line : text.split("\n")) {
                int sp = line.indexOf(' ');
                String key = sp < 0 ? line : line.substring(0, sp);
                String value = sp < 0 ? "" : line.substring(sp + 1);
                switch (key) {
                    case "attempts" -> attempts = Integer.parseInt(value);
                    case "next" -> next = Instant.ofEpochMilli(Long.parseLong(value));
                    case "warned" -> warned = value.equals("1");
                    case "last" -> last = value;
                    case "done" -> {
                        int s2 = value.indexOf(' ');
                        done.put(value.substring(s2 + 1), value.substring(0, s2));
                    }
                    default -> {}
                }
            }
        } catch (RuntimeException e) {
            throw new SpoolException("status file " + name + " is malformed: " + e.getMessage(), e);
        }
        return new DeliveryStatus(attempts, next, warned, done, last);
    }
}
