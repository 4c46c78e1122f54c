package io.mxcutover.appliance.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** {@code loginThrottle:} in the service YAML: the rule of {@link LoginThrottle}. */
public class LoginThrottleConfig {
    /** Failed logins from one address within {@link #window} that lock it out; 0 turns the throttle off. */
    @Min(0)
    @JsonProperty
    public int maxFailures = 10;

    @NotNull
    @JsonProperty
    public io.dropwizard.util.Duration window = io.dropwizard.util.Duration.minutes(5);

    @NotNull
    @JsonProperty
    public io.dropwizard.util.Duration lockout = io.dropwizard.util.Duration.minutes(15);

    public LoginThrottle.Rule rule() {
        return new LoginThrottle.Rule(maxFailures, window.toJavaDuration(), lockout.toJavaDuration());
    }
}
