package io.mxcutover.sync.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailboxCsvTest {
    @Test
    void csvShouldReadAccountsWhenHeaderRowGiven() throws Exception {
        List<MailboxAccount> a = MailboxCsv.parse("""
                address,legacy_login,legacy_password,new_login,new_password
                Alice@Example.test,alice,"pa,ss""word",alice@new,npw
                # a comment
                bob@example.test,bob,b:pw,bob,,
                """);
        assertThat(a).extracting(MailboxAccount::address).containsExactly("alice@example.test", "bob@example.test");
        assertThat(a.get(0).source().secret().reveal()).isEqualTo("pa,ss\"word");
        assertThat(a.get(0).target().user()).isEqualTo("alice@new");
        assertThat(a.get(1).target().secret().isEmpty()).isTrue();
    }

    @Test
    void csvShouldAcceptColumnsInAnyOrderWithAuthKindWhenGiven() throws Exception {
        List<MailboxAccount> a = MailboxCsv.parse("""
                new_password,new_login,address,legacy_password,legacy_login,new_auth
                tok,carol,carol@example.test,pw,carol,xoauth2
                """);
        assertThat(a.get(0).target().kind()).isEqualTo(Login.Kind.XOAUTH2);
        assertThat(a.get(0).source().kind()).isEqualTo(Login.Kind.PASSWORD);
    }

    /** line | address | user | password */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "alice:secret                         | alice                  | alice | secret",
            "alice:secret:alice@example.test      | alice@example.test     | alice | secret",
            "alice:se:cr:et                       | alice                  | alice | se:cr:et",
            "alice:se:cret:Alice@Example.test     | alice@example.test     | alice | se:cret",
    })
    void colonListShouldSplitUserPasswordAliasWhenLinesGiven(String line, String address, String user, String password)
            throws Exception {
        MailboxAccount a = MailboxCsv.parse(line + "\n").get(0);
        assertThat(a.address()).isEqualTo(address);
        assertThat(a.source().user()).isEqualTo(user);
        assertThat(a.source().secret().reveal()).isEqualTo(password);
    }

    @Test
    void csvShouldNameLineAndNotPasswordWhenRowInvalid() {
        assertThatThrownBy(() -> MailboxCsv.parse("""
                address,legacy_login,legacy_password,new_login,new_password
                a@example.test,a,topsecret,a,x
                a@example.test,,topsecret2,a,x
                """)).hasMessageContaining("line 3").hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> MailboxCsv.parse("address,legacy_login\nx,y\n")).hasMessageContaining("legacy_password");
    }

    @Test
    void csvShouldRejectDuplicateAddressWhenListedTwice() {
        assertThatThrownBy(() -> MailboxCsv.parse("a:pw:a@x.test\nb:pw:A@x.test\n")).hasMessageContaining("already listed");
    }

    @Test
    void secretsShouldBeRedactedWhenPrinted() throws Exception {
        MailboxAccount a = MailboxCsv.parse("alice:hunter2:alice@example.test\n").get(0);
        assertThat(a.toString()).doesNotContain("hunter2").contains("***");
        assertThat(ImapEndpoint.of("imap://h:143").withMaster("m", "hunter3").toString()).doesNotContain("hunter3");
    }
}
