package io.mxcutover.appliance.status;

import com.codahale.metrics.health.HealthCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Unhealthy when the appliance could not write a file in {@code dir} (full disk, read-only mount, permissions). */
public final class WritableDirectoryHealthCheck extends HealthCheck {
    private final String what;
    private final Path dir;

    public WritableDirectoryHealthCheck(String what, Path dir) {
        this.what = what;
        this.dir = dir;
    }

    @Override
    protected Result check() {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".healthcheck", ".tmp");
            Files.delete(probe);
            return Result.healthy(what + " directory " + dir + " is writable");
        } catch (IOException | RuntimeException e) {
            return Result.unhealthy(what + " directory " + dir + " is not writable (" + e
                    + "); check free space and permissions for the service user");
        }
    }
}
