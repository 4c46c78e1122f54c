package io.mxcutover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The test DNS: two authoritative NSDs and a recursive Unbound, all on {@code host}.
 *
 * <p>Zone files are {@code <zone>.zone} in a zone dir; every file there is served after
 * {@link #reload()}. NSD #1 and NSD #2 both start with the zones {@code test.} (so unknown names
 * under test. are NXDOMAIN) and {@code example.test.} (MX 10 mx.legacy.test., TTL 30).
 *
 * @param authoritativePort       NSD #1
 * @param secondAuthoritativePort NSD #2 (own zone dir), for "servers disagree" tests
 * @param resolverPort            Unbound: forwards test. to NSD #1, caches (cache-min-ttl 0),
 *                                refuses everything else (no Internet)
 */
public record DnsServers(
        String host,
        int authoritativePort,
        int secondAuthoritativePort,
        int resolverPort,
        Path zoneDir,
        Path secondZoneDir) {

    private static final Pattern ZONE =
            Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");
    /** Reloads restart NSD: two at once from concurrent tests would fight over the ports. */
    private static final Object RELOAD_LOCK = new Object();

    public DnsServers {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(zoneDir, "zoneDir");
        Objects.requireNonNull(secondZoneDir, "secondZoneDir");
    }

    /** Writes (creates or replaces) {@code zone}'s file for NSD #1; served after {@link #reload()}. */
    public void writeZone(String zone, String zoneFileText) {
        write(zoneDir, zone, zoneFileText);
    }

    /** Writes (creates or replaces) {@code zone}'s file for NSD #2; served after {@link #reload()}. */
    public void writeSecondZone(String zone, String zoneFileText) {
        write(secondZoneDir, zone, zoneFileText);
    }

    /** Removes {@code zone} from NSD #1 (after {@link #reload()}: REFUSED there, NXDOMAIN via the resolver). */
    public void deleteZone(String zone) {
        delete(zoneDir, zone);
    }

    /** Removes {@code zone} from NSD #2 (after {@link #reload()}). */
    public void deleteSecondZone(String zone) {
        delete(secondZoneDir, zone);
    }

    /**
     * Makes both NSDs serve the zone files as they are now (new, changed and deleted zones) and
     * returns once every zone answers. A zone file NSD cannot load fails with NSD's log.
     * Unbound keeps what it has cached: call {@link #flushResolver()} to see the change through it.
     */
    public void reload() {
        synchronized (RELOAD_LOCK) {
            ServersScript.Result result = ServersScript.run("reload", serversDir(), Map.of(), Duration.ofSeconds(60));
            if (!result.ok()) {
                throw new IllegalStateException(
                        "NSD reload failed (exit " + result.exitCode() + "):\n" + result.output());
            }
        }
    }

    /** Empties Unbound's caches for everything under test. (unbound-control flush_zone test.). */
    public void flushResolver() {
        ServersScript.Result result = ServersScript.run("flush", serversDir(), Map.of(), Duration.ofSeconds(30));
        if (!result.ok()) {
            throw new IllegalStateException(
                    "Unbound flush failed (exit " + result.exitCode() + "):\n" + result.output());
        }
    }

    /** The directory given to servers.sh: zone dirs are {@code <dir>/nsd1/zones} and {@code <dir>/nsd2/zones}. */
    private Path serversDir() {
        return zoneDir.toAbsolutePath().getParent().getParent();
    }

    private static void write(Path dir, String zone, String text) {
        Objects.requireNonNull(text, "zoneFileText");
        Path file = dir.resolve(fileName(zone));
        // Write aside, then rename: NSD must never read half a zone file.
        Path tmp = dir.resolve("." + fileName(zone) + ".tmp");
        try {
            Files.writeString(tmp, text.endsWith("\n") ? text : text + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write zone " + zone + " to " + file, e);
        }
    }

    private static void delete(Path dir, String zone) {
        try {
            Files.deleteIfExists(dir.resolve(fileName(zone)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete zone " + zone + " from " + dir, e);
        }
    }

    private static String fileName(String zone) {
        Objects.requireNonNull(zone, "zone");
        String name = zone.toLowerCase(Locale.ROOT);
        name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!ZONE.matcher(name).matches()) {
            throw new IllegalArgumentException("not a zone name: '" + zone + "'");
        }
        return name + ".zone";
    }
}
