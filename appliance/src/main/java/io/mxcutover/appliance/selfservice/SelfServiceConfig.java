package io.mxcutover.appliance.selfservice;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** The {@code selfService:} section of the service YAML: the page {@code /migrate/} and its abuse limits. */
public class SelfServiceConfig {
    /** Whether the page and its API answer; off: {@code /api/v1/self-service} answers 404. */
    @JsonProperty
    public boolean enabled = true;

    /** Failed logins of one typed address before it must wait. */
    @Min(0)
    @Max(100)
    @JsonProperty
    public int freeFailuresPerAddress = 3;

    /** Failed logins from one client address before it must wait. */
    @Min(0)
    @Max(10000)
    @JsonProperty
    public int freeFailuresPerClient = 10;

    /** The first wait; each further failure doubles it. */
    @NotNull
    @JsonProperty
    public Duration firstDelay = Duration.seconds(30);

    /** The longest wait. */
    @NotNull
    @JsonProperty
    public Duration maxDelay = Duration.minutes(15);

    SelfServiceThrottle.Policy policy(int freeFailures) {
        java.time.Duration first = firstDelay.toJavaDuration();
        java.time.Duration max = maxDelay.toJavaDuration();
        return new SelfServiceThrottle.Policy(
                freeFailures,
                first,
                max.compareTo(first) < 0 ? first : max,
                java.time.Duration.ofHours(1).plus(max));
    }
}
