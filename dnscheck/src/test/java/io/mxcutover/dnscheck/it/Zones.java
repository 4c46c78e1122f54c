package io.mxcutover.dnscheck.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Zone files for the real NSD servers of the integration tests. */
public final class Zones {

    private static final AtomicInteger SERIAL = new AtomicInteger(1);
    private static final AtomicInteger NAME = new AtomicInteger();

    private Zones() {}

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
        z.append("@ IN SOA ns1.")
                .append(name)
                .append(". hostmaster.")
                .append(name)
                .append(". ( ")
                .append(SERIAL.incrementAndGet())
                .append(" 3600 600 86400 ")
                .append(negativeTtl)
                .append(" )\n");
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

    /** A zone signed with ldns-signzone and the DS record of its key (the trust anchor a validator needs). */
    public record Signed(String zoneText, String ds) {}

    /**
     * Signs {@code zoneText} for real: one ECDSA P-256 key with the SEP flag (257) made by
     * {@code ldns-keygen}, the zone signed (RRSIGs, NSEC, DNSKEY) by {@code ldns-signzone}
     * (valid from now for four weeks), in {@code workDir}. Debian package ldnsutils,
     * installed by {@code it/servers.sh install}.
     */
    public static Signed sign(String name, String zoneText, Path workDir) {
        try {
            Path zoneFile = workDir.resolve(name + ".zone");
            Files.writeString(zoneFile, zoneText, StandardCharsets.US_ASCII);
            String key = run(workDir, "ldns-keygen", "-a", "ECDSAP256SHA256", "-k", name)
                    .strip();
            Path signed = workDir.resolve(name + ".zone.signed");
            run(workDir, "ldns-signzone", "-f", signed.toString(), zoneFile.toString(), key);
            return new Signed(
                    Files.readString(signed, StandardCharsets.US_ASCII),
                    Files.readString(workDir.resolve(key + ".ds"), StandardCharsets.US_ASCII)
                            .strip());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot sign " + name + " (ldnsutils missing? run it/servers.sh install): " + e.getMessage(), e);
        }
    }

    private static String run(Path dir, String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command[0] + " did not finish in 30 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
        return out;
    }
}
