package io.mxcutover.appliance;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** An appliance on random ports with its plan and store in a fresh temporary directory. */
public final class TestAppliance {
    public static final String ADMIN = basic("admin", "admin-test-pw");
    public static final String OPERATOR = basic("ops", "ops-test-pw");

    public final Path dir;
    public final Path plan;
    public final DropwizardAppExtension<ApplianceConfiguration> app;

    public TestAppliance(String planYaml, ConfigOverride... more) {
        try {
            dir = TempDirs.dir("mxcutover-test-");
            plan = dir.resolve("plan.yml");
            Files.writeString(plan, planYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConfigOverride[] overrides = new ConfigOverride[more.length + 3];
        overrides[0] = ConfigOverride.config("plan", plan.toString());
        overrides[1] = ConfigOverride.config(
                "store.path", dir.resolve("state/mxcutover.db").toString());
        overrides[2] = ConfigOverride.config("relay.spool", dir.resolve("spool").toString());
        System.arraycopy(more, 0, overrides, 3, more.length);
        app = new DropwizardAppExtension<>(
                ApplianceApplication.class, ResourceHelpers.resourceFilePath("test.yml"), overrides);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.getLocalPort() + "/api" + path;
    }

    public static String basic(String user, String password) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A plan with the given domains, each with loopback next hops that nothing needs to answer. */
    public static String plan(String... domains) {
        StringBuilder sb = new StringBuilder("domains:\n");
        for (String d : domains) {
            sb.append("  - name: ")
                    .append(d)
                    .append("\n")
                    .append("    legacy: { smtp: [ \"127.0.0.1:1\" ], imap: \"imap://127.0.0.1:1\" }\n")
                    .append(
                            "    new: { smtp: [ \"127.0.0.1:2\" ], imap: \"imap://127.0.0.1:2\", mx: [ mx1.new.example ] }\n");
        }
        return sb.toString();
    }
}
