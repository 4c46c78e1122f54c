package io.mxcutover.sync.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.mxcutover.sync.credential.Login;
import io.mxcutover.sync.imap.ImapEndpoint;
import java.io.StringReader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

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
    @CsvSource(
            delimiter = '|',
            value = {
                "alice@example.test:secret            | alice@example.test     | alice@example.test | secret",
                "alice:secret:alice@example.test      | alice@example.test     | alice | secret",
                "alice@example.test:se:cr:et          | alice@example.test     | alice@example.test | se:cr:et",
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
                """))
                .hasMessageContaining("line 3")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> MailboxCsv.parse("address,legacy_login\nx,y\n"))
                .hasMessageContaining("legacy_password");
    }

    @Test
    void csvShouldRejectDuplicateAddressWhenListedTwice() {
        assertThatThrownBy(() -> MailboxCsv.parse("a:pw:a@x.test\nb:pw:A@x.test\n"))
                .hasMessageContaining("already listed");
    }

    static final String HEADER = "address,legacy_login,legacy_password,new_login,new_password\n";

    /** name, list, domains of the plan ("" = any), expected problems (line: words) separated by '|'. */
    static Stream<Arguments> invalidLists() {
        return Stream.of(
                arguments(
                        "address without @",
                        HEADER + "anna,anna,pw1,anna,pw2\n",
                        "",
                        "line 2: the address 'anna' has no @domain; write the full address"),
                arguments(
                        "nothing before @", HEADER + "@example.org,a,pw1,a,pw2\n", "", "line 2: nothing before the @"),
                arguments("nothing after @", HEADER + "anna@,a,pw1,a,pw2\n", "", "line 2: nothing after the @"),
                arguments(
                        "space in address", HEADER + "an na@example.org,a,pw1,a,pw2\n", "", "line 2: contains a space"),
                arguments(
                        "bad domain", HEADER + "anna@exa..mple.org,a,pw1,a,pw2\n", "", "line 2: is not a domain name"),
                arguments(
                        "outside the plan",
                        HEADER + "anna@example.org,a,pw1,a,pw2\ndora@other.test,d,pw3,d,pw4\n",
                        "example.org",
                        "line 3: mailbox dora@other.test is not in a domain of the plan (example.org);"
                                + " add other.test to the plan"),
                arguments(
                        "plan without domains",
                        HEADER + "anna@example.org,a,pw1,a,pw2\n",
                        "-",
                        "line 2: mailbox anna@example.org is not in a domain of the plan (the plan has no domains)"),
                arguments(
                        "unterminated quote",
                        HEADER + "anna@example.org,a,pw1,a,pw2\nben@example.org,b,\"pw3,b,pw4\n"
                                + "carl@example.org,c,pw5,c,pw6\n",
                        "",
                        "line 3: a quoted field opened on this line is never closed; add the closing \""),
                arguments(
                        "character after closing quote",
                        HEADER + "anna@example.org,a,\"pw\"x,a,pw2\n",
                        "",
                        "line 2: the CSV cannot be read here"),
                arguments(
                        "empty logins",
                        HEADER + "anna@example.org,,pw1,,pw2\n",
                        "",
                        "line 2: legacy_login is empty|line 2: new_login is empty"),
                arguments(
                        "unknown auth",
                        "address,legacy_login,legacy_password,new_login,new_password,new_auth\n"
                                + "anna@example.org,a,pw1,a,pw2,kerberos\n",
                        "",
                        "line 2: new_auth 'kerberos' is not known"),
                arguments(
                        "duplicate",
                        HEADER + "anna@example.org,a,pw1,a,pw2\nANNA@example.org,a,pw1,a,pw2\n",
                        "",
                        "line 3: mailbox anna@example.org is already listed on line 2"),
                arguments(
                        "missing column",
                        "address,legacy_login,legacy_password,new_login\nanna@example.org,a,pw1,a\n",
                        "",
                        "line 1: the header row lacks column(s) new_password"),
                arguments(
                        "row shorter than the header (a comma missing)",
                        HEADER + "anna@example.org,a,pw1a,pw2\n" + "ben@example.org,b,pw3,b\n",
                        "",
                        "line 2: the row has 4 field(s), the header 5; a comma is missing or extra"
                                + "|line 3: the row has 4 field(s), the header 5"),
                arguments(
                        "row longer than the header",
                        HEADER + "anna@example.org,a,pw1,a,pw2,x\n",
                        "",
                        "line 2: the row has 6 field(s), the header 5"),
                arguments(
                        "every problem, not the first",
                        HEADER + "anna,a,pw1,a,pw2\nben@example.org,b,pw3,b,pw4\n"
                                + "# comment\ncarl@x.test,c,pw5,c,pw6\n\ndora@example.org,,pw7,d,pw8\n",
                        "example.org",
                        "line 2: the address 'anna' has no @domain|line 5: mailbox carl@x.test is not in a domain"
                                + "|line 7: legacy_login is empty"),
                arguments(
                        "quoted newline keeps later line numbers",
                        HEADER + "anna@example.org,a,\"pw\nmore\",a,pw2\n" + "ben,b,pw3,b,pw4\n",
                        "",
                        "line 4: the address 'ben' has no @domain"),
                arguments(
                        "colon list without address",
                        "anna:pw1\n",
                        "",
                        "line 1: the address 'anna' has no @domain; add the address after the password: anna:<password>:"),
                arguments(
                        "colon list without user",
                        "ok@example.org:pw\n:pw\nnocolon\n",
                        "",
                        "line 2: the user before the first ':' is empty|line 3: there is no ':' after the user"),
                arguments(
                        "colon list outside the plan",
                        "a:pw:a@example.org\nb:pw:b@other.test\n",
                        "example.org",
                        "line 2: mailbox b@other.test is not in a domain of the plan"),
                arguments(
                        "misspelt optional column",
                        "address,legacy_login,legacy_password,new_login,new_password,legacy_auht\n"
                                + "anna@example.org,a,tok,a,pw2,xoauth2\n",
                        "",
                        "line 1: the header row has unknown column(s) legacy_auht; use only the columns"),
                arguments("header only", HEADER, "", "line 1: the list has no mailbox"),
                arguments("empty body", "", "", "line 1: the list has no mailbox"),
                arguments("comments only", "# nobody yet\n", "", "line 1: the list has no mailbox"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidLists")
    void parseShouldRefuseWholeListNamingEveryLineAndFixWhenListInvalid(
            String name, String list, String domains, String expected) {
        assertThatThrownBy(() -> parse(list, domains)).isInstanceOfSatisfying(InvalidMailboxList.class, e -> {
            List<String> problems = e.problems().stream()
                    .map(InvalidMailboxList.Problem::toString)
                    .toList();
            String[] wanted = expected.split("\\|");
            assertThat(problems).as(name).hasSize(wanted.length);
            for (int i = 0; i < wanted.length; i++) {
                String line = wanted[i].substring(0, wanted[i].indexOf(':') + 1);
                String[] words = wanted[i].substring(line.length()).strip().split("; ");
                assertThat(problems.get(i)).as(name).startsWith(line).contains(words);
            }
            assertThat(e.getMessage()).doesNotContain("pw1", "pw2", "pw3", "pw4", "pw5", "pw6", "pw7", "pw8");
        });
    }

    @Test
    void parseForShouldAcceptEveryDomainOfPlanIgnoringCase() throws Exception {
        List<MailboxAccount> a = MailboxCsv.parseFor(
                new StringReader(HEADER + "Anna@Example.ORG,a,pw,a,pw\n" + "ben@other.test,b,pw,b,pw\n"),
                List.of("example.org", "OTHER.test"));
        assertThat(a).extracting(MailboxAccount::domain).containsExactly("example.org", "other.test");
    }

    @Test
    void accountShouldRefuseAddressWithoutDomainWhenBuiltDirectly() {
        assertThatThrownBy(() -> new MailboxAccount("anna", Login.password("a", "p"), Login.password("a", "p")))
                .hasMessageContaining("no @domain");
    }

    private static List<MailboxAccount> parse(String list, String domains) throws Exception {
        if (domains.isEmpty()) {
            return MailboxCsv.parse(list);
        }
        return MailboxCsv.parseFor(
                new StringReader(list), domains.equals("-") ? List.of() : List.of(domains.split(",")));
    }

    @Test
    void secretsShouldBeRedactedWhenPrinted() throws Exception {
        MailboxAccount a =
                MailboxCsv.parse("alice:hunter2:alice@example.test\n").get(0);
        assertThat(a.toString()).doesNotContain("hunter2").contains("***");
        assertThat(ImapEndpoint.of("imap://h:143").withMaster("m", "hunter3").toString())
                .doesNotContain("hunter3");
    }
}
