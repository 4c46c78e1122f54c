package io.mxcutover.appliance.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.util.Duration;
import org.junit.jupiter.api.Test;

/** The cutover: section's probe mailboxes: one per domain, found by the address's domain. */
class CutoverConfigTest {

    static CutoverConfig.ProbeMailbox mailbox(String address, String login, String password) {
        CutoverConfig.ProbeMailbox m = new CutoverConfig.ProbeMailbox();
        m.address = address;
        m.newLogin = login;
        m.newPassword = password;
        return m;
    }

    @Test
    void probeMailboxShouldBeFoundByDomainIgnoringCase() {
        CutoverConfig config = new CutoverConfig();
        config.probeMailboxes.add(mailbox("probe@A.example", "probe", "pw"));
        config.probeMailboxes.add(mailbox("check@b.example", "check@b.example", "pw"));

        assertThat(config.problems()).isEmpty();
        assertThat(config.probeMailbox("a.example")).map(m -> m.newLogin).contains("probe");
        assertThat(config.probeMailbox(" B.EXAMPLE ")).map(m -> m.address).contains("check@b.example");
        assertThat(config.probeMailbox("c.example")).isEmpty();
    }

    @Test
    void problemsShouldNameTheFieldAndNeverThePasswordWhenMailboxesAreUnusable() {
        CutoverConfig config = new CutoverConfig();
        config.probeMailboxes.add(mailbox("not-an-address", "x", "pw"));
        config.probeMailboxes.add(mailbox("probe@a.example", "", "secret-one"));
        config.probeMailboxes.add(mailbox("other@a.example", "other", ""));
        config.probeTimeout = Duration.milliseconds(10);

        assertThat(config.problems())
                .hasSize(5)
                .anySatisfy(p -> assertThat(p).contains("[0].address"))
                .anySatisfy(p -> assertThat(p).contains("[1].newLogin"))
                .anySatisfy(p -> assertThat(p).contains("[2].newPassword", "${"))
                .anySatisfy(p -> assertThat(p).contains("[2] is a second probe mailbox for a.example"))
                .anySatisfy(p -> assertThat(p).contains("probeTimeout"))
                .allSatisfy(p -> assertThat(p).doesNotContain("secret-one"));
        assertThat(config.probeMailboxes.get(1).toString()).doesNotContain("secret-one");
    }
}
