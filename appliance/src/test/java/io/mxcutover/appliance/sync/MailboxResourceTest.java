package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dropwizard.jackson.Jackson;
import io.mxcutover.appliance.audit.AuditLog;
import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.appliance.cutover.CutoverPhase;
import io.mxcutover.appliance.plan.DomainPlan;
import io.mxcutover.appliance.plan.MigrationPlan;
import io.mxcutover.appliance.plan.PlanHostPort;
import io.mxcutover.appliance.plan.Side;
import io.mxcutover.appliance.store.Store;
import io.mxcutover.sync.state.SyncStore;
import jakarta.ws.rs.WebApplicationException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxResourceTest {
    static final String CSV = """
            address,legacy_login,legacy_password,new_login,new_password
            anna@example.org,anna,legacy-secret-1,anna,new-secret-1
            ben@example.org,ben,legacy-secret-2,ben,new-secret-2
            """;

    @TempDir
    Path dir;

    MailboxResource resource;
    SyncManaged sync;
    Store store;
    AuditLog audit;
    final ApiUser admin = new ApiUser("admin", Role.ADMIN);

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open(dir.resolve("state.db"));
        audit = new AuditLog(store, Clock.systemUTC());
        Side noImap = new Side(List.of(new PlanHostPort("127.0.0.1", 25)), Optional.empty(), List.of("mx.example.org"));
        MigrationPlan plan = new MigrationPlan(
                dir.resolve("plan.yml"),
                "x",
                Duration.ofHours(48),
                Duration.ofHours(1),
                List.of(new DomainPlan("example.org", false, true, noImap, noImap, List.of())));
        SyncConfig config = new SyncConfig();
        config.keyFile = dir.resolve("sync.key").toString();
        sync = new SyncManaged(config, () -> plan, store.dataSource(), d -> CutoverPhase.RELAYING, Clock.systemUTC());
        resource = new MailboxResource(sync, audit);
    }

    @Test
    void importShouldStoreMailboxesAndNeverShowPasswordsWhenListed() throws Exception {
        assertThat(resource.importCsv(admin, CSV)).containsEntry("imported", 2);
        ObjectMapper json = new ObjectMapper().registerModule(new Jdk8Module()).registerModule(new JavaTimeModule());
        String listed = json.writeValueAsString(resource.list());
        assertThat(listed)
                .contains("anna@example.org", "ben@example.org", "PENDING")
                .doesNotContain("secret");
        assertThat(json.writeValueAsString(resource.show("anna@example.org"))).doesNotContain("secret");
        assertThat(resource.csv()).contains("anna@example.org,PENDING").doesNotContain("secret");
        assertThat(audit.recent(Optional.empty(), 10))
                .anySatisfy(e ->
                        assertThat(e.toString()).contains("mailboxes.import").doesNotContain("secret"));
        assertThat(sync.progress("example.org"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(p.historyCopied()).isFalse());
        assertThat(sync.summary("example.org").mailboxes()).isEqualTo(2);
    }

    @Test
    void importShouldAnswer422WithLineWhenCsvInvalid() {
        assertThatThrownBy(() -> resource.importCsv(
                        admin, "address,legacy_login,legacy_password,new_login,new_password\n,a,b,c,d\n"))
                .isInstanceOfSatisfying(WebApplicationException.class, e -> {
                    assertThat(e.getResponse().getStatus()).isEqualTo(422);
                    assertThat(e.getResponse().getEntity().toString()).contains("line 2");
                });
    }

    @Test
    void showAndSyncShouldAnswer404ForUnknownAnd409WithoutImapServers() {
        resource.importCsv(admin, CSV);
        assertThatThrownBy(() -> resource.show("nobody@example.org"))
                .isInstanceOfSatisfying(
                        WebApplicationException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(404));
        assertThatThrownBy(() -> resource.syncNow(admin, "anna@example.org"))
                .isInstanceOfSatisfying(
                        WebApplicationException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409));
    }

    @Test
    void reportShouldSayEtaUnknownNotZeroWhenMailboxesNeverListed() {
        resource.importCsv(admin, CSV);

        var report = resource.list();

        assertThat(report.mailboxesNotListed()).isEqualTo(2);
        assertThat(report.eta()).isEmpty();
        assertThat(report.etaReason())
                .isEqualTo("unknown: 2 of 2 mailbox(es) not listed yet, so what is left there is not known");
    }

    @Test
    void mailboxShouldCarryItsSourceTotalWhenListedAndNullWhenNot() throws Exception {
        resource.importCsv(admin, CSV);
        // What a pass (or the ETA's inventory) records after LIST + STATUS on legacy: 3 + 2 messages.
        new SyncStore(store.dataSource(), Clock.systemUTC())
                .recordListed("anna@example.org", Map.of("INBOX", 3L, "Sent", 2L), Set.of("INBOX", "Sent", "Trash"));

        assertThat(resource.show("anna@example.org").messagesTotal()).isEqualTo(OptionalLong.of(5));
        assertThat(resource.show("ben@example.org").messagesTotal()).isEmpty();

        ObjectMapper json = Jackson.newObjectMapper();
        JsonNode listed = json.readTree(json.writeValueAsString(resource.list()));
        JsonNode anna = null;
        JsonNode ben = null;
        for (JsonNode m : listed.get("mailboxes")) {
            String address = m.get("status").get("address").asText();
            if (address.equals("anna@example.org")) {
                anna = m;
            } else if (address.equals("ben@example.org")) {
                ben = m;
            }
        }
        assertThat(anna).isNotNull();
        assertThat(anna.get("messagesTotal").isIntegralNumber()).isTrue();
        assertThat(anna.get("messagesTotal").asLong()).isEqualTo(5);
        // Unknown stays unknown: null, never 0.
        assertThat(ben).isNotNull();
        assertThat(ben.has("messagesTotal")).isTrue();
        assertThat(ben.get("messagesTotal").isNull()).isTrue();
        JsonNode detail = json.readTree(json.writeValueAsString(resource.show("ben@example.org")));
        assertThat(detail.get("messagesTotal").isNull()).isTrue();
    }
}
