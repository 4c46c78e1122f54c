package io.mxcutover.appliance.facts;

import io.mxcutover.appliance.cutover.CutoverSources;

/**
 * What the cutover needs from the relay, per domain. The relay wiring implements it and installs it with
 * {@link CutoverSources#relayQueue(RelayQueueSource)}; until then {@link #UNKNOWN} answers and the
 * relay-queue check only warns. Called from any thread; must not throw for an unknown domain.
 */
public interface RelayQueueSource {

    /** The domain's queue: how many messages wait, how many are held or keep failing toward new. */
    QueueSummary queue(String domain);

    RelayQueueSource UNKNOWN = new RelayQueueSource() {
        @Override
        public QueueSummary queue(String domain) {
            return QueueSummary.UNKNOWN;
        }

        @Override
        public String toString() {
            return "relay not wired";
        }
    };
}
