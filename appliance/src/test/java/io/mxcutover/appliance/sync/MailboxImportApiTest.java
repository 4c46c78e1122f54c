package io.mxcutover.appliance.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.mxcutover.appliance.TestAppliance;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /api/v1/mailboxes} over real HTTP: all or nothing, 422 naming every bad line and its fix. */
@ExtendWith(DropwizardExtensionsSupport.class)
class MailboxImportApiTest {
    static final TestAppliance APPLIANCE = new TestAppliance(
            TestAppliance.plan("example.org", "example.net"), ConfigOverride.config("sync.enabled", "false"));
    static final DropwizardAppExtension<?> APP = APPLIANCE.app;
    static final String HEADER = "address,legacy_login,legacy_password,new_login,new_password\n";

    record Reply(int status, String body) {}

    static Reply post(String csv) {
        try (Response r = APP.client()
                .target(APPLIANCE.url("/v1/mailboxes"))
                .request()
                .header(HttpHeaders.AUTHORIZATION, TestAppliance.ADMIN)
                .post(Entity.entity(csv, "text/csv"))) {
            return new Reply(r.getStatus(), r.readEntity(String.class));
        }
    }

    static String listed() {
        try (Response r = APP.client()
                .target(APPLIANCE.url("/v1/mailboxes"))
                .request()
                .header(HttpHeaders.AUTHORIZATION, TestAppliance.OPERATOR)
                .get()) {
            return r.readEntity(String.class);
        }
    }

    @Test
    void importShouldAnswer422NamingLineWhenAddressHasNoDomain() {
        Reply r = post(HEADER + "good1@example.org,g,pw-good1,g,pw-good1\nanna,anna,pw-anna,anna,pw-anna\n");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body())
                .contains(
                        "1 problem(s); nothing was imported",
                        "line 3: the address 'anna' has no @domain",
                        "write the full address")
                .doesNotContain("pw-anna", "pw-good1");
        assertThat(listed()).doesNotContain("good1@example.org");
    }

    @Test
    void importShouldAnswer422NamingLineWhenDomainNotInPlan() {
        Reply r = post(HEADER + "good2@example.org,g,pw,g,pw\ndora@other.test,dora,pw-dora,dora,pw-dora\n");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body())
                .contains(
                        "line 3: mailbox dora@other.test is not in a domain of the plan"
                                + " (example.net, example.org)",
                        "add other.test to the plan")
                .doesNotContain("pw-dora");
        assertThat(listed()).doesNotContain("good2@example.org", "dora@other.test");
    }

    @Test
    void importShouldAnswer422NamingLineWhenQuoteNeverCloses() {
        Reply r = post(HEADER
                + "good3@example.org,g,pw,g,pw\nben@example.org,ben,\"pw-ben,ben,x\ncarl@example.org,c,pw,c,pw\n");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body())
                .contains("line 3: a quoted field opened on this line is never closed", "add the closing")
                .doesNotContain("pw-ben");
        assertThat(listed()).doesNotContain("good3@example.org", "carl@example.org");
    }

    @Test
    void importShouldListEveryProblemWhenSeveralLinesAreBad() {
        Reply r = post(HEADER + "anna,a,pw,a,pw\ngood4@example.org,g,pw,g,pw\ndora@other.test,d,pw,d,pw\n"
                + "ben@example.net,,pw,b,pw\n");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("3 problem(s)", "line 2:", "line 4:", "line 5: legacy_login is empty");
        assertThat(listed()).doesNotContain("good4@example.org");
    }

    @Test
    void importShouldAnswer422WhenListIsEmptyOrHasUnknownColumn() {
        Reply empty = post("");
        Reply misspelt = post("address,legacy_login,legacy_password,new_login,new_password,legacy_auht\n"
                + "gus@example.org,g,tok-gus,g,pw-gus,xoauth2\n");

        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.body()).contains("line 1: the list has no mailbox");
        assertThat(misspelt.status()).isEqualTo(422);
        assertThat(misspelt.body()).contains("unknown column(s) legacy_auht").doesNotContain("tok-gus", "pw-gus");
        assertThat(listed()).doesNotContain("gus@example.org");
    }

    @Test
    void importShouldStoreEveryMailboxWhenListValid() {
        Reply r = post(HEADER + "erik@example.org,e,pw,e,pw\nfrida@EXAMPLE.net,f,pw,f,pw\n");

        assertThat(r.status()).isEqualTo(200);
        assertThat(listed()).contains("erik@example.org", "frida@example.net");
    }
}
