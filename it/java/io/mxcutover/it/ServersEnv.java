package io.mxcutover.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code servers.env} as written by {@code servers.sh start}: KEY=VALUE lines, turned into {@link TestServers}. */
final class ServersEnv {

    private final Path file;
    private final Map<String, String> values;

    private ServersEnv(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    static ServersEnv read(Path file) {
        try {
            Map<String, String> values = new HashMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    values.put(line.substring(0, eq).trim(), line.substring(eq + 1));
                }
            }
            return new ServersEnv(file, values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    TestServers toServers() {
        String host = get("HOST");
        String domain = get("DOMAIN");
        return new TestServers(
                domain,
                imap("legacy", "LEGACY", host),
                imap("new", "NEW", host),
                new SmtpServer(host, port("LEGACY_SMTP_PORT"), domain),
                new SmtpServer(host, port("NEW_SMTP_PORT"), domain),
                new DnsServers(
                        host,
                        port("NSD1_PORT"),
                        port("NSD2_PORT"),
                        port("UNBOUND_PORT"),
                        Path.of(get("NSD1_ZONE_DIR")),
                        Path.of(get("NSD2_ZONE_DIR"))));
    }

    private ImapServer imap(String name, String key, String host) {
        String separator = get(key + "_SEPARATOR");
        if (separator.length() != 1) {
            throw new IllegalStateException(
                    key + "_SEPARATOR in " + file + " is not one character: '" + separator + "'");
        }
        return new ImapServer(
                name,
                host,
                port(key + "_IMAP_PORT"),
                get("MASTER_USER"),
                get("MASTER_PASSWORD"),
                separator.charAt(0),
                get(key + "_PREFIX"),
                Path.of(get(key + "_PASSWD_FILE")),
                Path.of(get(key + "_MAIL_ROOT")));
    }

    String get(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalStateException(file + " has no " + key + " (written by an older it/servers.sh?)");
        }
        return value;
    }

    private int port(String key) {
        try {
            return Integer.parseInt(get(key));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(key + " in " + file + " is not a port: '" + get(key) + "'", e);
        }
    }
}
