package io.mxcutover.appliance.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the appliance keeps its state: an embedded SQLite file (the default: demo, one node, the one-shot CLI), or a
 * PostgreSQL database that several nodes share (issue 16).
 *
 * @param file the SQLite file; with a PostgreSQL {@code url} only its directory is used, for this node's local state
 *     (the credential key, hook temp files)
 * @param url empty for SQLite at {@code file}; else a {@code jdbc:postgresql://host:port/database} URL (a
 *     {@code jdbc:sqlite:PATH} URL is the same as {@code file = PATH})
 * @param user the database user (PostgreSQL)
 * @param password the database password (PostgreSQL); never logged
 * @param maxPoolSize connections the pool keeps at most (PostgreSQL; HikariCP's {@code maximumPoolSize})
 * @param connectionTimeout how long a caller waits for a connection before the call fails (PostgreSQL)
 */
public record StoreSettings(
        Path file, Optional<String> url, String user, String password, int maxPoolSize, Duration connectionTimeout) {

    /** The database engines the store runs on. */
    public enum Engine {
        SQLITE,
        POSTGRESQL
    }

    public StoreSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        url = url.map(String::strip).filter(u -> !u.isEmpty());
        if (url.isPresent()) {
            String u = url.get().toLowerCase(Locale.ROOT);
            if (!u.startsWith("jdbc:postgresql:") && !u.startsWith("jdbc:sqlite:")) {
                throw new IllegalArgumentException("store url " + url.get()
                        + " is neither jdbc:postgresql://HOST:PORT/DATABASE nor jdbc:sqlite:PATH");
            }
            if (u.startsWith("jdbc:sqlite:")) {
                file = Path.of(url.get().substring("jdbc:sqlite:".length()));
                url = Optional.empty();
            }
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("store maxPoolSize must be at least 1, not " + maxPoolSize);
        }
    }

    /** The embedded SQLite store at {@code file}. */
    public static StoreSettings sqlite(Path file) {
        return new StoreSettings(file, Optional.empty(), "", "", 10, Duration.ofSeconds(10));
    }

    /** A PostgreSQL store; the directory of {@code localFile} holds this node's local state. */
    public static StoreSettings postgresql(Path localFile, String url, String user, String password) {
        return new StoreSettings(localFile, Optional.of(url), user, password, 10, Duration.ofSeconds(10));
    }

    public Engine engine() {
        return url.isPresent() ? Engine.POSTGRESQL : Engine.SQLITE;
    }

    /** What logs and health checks name: the file, or the URL (which carries no password). */
    public String describe() {
        return url.orElse(file.toAbsolutePath().toString());
    }

    /** The password is never printed. */
    @Override
    public String toString() {
        return "StoreSettings[" + engine() + " " + describe() + (user.isEmpty() ? "" : ", user " + user) + "]";
    }
}
