package io.mxcutover.appliance.auth;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.dropwizard.auth.basic.BasicCredentials;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An unknown user name costs the same bcrypt work as a wrong password: the time does not tell who exists. */
class PasswordAuthenticatorTest {

    static UserConfig user(String name, Role role, int cost, String password) {
        UserConfig u = new UserConfig();
        u.name = name;
        u.role = role;
        u.passwordHash = BCrypt.withDefaults().hashToString(cost, password.toCharArray());
        return u;
    }

    /** costs of the configured users | cost of the dummy hash. */
    @ParameterizedTest(name = "users {0} -> dummy {1}")
    @CsvSource(
            delimiter = '|',
            value = {"4 | 4", "8 | 8", "8,8 | 8", "6,9 | 9", "9,6,6 | 9", "'' | 12"})
    void dummyHashShouldHaveHighestCostOfConfiguredHashes(String costs, int expected) {
        List<UserConfig> users = new ArrayList<>();
        for (String c : costs.isBlank() ? new String[0] : costs.split(",")) {
            users.add(user("u" + users.size(), Role.OPERATOR, Integer.parseInt(c.strip()), "pw"));
        }
        assertThat(new PasswordAuthenticator(users).dummyCost()).isEqualTo(expected);
    }

    @Test
    void wrongPasswordAndUnknownUserShouldTakeTheSameTime() {
        // Cost 8 (a few ms to tens of ms): the dummy hash of cost 10 used before made an unknown user ~4x slower.
        PasswordAuthenticator auth = new PasswordAuthenticator(List.of(user("admin", Role.ADMIN, 8, "right")));
        List<Long> wrongPassword = new ArrayList<>();
        List<Long> unknownUser = new ArrayList<>();
        for (int i = 0; i < 3; i++) { // warm-up
            auth.authenticate(new BasicCredentials("admin", "wrong"));
            auth.authenticate(new BasicCredentials("nobody", "wrong"));
        }
        for (int i = 0; i < 25; i++) { // interleaved, so load on the machine hits both alike
            wrongPassword.add(time(auth, "admin", "wrong-" + i));
            unknownUser.add(time(auth, "nobody-" + i, "wrong-" + i));
        }
        double ratio = (double) median(unknownUser) / median(wrongPassword);
        assertThat(ratio)
                .as(
                        "median time unknown user / wrong password (%s vs %s ns)",
                        median(unknownUser), median(wrongPassword))
                .isBetween(0.6, 1.67);
        assertThat(auth.authenticate(new BasicCredentials("admin", "right"))).isPresent();
        assertThat(auth.authenticate(new BasicCredentials("nobody", "no such user")))
                .isEmpty();
    }

    private static long time(PasswordAuthenticator auth, String user, String password) {
        long t0 = System.nanoTime();
        assertThat(auth.authenticate(new BasicCredentials(user, password))).isEmpty();
        return System.nanoTime() - t0;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
