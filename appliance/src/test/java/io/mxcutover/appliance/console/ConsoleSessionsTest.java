package io.mxcutover.appliance.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.appliance.auth.ApiUser;
import io.mxcutover.appliance.auth.Role;
import io.mxcutover.it.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-20T08:00:00Z"));
    final ConsoleSessions sessions = new ConsoleSessions(clock);
    final ApiUser ops = new ApiUser("ops", Role.OPERATOR);

    @Test
    void sessionShouldLastWhileUsedAndEndAfterIdleTime() {
        ConsoleSessions.Session s = sessions.open(ops);
        clock.advance(ConsoleSessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(s.id())).map(ConsoleSessions.Session::user).contains(ops);
        clock.advance(ConsoleSessions.IDLE.minusMinutes(1));
        assertThat(sessions.find(s.id())).as("each use restarts the idle time").isPresent();
        clock.advance(ConsoleSessions.IDLE.plus(Duration.ofSeconds(1)));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void sessionShouldEndAtLogoutAndUnknownIdsShouldFindNothing() {
        ConsoleSessions.Session s = sessions.open(ops);
        sessions.close(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find("not-a-session")).isEmpty();
    }

    @Test
    void idAndTokenShouldBeRandomAndDistinct() {
        ConsoleSessions.Session a = sessions.open(ops);
        ConsoleSessions.Session b = sessions.open(ops);
        assertThat(a.id()).isNotEqualTo(b.id()).isNotEqualTo(a.csrfToken()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(ConsoleSessions.csrfMatches(a, a.csrfToken())).isTrue();
        assertThat(ConsoleSessions.csrfMatches(a, b.csrfToken())).isFalse();
        assertThat(ConsoleSessions.csrfMatches(a, null)).isFalse();
        assertThat(ConsoleSessions.csrfMatches(a, "")).isFalse();
    }

    @Test
    void loginBodyShouldNeverPrintItsPassword() {
        assertThat(new SessionResource.Login("admin", "s3cret-pw").toString())
                .contains("admin")
                .doesNotContain("s3cret-pw");
    }
}
