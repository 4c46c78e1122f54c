package io.mxcutover.dnscheck.it;

import java.util.concurrent.atomic.AtomicInteger;

/** Zone files for the real NSD servers of the integration tests. */
public final class Zones {

    private static final AtomicInteger SERIAL = new AtomicInteger(1);
    private static final AtomicInteger NAME = new AtomicInteger();

    private Zones() {
    }

    /** A zone name under test. not used by any other test of this JVM (so no resolver cache is shared). */
    public static String unique(String prefix) {
        return prefix + NAME.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36) + ".test";
    }

    /**
     * A zone with SOA (TTL 300, MINIMUM {@code negativeTtl}), NS, optional MX lines
     * ({@code "10 mx.legacy.test."}) with TTL {@code mxTtl}, and extra lines (TXT etc.).
     */
    public static String zone(String name, long negativeTtl, long mxTtl, String[] mx, String... extra) {
        StringBuilder z = new StringBuilder();
        z.append("$ORIGIN ").append(name).append(".\n$TTL 300\n");
        z.append("@ IN SOA ns1.").append(name).append(". hostmaster.").append(name).append(". ( ")
                .append(SERIAL.incrementAndGet()).append(" 3600 600 86400 ").append(negativeTtl).append(" )\n");
        z.append("@ IN NS ns1.").append(name).append(".\n");
        z.append("ns1 IN A 127.0.0.1\n");
        for (String m : mx) {
            z.append("@ ").append(mxTtl).append(" IN MX ").append(m).append('\n');
        }
        for (String line : extra) {
            z.append(line).append('\n');
        }
        return z.toString();
    }

    public static String[] mx(String... lines) {
        return lines;
    }
}
