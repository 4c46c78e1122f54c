package io.mxcutover.appliance.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.Application;
import io.dropwizard.lifecycle.JettyManaged;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.appliance.TestAppliance;
import io.mxcutover.it.MutableClock;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** An appliance on random ports, built with a {@link MutableClock}, with its plan and store in a temp dir. */
public final class CutoverAppliance {
    public final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));
    public final Path dir;
    public final DropwizardAppExtension<ApplianceConfiguration> app;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reply read to its end, so the client's pooled connection is released. */
    public record Reply(int status, String type, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (" + status + "): " + body, e);
            }
        }
    }

    public CutoverAppliance(String planYaml) {
        try {
            dir = io.mxcutover.appliance.TempDirs.dir("mxcutover-cutover-test-");
            Files.writeString(dir.resolve("plan.yml"), planYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var support =
                new DropwizardTestSupport<ApplianceConfiguration>(
                        ApplianceApplication.class,
                        ResourceHelpers.resourceFilePath("test.yml"),
                        ConfigOverride.config("plan", dir.resolve("plan.yml").toString()),
                        ConfigOverride.config(
                                "store.path", dir.resolve("state/mxcutover.db").toString())) {
                    @Override
                    public Application<ApplianceConfiguration> newApplication() {
                        return new ApplianceApplication(clock);
                    }
                };
        app = new DropwizardAppExtension<>(support);
    }

    /** The running appliance's cutover service (through its managed tick). */
    public CutoverService service() {
        return app.getEnvironment().lifecycle().getManagedObjects().stream()
                .filter(JettyManaged.class::isInstance)
                .map(m -> ((JettyManaged) m).getManaged())
                .filter(CutoverTick.class::isInstance)
                .map(m -> ((CutoverTick) m).service())
                .findFirst()
                .orElseThrow();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.getLocalPort() + "/api" + path;
    }

    public Reply get(String path, String auth) {
        var req = app.client().target(url(path)).request();
        if (auth != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, auth);
        }
        return read(req.get());
    }

    public Reply post(String path, String auth, String json) {
        var req = app.client().target(url(path)).request();
        if (auth != null) {
            req = req.header(HttpHeaders.AUTHORIZATION, auth);
        }
        return read(req.post(Entity.entity(json, MediaType.APPLICATION_JSON_TYPE)));
    }

    public Reply admin(String path, String json) {
        return post(path, TestAppliance.ADMIN, json);
    }

    public JsonNode operator(String path) {
        Reply r = get(path, TestAppliance.OPERATOR);
        assertThat(r.status()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.json();
    }

    private static Reply read(Response r) {
        try (r) {
            return new Reply(r.getStatus(), String.valueOf(r.getMediaType()), r.readEntity(String.class));
        }
    }
}
