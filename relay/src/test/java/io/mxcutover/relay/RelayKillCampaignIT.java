package io.mxcutover.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.mxcutover.relay.testing.KillCampaign;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@code bench/relay/kill-campaign.sh}: 3 SIGKILLs of the relay's JVM at
 * seeded random moments during a 500-message load from 4 clients. Nothing acknowledged is lost,
 * and no more messages are delivered twice than were in flight (at the target, still in the spool)
 * at the kills.
 */
class RelayKillCampaignIT {

    @TempDir
    Path dir;

    @Test
    void relayShouldLoseNothingAcknowledgedWhenKilledThreeTimesUnderLoad() throws Exception {
        KillCampaign.Result r = KillCampaign.run(new KillCampaign.Settings(dir, 3, 500, 4, 4, 42));
        System.out.println("kill campaign (short): " + r);
        assertThat(r.kills()).isEqualTo(3);
        assertThat(r.acknowledged()).isGreaterThanOrEqualTo(500);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicates()).isLessThanOrEqualTo(r.inFlightAtKills());
        assertThat(r.corruptAcknowledged()).isZero();
    }
}
