package io.mxcutover.appliance.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jersey.validation.Validators;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    static final Validator VALIDATOR = Validators.newValidator();

    static List<String> problems(ClusterConfig c) {
        return VALIDATOR.validate(c).stream()
                .map(v -> v.getPropertyPath() + " " + v.getMessage())
                .sorted()
                .toList();
    }

    @Test
    void defaultsShouldBeValidAndAsTheContractSays() {
        ClusterConfig c = new ClusterConfig();
        assertThat(problems(c)).isEmpty();
        assertThat(c.heartbeat()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.phaseRefresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.leaderLease()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void configShouldBeRefusedWhenAPeriodIsOutOfRangeOrTheLeaseShorterThanAHeartbeat() {
        ClusterConfig zero = new ClusterConfig();
        zero.heartbeatSeconds = 0;
        zero.phaseRefreshSeconds = 0;
        assertThat(problems(zero))
                .anySatisfy(p -> assertThat(p).startsWith("heartbeatSeconds"))
                .anySatisfy(p -> assertThat(p).startsWith("phaseRefreshSeconds"));

        ClusterConfig shortLease = new ClusterConfig();
        shortLease.heartbeatSeconds = 30;
        shortLease.leaderLeaseSeconds = 10;
        assertThat(VALIDATOR.validate(shortLease))
                .extracting(ConstraintViolation::getMessage)
                .containsExactly("cluster.leaderLeaseSeconds must be at least cluster.heartbeatSeconds");
    }
}
