package io.mxcutover.appliance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.util.JarLocation;
import io.mxcutover.appliance.ApplianceApplication;
import io.mxcutover.appliance.ApplianceConfiguration;
import io.mxcutover.it.RealServers;
import io.mxcutover.it.TestServers;
import io.mxcutover.it.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mxcutover inventory} against the real Dovecot pair: the table, {@code --json} (the API's shape) and
 * {@code --format csv}; progress on standard error; exit 1 when a login fails, the other mailbox still listed.
 */
@ExtendWith(RealServers.class)
class InventoryCommandIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<Integer> exits = new ArrayList<>();

    private void run(String... args) throws Exception {
        out.reset();
        err.reset();
        Bootstrap<ApplianceConfiguration> bootstrap = new Bootstrap<>(new ApplianceApplication());
        bootstrap.addCommand(new InventoryCommand(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                exits::add));
        new Cli(new JarLocation(getClass()), bootstrap, new ByteArrayOutputStream(), new ByteArrayOutputStream())
                .run(args);
    }

    @Test
    void inventoryShouldPrintTableJsonAndCsvAndExitOneWhenALoginFails(TestServers servers, @TempDir Path dir)
            throws Exception {
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        TestUser dana = servers.legacyImap().createUser("invdana" + suffix, "invdana" + suffix + "-pw");
        servers.newImap().createUser(dana.login(), dana.password());
        TestUser emil = servers.legacyImap().createUser("invemil" + suffix, "invemil" + suffix + "-pw");
        // The message SyncManagedIT.appendTo puts there.
        byte[] m = "From: a@example.test\r\nSubject: appliance\r\nMessage-ID: <appl@x>\r\n\r\nhi\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        io.mxcutover.appliance.sync.SyncManagedIT.appendTo(
                servers.legacyImap().host(), servers.legacyImap().port(), dana);
        Path csv = dir.resolve("mailboxes.csv");
        Files.writeString(
                csv,
                "address,legacy_login,legacy_password,new_login,new_password\n"
                        + dana.address() + "," + dana.login() + "," + dana.password() + "," + dana.login() + ","
                        + dana.password()
                        + "\n" + emil.address() + "," + emil.login() + ",not-emils-pw-5," + emil.login() + ",x\n");
        String legacy = "imap://127.0.0.1:" + servers.legacyImap().port() + "?trust=any";
        String fresh = "imap://127.0.0.1:" + servers.newImap().port() + "?trust=any";

        run("inventory", "--legacy", legacy, "--new", fresh, "--csv", csv.toString(), "--parallel", "2");
        String table = out.toString(StandardCharsets.UTF_8);
        System.out.print(table);
        assertThat(exits).containsExactly(1);
        assertThat(table)
                .contains(
                        dana.address() + "  1 message(s)",
                        "INBOX",
                        "-> INBOX",
                        emil.address() + "  LOGIN_FAILED",
                        "domain example.test: 2 mailbox(es) (1 listed, 1 login(s) failed",
                        "estimate: ",
                        "2 mailbox(es) at a time")
                .doesNotContain("not-emils-pw-5");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("inventory: 1/2 mailbox(es)", "inventory: 2/2 mailbox(es)");

        run("inventory", "--legacy", legacy, "--new", fresh, "--csv", csv.toString(), "--json", "--no-sample");
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(json.path("domains").path(0).path("messages").asLong()).isEqualTo(1);
        assertThat(json.path("domains").path(0).path("bytes").asLong()).isEqualTo(m.length);
        assertThat(json.path("estimate").path("rate").path("source").asText()).isEqualTo("DEFAULT");
        assertThat(json.path("mailboxes").findValuesAsText("outcome"))
                .containsExactlyInAnyOrder("LISTED", "LOGIN_FAILED");

        run("inventory", "--legacy", legacy, "--csv", csv.toString(), "--format", "csv");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .startsWith("address,outcome,legacy_folder,messages,bytes")
                .contains(dana.address() + ",LISTED,INBOX,1," + m.length + ",,UNCHECKED,");
        assertThat(exits).containsExactly(1, 1, 1);

        run("inventory", "--legacy", legacy, "--csv", dir.resolve("missing.csv").toString());
        assertThat(exits).containsExactly(1, 1, 1, 65);
    }
}
