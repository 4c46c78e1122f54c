package io.mxcutover.sync.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mxcutover.sync.mailbox.InvalidMailboxList;
import io.mxcutover.sync.mailbox.MailboxCsv;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchColumnTest {
    private static final String HEADER = "address,legacy_login,legacy_password,new_login,new_password,batch\n";

    @Test
    void readShouldMapEachAddressToItsBatchWhenColumnPresent() throws Exception {
        String csv = HEADER + "Anna@Example.org,anna,pw1,anna,pw1,Pilot\n"
                + "ben@example.org,ben,pw2,ben,pw2,wave-2\n"
                + "cleo@example.org,cleo,pw3,cleo,pw3,\n";
        assertThat(MailboxCsv.parse(csv)).hasSize(3);
        assertThat(BatchColumn.read(csv))
                .contains(Map.of("anna@example.org", "pilot", "ben@example.org", "wave-2", "cleo@example.org", ""));
    }

    @Test
    void readShouldBeEmptyWhenListHasNoBatchColumn() {
        assertThat(BatchColumn.read(
                        "address,legacy_login,legacy_password,new_login,new_password\n" + "a@example.org,a,p,a,p\n"))
                .isEmpty();
        assertThat(BatchColumn.read("anna:secret:anna@example.org\n")).isEmpty();
    }

    @Test
    void readShouldRefuseEveryBadNameWithItsLineWhenNamesInvalid() {
        String csv = HEADER + "a@example.org,a,p,a,p,pilot\n"
                + "b@example.org,b,p,b,p,wave 2\n"
                + "c@example.org,c,p,c,p,../etc\n";
        assertThatThrownBy(() -> BatchColumn.read(csv)).isInstanceOfSatisfying(InvalidMailboxList.class, e -> {
            assertThat(e.problems())
                    .extracting(InvalidMailboxList.Problem::line)
                    .containsExactly(3L, 4L);
            assertThat(e.getMessage())
                    .contains("b@example.org", "c@example.org")
                    .doesNotContain("p,");
        });
    }
}
