package io.mxcutover.relay.spool;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A queue id, as shown in the 250 reply, the Received header, the logs and the queue API.
 * Upper-case base-36: arrival milliseconds, a per-process counter and random characters, so
 * ids sort roughly by arrival and stay unique across restarts.
 */
public record SpoolId(String value) implements Comparable<SpoolId> {

    private static final Pattern FORMAT = Pattern.compile("[0-9A-Z]{8,40}");
    private static final AtomicLong COUNTER = new AtomicLong();

    public SpoolId {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a queue id: " + value);
        }
    }

    public static SpoolId of(String value) {
        return new SpoolId(value.strip().toUpperCase(Locale.ROOT));
    }

    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    public static SpoolId generate(Clock clock) {
        String time = pad(Long.toString(clock.millis(), 36), 9);
        String count = pad(Long.toString(COUNTER.getAndIncrement() & 0xFFFFFF, 36), 5);
        // Uniqueness, not secrecy: time and counter already differ; the random part only keeps
        // two processes started in the same millisecond apart (a SecureRandom here was a lock
        // and a SHA-1 round per message).
        String rnd = pad(Long.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36), 3);
        return new SpoolId((time + count + rnd).toUpperCase(Locale.ROOT));
    }

    private static String pad(String s, int len) {
        return s.length() >= len ? s.substring(s.length() - len) : "0".repeat(len - s.length()) + s;
    }

    @Override
    public int compareTo(SpoolId o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
