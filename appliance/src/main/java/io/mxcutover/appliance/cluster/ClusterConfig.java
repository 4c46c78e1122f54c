package io.mxcutover.appliance.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** The {@code cluster:} section of the service YAML: how often nodes tell each other what they do. */
public class ClusterConfig {
    /** How often this node renews its heartbeat; a node is alive while its heartbeat is within three periods. */
    @Min(1)
    @Max(300)
    @JsonProperty
    public int heartbeatSeconds = 5;

    /** The longest this node's relay routes by a phase another node changed: the stored phases are read this often. */
    @Min(1)
    @Max(300)
    @JsonProperty
    public int phaseRefreshSeconds = 2;

    /**
     * The DNS watcher's leader lease: renewed every third of it by the node that holds it, taken over by another
     * node when it expires (at most this long without DNS polls after the leader dies).
     */
    @Min(3)
    @Max(3600)
    @JsonProperty
    public int leaderLeaseSeconds = 15;

    /** The lease must outlast a heartbeat period, or a node busy for one period would lose it. */
    @AssertTrue(message = "cluster.leaderLeaseSeconds must be at least cluster.heartbeatSeconds")
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isLeaseLongerThanHeartbeat() {
        return leaderLeaseSeconds >= heartbeatSeconds;
    }

    public Duration heartbeat() {
        return Duration.ofSeconds(heartbeatSeconds);
    }

    public Duration phaseRefresh() {
        return Duration.ofSeconds(phaseRefreshSeconds);
    }

    public Duration leaderLease() {
        return Duration.ofSeconds(leaderLeaseSeconds);
    }
}
