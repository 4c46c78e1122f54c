package io.mxcutover.appliance.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address: after {@code maxFailures} failures within {@code window} the
 * address is locked out for {@code lockout}, whatever user name it tries (a brute force of one
 * password against many names is stopped as well as many passwords against one name). A success
 * clears the address's failures. Time comes from the injected clock. At most {@value #MAX_CLIENTS}
 * addresses are remembered; beyond that, those with nothing recent are forgotten first.
 */
public final class LoginThrottle {
    static final int MAX_CLIENTS = 10_000;

    /** The rule; {@code maxFailures = 0} turns the throttle off. */
    public record Rule(int maxFailures, Duration window, Duration lockout) {
        public Rule {
            if (maxFailures < 0 || window.isNegative() || lockout.isNegative()) {
                throw new IllegalArgumentException(
                        "login throttle: maxFailures, window and lockout must not be negative");
            }
        }
    }

    /** What a failure did: how many failures the address has in the window, and its lockout if it has one. */
    public record Verdict(int failures, Optional<Instant> lockedUntil) {}

    private static final class Client {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil = Instant.MIN;
    }

    private final Rule rule;
    private final Clock clock;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();

    public LoginThrottle(Rule rule, Clock clock) {
        this.rule = rule;
        this.clock = clock;
    }

    public Rule rule() {
        return rule;
    }

    /** How long {@code client} is still locked out; empty when it may try. */
    public Optional<Duration> lockedFor(String client) {
        Client c = clients.get(client);
        if (c == null || rule.maxFailures() == 0) {
            return Optional.empty();
        }
        synchronized (c) {
            Instant now = clock.instant();
            return now.isBefore(c.lockedUntil) ? Optional.of(Duration.between(now, c.lockedUntil)) : Optional.empty();
        }
    }

    /** Records a failed login of {@code client}; locks it out when this was one failure too many. */
    public Verdict failed(String client) {
        if (rule.maxFailures() == 0) {
            return new Verdict(0, Optional.empty());
        }
        if (clients.size() >= MAX_CLIENTS && !clients.containsKey(client)) {
            forgetIdle();
        }
        Client c = clients.computeIfAbsent(client, k -> new Client());
        synchronized (c) {
            Instant now = clock.instant();
            Instant horizon = now.minus(rule.window());
            while (!c.failures.isEmpty() && !c.failures.peekFirst().isAfter(horizon)) {
                c.failures.pollFirst();
            }
            c.failures.addLast(now);
            int n = c.failures.size();
            if (n >= rule.maxFailures()) {
                c.lockedUntil = now.plus(rule.lockout());
                c.failures.clear();
                return new Verdict(n, Optional.of(c.lockedUntil));
            }
            return new Verdict(n, Optional.empty());
        }
    }

    /** A successful login clears the address's failures. */
    public void succeeded(String client) {
        Client c = clients.get(client);
        if (c != null) {
            synchronized (c) {
                c.failures.clear();
            }
        }
    }

    private void forgetIdle() {
        Instant horizon = clock.instant().minus(rule.window());
        Instant now = clock.instant();
        clients.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                Deque<Instant> f = e.getValue().failures;
                return !now.isBefore(e.getValue().lockedUntil)
                        && (f.isEmpty() || !f.peekLast().isAfter(horizon));
            }
        });
    }
}
